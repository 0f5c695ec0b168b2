using KudosRelay.Host.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KudosRelay.Host.Health;

internal static class HealthEndpoints
{
    /// <summary>Health checks tagged with this take part in /readyz (the Slack token check, for one).</summary>
    public const string ReadyTag = "ready";

    /// <summary>/healthz: the process answers. /readyz: the database is reachable and migrated, and every "ready" check passes.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/readyz", async (DatabaseReadiness readiness, HealthCheckService checks, CancellationToken cancellationToken) =>
        {
            var database = await readiness.CheckAsync(cancellationToken);
            var report = await checks.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken);
            var reasons = report.Entries
                .Where(entry => entry.Value.Status == HealthStatus.Unhealthy)
                .Select(entry => entry.Value.Description ?? entry.Key)
                .Prepend(database.Reason)
                .OfType<string>()
                .ToList();
            var notes = report.Entries
                .Where(entry => entry.Value.Status == HealthStatus.Degraded)
                .Select(entry => entry.Value.Description ?? entry.Key)
                .ToList();
            return reasons.Count == 0
                ? Results.Ok(new { status = "ready", notes = notes.Count == 0 ? null : notes })
                : Results.Json(new { status = "not ready", reason = string.Join("; ", reasons) }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
