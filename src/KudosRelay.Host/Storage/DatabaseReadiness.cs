using KudosRelay.Data;

namespace KudosRelay.Host.Storage;

/// <summary>Answers "can this instance use its database right now", for /readyz and the workers.</summary>
internal sealed class DatabaseReadiness(Migrator migrator)
{
    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var status = await migrator.GetStatusAsync(cancellationToken);
            return status.IsCurrent
                ? ReadinessReport.Ready
                : new ReadinessReport(false, $"database is not migrated: {string.Join(", ", status.Pending.Select(m => m.Name))} pending (run 'kudosrelay migrate')");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new ReadinessReport(false, $"database unreachable ({exception.GetType().Name})", exception.Message);
        }
    }
}

/// <summary>
/// <paramref name="Reason"/> is safe to answer anyone (<c>/readyz</c>); <paramref name="Detail"/>, the provider's own
/// message, may name hosts, paths or logins, so only the operator's command line shows it.
/// </summary>
internal sealed record ReadinessReport(bool IsReady, string? Reason, string? Detail = null)
{
    public static ReadinessReport Ready { get; } = new(true, null);
}
