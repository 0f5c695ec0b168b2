namespace KudosRelay.Host;

internal static class CoreModule
{
    /// <summary>The platform-blind product: the clock everything reads, and the features.</summary>
    public static IHostApplicationBuilder AddKudosRelayCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
