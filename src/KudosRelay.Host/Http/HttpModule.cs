using Microsoft.Extensions.Http.Resilience;

namespace KudosRelay.Host.Http;

internal static class HttpModule
{
    /// <summary>Every HttpClient made by the factory (Slack, Teams, token and key endpoints) gets the same short-retry pipeline.</summary>
    public static IHostApplicationBuilder AddOutboundHttp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOutboundHttp();
        return builder;
    }

    /// <summary>
    /// One pipeline per authority (scheme, host and port): a Slack outage opens Slack's breaker and
    /// leaves the Bot Connector's, the token endpoint's and the signing keys' alone.
    /// </summary>
    internal static IServiceCollection AddOutboundHttp(this IServiceCollection services) =>
        services.ConfigureHttpClientDefaults(client => client
            .AddResilienceHandler(OutboundResilience.PipelineName, OutboundResilience.Configure)
            .SelectPipelineByAuthority());
}
