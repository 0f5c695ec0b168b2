using KudosRelay.Core.Storage;
using Microsoft.Data.SqlClient;
using KudosRelay.Data.Sqlite;
using Microsoft.Data.Sqlite;

namespace KudosRelay.Data;

/// <summary>Turns a provider and a connection string into a <see cref="Db"/> for the features.</summary>
public static class DatabaseConnections
{
    public const string DefaultSqliteConnectionString = "Data Source=./data/kudosrelay.db";

    public static Db Create(SqlDialect dialect, string connectionString)
    {
        DapperSetup.EnsureRegistered();
        return dialect switch
        {
            SqlDialect.Sqlite => CreateSqlite(connectionString),
            SqlDialect.SqlServer => new Db(dialect, () => new SqlConnection(connectionString), classify: DatabaseFailures.Classify),
            _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "unknown database dialect"),
        };
    }

    /// <summary>
    /// The connection string SQLite connections are opened with, and pooled by: <paramref name="connectionString"/> with
    /// foreign keys on, pooling, and writers queueing behind each other for up to 30 s rather than failing at once
    /// (several workers share one file).
    /// </summary>
    public static string SqliteConnectionString(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true, DefaultTimeout = 30 }.ToString();

    private static Db CreateSqlite(string connectionString)
    {
        NativeHeap.KeepFreedMemoryForReuse();
        var normalized = SqliteConnectionString(connectionString);
        EnsureDirectoryExists(new SqliteConnectionStringBuilder(normalized).DataSource);
        return new Db(SqlDialect.Sqlite, () => new SqliteConnection(normalized), PrepareSqliteAsync, DatabaseFailures.Classify, SqliteRowStatement.Prepare);
    }

    /// <summary>
    /// In WAL mode, synchronous=NORMAL keeps every committed transaction across a process crash and
    /// only risks the last commits on a power cut or kernel panic; it removes an fsync per commit, which
    /// is what bounds outbox throughput on SQLite. SQL Server deployments are unaffected.
    /// busy_timeout lets SQLite wait for the writer lock itself, in steps of a few milliseconds; without
    /// it the provider sees "busy" at once and sleeps 150 ms before trying again, which is what made
    /// the slowest requests wait that long under load.
    /// </summary>
    private static async Task PrepareSqliteAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void EnsureDirectoryExists(string dataSource)
    {
        if (dataSource.Length == 0 || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.Ordinal))
            return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
    }

    /// <summary>Describes where the database is without repeating credentials.</summary>
    public static string Describe(SqlDialect dialect, string connectionString) => dialect switch
    {
        SqlDialect.Sqlite => $"SQLite file {Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource)}",
        SqlDialect.SqlServer => DescribeSqlServer(connectionString),
        _ => dialect.ToString(),
    };

    private static string DescribeSqlServer(string connectionString)
    {
        var builder = new SqlConnectionStringBuilder(connectionString);
        return $"SQL Server {builder.DataSource}, database {builder.InitialCatalog}";
    }
}
