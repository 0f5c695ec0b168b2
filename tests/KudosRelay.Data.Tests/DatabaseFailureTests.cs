using Dapper;
using KudosRelay.Core.Storage;
using KudosRelay.Testing;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Xunit;

namespace KudosRelay.Data.Tests;

public sealed class DatabaseFailureTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Theory]
    [InlineData(raw.SQLITE_CONSTRAINT, raw.SQLITE_CONSTRAINT_UNIQUE, DbFailure.DuplicateKey)]
    [InlineData(raw.SQLITE_CONSTRAINT, raw.SQLITE_CONSTRAINT_PRIMARYKEY, DbFailure.DuplicateKey)]
    [InlineData(raw.SQLITE_CONSTRAINT, raw.SQLITE_CONSTRAINT_FOREIGNKEY, DbFailure.Other)]
    [InlineData(raw.SQLITE_BUSY, raw.SQLITE_BUSY, DbFailure.Conflict)]
    [InlineData(raw.SQLITE_LOCKED, raw.SQLITE_LOCKED, DbFailure.Conflict)]
    [InlineData(raw.SQLITE_ERROR, raw.SQLITE_ERROR, DbFailure.Other)]
    public void Sqlite_errors_are_told_apart_by_their_codes(int code, int extendedCode, DbFailure expected) =>
        Assert.Equal(expected, DatabaseFailures.Classify(new SqliteException("error", code, extendedCode)));

    [Fact]
    public async Task A_unique_key_race_between_the_existence_check_and_the_insert_is_answered_as_a_duplicate_and_the_transaction_goes_on()
    {
        // The seam: a trigger stores the racing writer's row after the statement's existence check and before its insert,
        // which is where another SQL Server session can slip in. The statement has the SQL Server shape, without its table hints.
        await ExecuteAsync("""
            CREATE TRIGGER racing_writer BEFORE INSERT ON outbox_messages WHEN NEW.idempotency_key = 'raced'
            BEGIN
                INSERT INTO outbox_messages (idempotency_key, platform, target_kind, target_address, body, status, next_attempt_at, created_at)
                VALUES ('raced', 'slack', 'Channel', 'C1', '{}', 'pending', '2026-01-01', '2026-01-01');
            END
            """);
        const string InsertUnlessExists = """
            INSERT INTO outbox_messages (idempotency_key, platform, target_kind, target_address, body, status, next_attempt_at, created_at)
            SELECT @Key, 'slack', 'Channel', 'C1', '{}', 'pending', '2026-01-01', '2026-01-01'
            WHERE NOT EXISTS (SELECT 1 FROM outbox_messages WHERE idempotency_key = @Key)
            """;

        var (raced, next) = await database.Db.InTransactionAsync(async (connection, transaction) =>
        {
            var raced = await database.Db.UnlessDuplicateAsync(() => connection.ExecuteAsync(InsertUnlessExists, new { Key = "raced" }, transaction), -1);
            var next = await database.Db.UnlessDuplicateAsync(() => connection.ExecuteAsync(InsertUnlessExists, new { Key = "next" }, transaction), -1);
            return (raced, next);
        }, CancellationToken.None);

        Assert.Equal(-1, raced);
        Assert.Equal(1, next);
        // Here the racing row was written inside the refused statement and was undone with it; on SQL Server it is the other session's.
        Assert.Equal(["next"], await KeysAsync());
    }

    [Fact]
    public async Task A_unique_key_violation_outside_an_insert_if_missing_statement_is_an_error_and_is_not_retried()
    {
        await ExecuteAsync("INSERT INTO outbox_messages (idempotency_key, platform, target_kind, target_address, body, status, next_attempt_at, created_at) VALUES ('k', 'slack', 'Channel', 'C1', '{}', 'pending', '2026-01-01', '2026-01-01')");
        var attempts = 0;

        var error = await Assert.ThrowsAsync<SqliteException>(() => database.Db.InTransactionAsync((connection, transaction) =>
        {
            attempts++;
            return connection.ExecuteAsync("INSERT INTO outbox_messages (idempotency_key, platform, target_kind, target_address, body, status, next_attempt_at, created_at) VALUES ('k', 'slack', 'Channel', 'C1', '{}', 'pending', '2026-01-01', '2026-01-01')", transaction: transaction);
        }, CancellationToken.None));

        Assert.Equal(raw.SQLITE_CONSTRAINT_UNIQUE, error.SqliteExtendedErrorCode);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_transaction_that_lost_to_another_runs_again_from_the_start_and_commits_once()
    {
        // SQLite reports a lost lock only after its 30 s busy timeout, so the work raises what the provider then raises.
        var attempts = 0;

        var result = await database.Db.InTransactionAsync(async (connection, transaction) =>
        {
            attempts++;
            await connection.ExecuteAsync($"INSERT INTO outbox_messages (idempotency_key, platform, target_kind, target_address, body, status, next_attempt_at, created_at) VALUES ('attempt-{attempts}', 'slack', 'Channel', 'C1', '{{}}', 'pending', '2026-01-01', '2026-01-01')", transaction: transaction);
            return attempts < 3 ? throw new SqliteException("database is locked", raw.SQLITE_BUSY, raw.SQLITE_BUSY) : "committed";
        }, CancellationToken.None);

        Assert.Equal("committed", result);
        Assert.Equal(3, attempts);
        Assert.Equal(["attempt-3"], await KeysAsync());
    }

    [Fact]
    public async Task A_transaction_that_keeps_losing_gives_up_after_three_attempts_with_the_database_error()
    {
        var attempts = 0;

        var error = await Assert.ThrowsAsync<SqliteException>(() => database.Db.InTransactionAsync<int>((_, _) =>
        {
            attempts++;
            throw new SqliteException("database is locked", raw.SQLITE_BUSY, raw.SQLITE_BUSY);
        }, CancellationToken.None));

        Assert.Equal(raw.SQLITE_BUSY, error.SqliteErrorCode);
        Assert.Equal(3, attempts);
    }

    private Task<int> ExecuteAsync(string sql) => database.Db.WithConnectionAsync(connection => connection.ExecuteAsync(sql), CancellationToken.None);

    private async Task<List<string>> KeysAsync() =>
        (await database.Db.WithConnectionAsync(connection => connection.QueryAsync<string>("SELECT idempotency_key FROM outbox_messages ORDER BY idempotency_key"), CancellationToken.None)).ToList();
}
