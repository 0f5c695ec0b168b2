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
            return new ReadinessReport(false, $"database unreachable: {exception.GetType().Name}: {exception.Message}");
        }
    }
}

internal sealed record ReadinessReport(bool IsReady, string? Reason)
{
    public static ReadinessReport Ready { get; } = new(true, null);
}
