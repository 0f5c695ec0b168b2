using Dapper;
using KudosRelay.Core.Storage;
using KudosRelay.Data;
using KudosRelay.Data.Sqlite;

namespace KudosRelay.Host.Storage;

/// <summary>
/// Answers "can this instance use its database right now", for /readyz and the workers: reachable, migrated,
/// and taking writes within the chat write budget. Reads alone are not enough: a SQLite file locked by another
/// process (or read-only) still reads, while every request that must store something would fail.
/// </summary>
internal sealed class DatabaseReadiness(Migrator migrator, Db db, StorageBudget storage, Microsoft.Extensions.Options.IOptions<DatabaseOptions> options)
{
    /// <summary>Starts a write transaction and writes nothing: enough to need the writer's lock, on either database.</summary>
    private const string WriteProbe = "DELETE FROM schema_migrations WHERE 1 = 0";

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Dialect == SqlDialect.Sqlite && SqliteFiles.Problems(options.Value.EffectiveConnectionString) is [_, ..] problems)
            return new ReadinessReport(false, "database files are not writable by this process", string.Join("; ", problems));
        try
        {
            var status = await migrator.GetStatusAsync(cancellationToken);
            if (!status.IsCurrent)
                return new ReadinessReport(false, $"database is not migrated: {string.Join(", ", status.Pending.Select(m => m.Name))} pending (run 'kudosrelay migrate')");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new ReadinessReport(false, $"database unreachable ({exception.GetType().Name})", exception.Message);
        }
        try
        {
            await storage.ChatAsync(token => db.InTransactionAsync((connection, transaction) =>
                connection.ExecuteAsync(new CommandDefinition(WriteProbe, transaction: transaction, cancellationToken: token)), token), cancellationToken);
            return ReadinessReport.Ready;
        }
        catch (StorageUnavailableException exception)
        {
            return new ReadinessReport(false, "database is not taking writes", exception.InnerException?.Message ?? exception.Message);
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
