using Dapper;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Data.Tests.Sqlite;

/// <summary>A read of its own sees what is committed and leaves SQLite's one writer alone.</summary>
public sealed class ReadTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, migrate: false);
        await database.Db.WithConnectionAsync(connection => connection.ExecuteAsync("PRAGMA journal_mode = WAL"), CancellationToken.None);
        await database.Db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("CREATE TABLE sample (id INTEGER PRIMARY KEY, words TEXT NOT NULL)", transaction: transaction);
            await connection.ExecuteAsync("INSERT INTO sample (words) VALUES ('committed')", transaction: transaction);
        }, CancellationToken.None);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task A_read_sees_what_is_committed_while_another_transaction_is_writing()
    {
        // A read that asked for the file's write lock would wait here for the transaction around it, and fail once SQLite's busy timeout ran out.
        var seen = await database.Db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("INSERT INTO sample (words) VALUES ('still being written')", transaction: transaction);
            return await database.Db.ReadAsync(
                read => read.Connection!.QueryAsync<string>("SELECT words FROM sample ORDER BY id", transaction: read), CancellationToken.None);
        }, CancellationToken.None);

        Assert.Equal(["committed"], seen);
    }
}
