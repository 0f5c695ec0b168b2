using Dapper;
using KudosRelay.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace KudosRelay.Data.Tests.Sqlite;

/// <summary>A checkpoint copies what was committed to the log into the database file, beside a writer that goes on.</summary>
public sealed class CheckpointTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    private string File => new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, migrate: false);
        // As the migrator leaves every database: committed pages go to the write-ahead log first.
        await database.Db.WithConnectionAsync(connection => connection.ExecuteAsync("PRAGMA journal_mode = WAL"), CancellationToken.None);
        await database.Db.InTransactionAsync((connection, transaction) =>
            connection.ExecuteAsync("CREATE TABLE sample (id INTEGER PRIMARY KEY, words TEXT NOT NULL)", transaction: transaction), CancellationToken.None);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task Committed_rows_reach_the_database_file_while_another_transaction_is_writing()
    {
        // Fewer pages than SQLite's own checkpoint waits for: without this one, they would stay in the log.
        await InsertAsync(rows: 200);
        var before = new FileInfo(File).Length;

        var wordsInFile = await database.Db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("INSERT INTO sample (words) VALUES ('still being written')", transaction: transaction);
            await database.Db.CheckpointAsync(CancellationToken.None);
            return new FileInfo(File).Length;
        }, CancellationToken.None);

        Assert.True(wordsInFile > before + 200 * 1_000, $"the database file grew from {before} to {wordsInFile} bytes");
        Assert.Equal(201, await database.Db.WithConnectionAsync(connection => connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sample"), CancellationToken.None));
    }

    [Fact]
    public async Task A_bulk_writers_commits_leave_checkpoints_to_its_other_task_and_its_connection_goes_back_as_it_was()
    {
        Task<int> ThresholdAsync(bool checkpointedElsewhere) => database.Db.InTransactionAsync(
            (connection, transaction) => connection.ExecuteScalarAsync<int>("PRAGMA wal_autocheckpoint", transaction: transaction), CancellationToken.None, checkpointedElsewhere);

        Assert.Equal(4000, await ThresholdAsync(checkpointedElsewhere: true));
        Assert.Equal(1000, await ThresholdAsync(checkpointedElsewhere: false));
    }

    private Task<int> InsertAsync(int rows) =>
        database.Db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(
            "INSERT INTO sample (words) VALUES (@Words)", Enumerable.Range(0, rows).Select(row => new { Words = new string('w', 1_000) + row }), transaction: transaction),
            CancellationToken.None);
}
