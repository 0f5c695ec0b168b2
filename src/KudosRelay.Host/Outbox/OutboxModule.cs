using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Outbox;

internal static class OutboxModule
{
    /// <summary>Outbox:* → the store, the dispatcher and its worker; the console sender when no platform is configured.</summary>
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<OutboxOptions>(OutboxOptions.Section);
        builder.Services.AddSingleton<OutboxStore>();
        builder.Services.AddSingleton<OutboxGroupCommit>();
        builder.Services.AddHostedService<OutboxGroupCommitService>();
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<OutboxOptions>>().Value.ToDispatchOptions());
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService<OutboxWorker>();
        return builder;
    }

    /// <summary>
    /// Registers the console sender unless a platform sender is registered. Called after the platform
    /// modules so it can see what they added.
    /// </summary>
    public static IHostApplicationBuilder AddConsoleSenderWhenNoPlatform(this IHostApplicationBuilder builder)
    {
        if (!builder.Services.Any(service => service.ServiceType == typeof(IChatSender)))
            builder.Services.AddSingleton<IChatSender>(_ => new ConsoleChatSender());
        return builder;
    }
}
