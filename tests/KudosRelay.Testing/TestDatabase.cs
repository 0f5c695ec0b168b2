using KudosRelay.Core.Storage;
using KudosRelay.Data;
using Microsoft.Data.SqlClient;

namespace KudosRelay.Testing;

public enum DatabaseKind
{
    Sqlite,
    SqlServer,
}

/// <summary>
/// A fresh, migrated database for one test: a SQLite file in a temporary folder, or a new database
/// on the SQL Server named by <c>KUDOSRELAY_TEST_SQLSERVER</c>. Disposing removes it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string SqlServerVariable = "KUDOSRELAY_TEST_SQLSERVER";

    private readonly Func<Task> cleanup;

    private TestDatabase(DatabaseKind kind, string connectionString, Func<Task> cleanup)
    {
        Kind = kind;
        ConnectionString = connectionString;
        this.cleanup = cleanup;
        Db = DatabaseConnections.Create(Dialect, connectionString);
    }

    public DatabaseKind Kind { get; }

    public SqlDialect Dialect => Kind == DatabaseKind.Sqlite ? SqlDialect.Sqlite : SqlDialect.SqlServer;

    public string ConnectionString { get; }

    public Db Db { get; }

    public static string? SqlServerConnectionString =>
        Environment.GetEnvironmentVariable(SqlServerVariable) is { Length: > 0 } value ? value : null;

    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind, bool migrate = true)
    {
        var database = kind switch
        {
            DatabaseKind.Sqlite => CreateSqlite(),
            DatabaseKind.SqlServer => await CreateSqlServerAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        if (migrate)
            await new Migrator(database.Db, TimeProvider.System).ApplyAsync(CancellationToken.None);
        return database;
    }

    private static TestDatabase CreateSqlite()
    {
        var folder = Directory.CreateTempSubdirectory("kudosrelay-test-");
        var path = Path.Combine(folder.FullName, "kudosrelay.db");
        var connectionString = $"Data Source={path}";
        return new TestDatabase(DatabaseKind.Sqlite, connectionString, () =>
        {
            // This database's pool only: clearing every pool closed connections other tests were opening at that moment.
            using (var pooled = new Microsoft.Data.Sqlite.SqliteConnection(DatabaseConnections.SqliteConnectionString(connectionString)))
                Microsoft.Data.Sqlite.SqliteConnection.ClearPool(pooled);
            folder.Delete(recursive: true);
            return Task.CompletedTask;
        });
    }

    private static async Task<TestDatabase> CreateSqlServerAsync()
    {
        var server = SqlServerConnectionString
            ?? throw new InvalidOperationException($"{SqlServerVariable} is not set");
        var name = $"kudosrelay_test_{Guid.NewGuid():N}";
        await ExecuteOnMasterAsync(server, $"CREATE DATABASE [{name}]");
        var connectionString = new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
        return new TestDatabase(DatabaseKind.SqlServer, connectionString, async () =>
        {
            using (var pooled = new SqlConnection(connectionString))
                SqlConnection.ClearPool(pooled);
            await ExecuteOnMasterAsync(server, $"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]");
        });
    }

    private static async Task ExecuteOnMasterAsync(string server, string sql)
    {
        var master = new SqlConnectionStringBuilder(server) { InitialCatalog = "master" }.ConnectionString;
        await using var connection = new SqlConnection(master);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A second, independent <see cref="Core.Storage.Db"/> on the same database: its own connection pool, like another instance.</summary>
    public Db AnotherInstance() => DatabaseConnections.Create(Dialect, ConnectionString);

    public async ValueTask DisposeAsync() => await cleanup();
}
