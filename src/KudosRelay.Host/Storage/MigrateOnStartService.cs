using KudosRelay.Data;
using Microsoft.Extensions.Options;

namespace KudosRelay.Host.Storage;

/// <summary>
/// Applies pending migrations at start when <c>Database:MigrateOnStart</c> is on. An unreachable
/// database does not stop the process: it keeps trying, and /readyz says why it is not ready.
/// </summary>
internal sealed partial class MigrateOnStartService(
    Migrator migrator,
    IOptions<DatabaseOptions> options,
    TimeProvider clock,
    ILogger<MigrateOnStartService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var database = options.Value;
        if (logger.IsEnabled(LogLevel.Information))
            LogDatabase(database.Dialect.ToString(), DatabaseDescription(database));
        if (database.Dialect == Core.Storage.SqlDialect.Sqlite)
        {
            foreach (var problem in Data.Sqlite.SqliteFiles.Problems(database.EffectiveConnectionString))
                LogFileNotWritable(problem);
        }
        if (!database.ShouldMigrateOnStart)
            return;
        // The first try happens before the other services start, so workers meet a migrated schema.
        if (await TryMigrateAsync(cancellationToken))
            return;
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (await TryMigrateAsync(stoppingToken))
                return;
            delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
        }
    }

    private async Task<bool> TryMigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var applied = await migrator.ApplyAsync(cancellationToken);
            if (applied.Count > 0)
                LogMigrated(applied.Count, string.Join(", ", applied.Select(m => m.Name)));
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogMigrationFailed(exception.GetType().Name, exception.Message);
            return false;
        }
    }

    private static string DatabaseDescription(DatabaseOptions database)
    {
        try
        {
            return DatabaseConnections.Describe(database.Dialect, database.EffectiveConnectionString);
        }
        catch (ArgumentException)
        {
            return "(unreadable connection string)";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database: {Provider}, {Description}")]
    private partial void LogDatabase(string provider, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s) at start: {Names}")]
    private partial void LogMigrated(int count, string names);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not migrate the database yet ({ErrorType}: {Error}); retrying")]
    private partial void LogMigrationFailed(string errorType, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "SQLite: {Problem}. Writes will be answered 503 and /readyz stays 503 until it is fixed; give the service user write access to the database file, its -wal and -shm files and their folder, and never copy or truncate them while the service runs")]
    private partial void LogFileNotWritable(string problem);
}
