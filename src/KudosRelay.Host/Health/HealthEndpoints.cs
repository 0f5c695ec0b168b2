using KudosRelay.Host.Storage;

namespace KudosRelay.Host.Health;

internal static class HealthEndpoints
{
    /// <summary>/healthz: the process answers. /readyz: the database is reachable and migrated.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/readyz", async (DatabaseReadiness readiness, CancellationToken cancellationToken) =>
        {
            var report = await readiness.CheckAsync(cancellationToken);
            return report.IsReady
                ? Results.Ok(new { status = "ready" })
                : Results.Json(new { status = "not ready", reason = report.Reason }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
