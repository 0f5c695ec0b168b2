using KudosRelay.Core.Conversations;

namespace KudosRelay.Host;

internal static class CoreModule
{
    /// <summary>The platform-blind core: the clock everything reads and the router adapters hand requests to.</summary>
    public static IHostApplicationBuilder AddKudosRelayCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IChatRequestHandler, ChatRequestRouter>();
        return builder;
    }
}
