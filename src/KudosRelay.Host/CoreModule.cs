using KudosRelay.Core.Conversations;
using KudosRelay.Core.Kudos;

namespace KudosRelay.Host;

internal static class CoreModule
{
    /// <summary>The platform-blind product: the clock everything reads, the features, and the router adapters hand requests to.</summary>
    public static IHostApplicationBuilder AddKudosRelayCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<KudosStore>();
        builder.Services.AddSingleton<GivePeerKudosHandler>();
        builder.Services.AddSingleton<IChatRequestHandler, ChatRequestRouter>();
        return builder;
    }
}
