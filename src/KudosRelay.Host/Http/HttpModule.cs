namespace KudosRelay.Host.Http;

internal static class HttpModule
{
    /// <summary>Every HttpClient made by the factory (Slack, Teams, token endpoints) gets the same short-retry handler.</summary>
    public static IHostApplicationBuilder AddOutboundHttp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ResiliencePipelines>();
        builder.Services.AddTransient<ResilienceHandler>();
        builder.Services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler<ResilienceHandler>());
        return builder;
    }
}
