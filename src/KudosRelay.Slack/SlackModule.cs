using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;
using KudosRelay.Slack;
using KudosRelay.Slack.Inbound;
using KudosRelay.Slack.WebApi;
using KudosRelay.Slack.Workspaces;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// In ASP.NET Core's own namespace, like MapHub/MapGrpcService: the host's Program reads
// builder.AddSlack() / app.MapSlack() without a using for each adapter.
namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Wires the Slack adapter into the host. Only the Slack id format (for checking org files) is registered without
/// <c>Slack:*</c>; nothing else is registered or mapped unless it is configured.
/// </summary>
public static class SlackModule
{
    /// <summary>
    /// Slack:* → options (validated at start), signature check, Web API client with its rate limiter,
    /// the "slack" sender and directory, and the background follow-up worker.
    /// </summary>
    public static IHostApplicationBuilder AddSlack(this IHostApplicationBuilder builder)
    {
        // An org file may name Slack ids whether or not this instance talks to Slack.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatIdFormat, SlackIdFormat>());
        if (!IsConfigured(builder.Configuration))
            return builder;

        var services = builder.Services;
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptions.Validator>();
        services.AddSingleton(provider => new SlackSignature(
            provider.GetRequiredService<IOptions<SlackOptions>>().Value.SigningSecret ?? "",
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SlackRequestVerifier>();
        services.AddSingleton<SlackEventDeduplicator>();
        services.AddSingleton<SlackWorkspaceStore>();
        services.AddSingleton<SlackWorkspaces>();
        services.AddSingleton<SlackFollowUps>();
        services.AddSingleton<SlackRateLimiter>();
        services.AddSingleton<SlackEndpoints>();
        services.AddHttpClient(SlackWebApiClient.HttpClientName);
        services.AddSingleton<SlackWebApiClient>();
        services.AddSingleton<IChatSender, SlackChatSender>();
        services.AddSingleton<IChatDirectory, SlackChatDirectory>();
        services.AddHostedService<SlackFollowUpWorker>();
        services.AddHostedService<SlackStartupCheck>();
        services.AddHealthChecks().AddCheck<SlackAuthHealthCheck>("slack", tags: ["ready"]);
        return builder;
    }

    /// <summary><c>POST /slack/events</c>, <c>/slack/commands</c>, <c>/slack/interactions</c> and <c>GET /slack/readyz</c>; 404 when Slack is not configured.</summary>
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<SlackEndpoints>() is null)
            return app;

        var slack = app.MapGroup("/slack");
        slack.MapPost("/events", (HttpContext context, SlackEndpoints endpoints) => endpoints.EventsAsync(context));
        slack.MapPost("/commands", (HttpContext context, SlackEndpoints endpoints) => endpoints.CommandsAsync(context));
        slack.MapPost("/interactions", (HttpContext context, SlackEndpoints endpoints) => endpoints.InteractionsAsync(context));
        slack.MapGet("/readyz", (SlackEndpoints endpoints) => endpoints.Readiness());
        return app;
    }

    private static bool IsConfigured(IConfiguration configuration) =>
        configuration.GetSection(SlackOptions.Section).GetChildren().Any(key => !string.IsNullOrWhiteSpace(key.Value));
}
