using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;
using KudosRelay.Teams.Connector;
using KudosRelay.Teams.Conversations;
using KudosRelay.Teams.Inbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KudosRelay.Teams;

public static class TeamsModule
{
    /// <summary>
    /// Teams:* → token validation, the Connector client and the "teams" sender. When Teams:AppId is unset, only the
    /// Teams id format (for checking org files) is registered.
    /// </summary>
    public static IHostApplicationBuilder AddTeams(this IHostApplicationBuilder builder)
    {
        // An org file may name Teams ids whether or not this instance talks to Teams.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatIdFormat, TeamsIdFormat>());
        if (!TeamsOptions.IsConfigured(builder.Configuration))
            return builder;
        var services = builder.Services;
        services.AddOptions<TeamsOptions>().BindConfiguration(TeamsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>();
        services.AddHttpClient(SigningKeys.HttpClientName);
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<BotTokenValidator>();
        services.AddSingleton<TeamsConversationStore>();
        services.AddSingleton<MemberDirectory>();
        services.AddSingleton<MessagesEndpoint>();
        services.AddHttpClient(BotTokenProvider.HttpClientName);
        services.AddSingleton<BotTokenProvider>();
        services.AddHttpClient(ConnectorClient.HttpClientName);
        services.AddSingleton<ConnectorClient>();
        services.AddSingleton<IChatSender, TeamsChatSender>();
        return builder;
    }

    /// <summary><c>POST /api/messages</c>, the bot's messaging endpoint, when Teams is configured.</summary>
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<MessagesEndpoint>() is not { } endpoint)
            return app;
        app.MapPost("/api/messages", (Func<HttpContext, Task<IResult>>)endpoint.HandleAsync).DisableAntiforgery();
        return app;
    }

    private sealed class TeamsOptionsValidator : IValidateOptions<TeamsOptions>
    {
        public ValidateOptionsResult Validate(string? name, TeamsOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
