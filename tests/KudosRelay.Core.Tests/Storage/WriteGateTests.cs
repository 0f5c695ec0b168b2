using Dapper;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Xunit;
using static KudosRelay.Testing.OutboxTestData;

namespace KudosRelay.Core.Tests.Storage;

/// <summary>SQLite's one writer: the write gate, transactions inside transactions, and the outbox's group commit.</summary>
public sealed class WriteGateTests : IAsyncLifetime
{
    // Bounds a test that would otherwise hang on a deadlock; it is never what passes or fails a working build.
    private static readonly TimeSpan Hung = TimeSpan.FromSeconds(60);

    private static readonly string[] Keys = ["good-1", "bad", "good-2", "good-3"];

    private readonly ManualClock clock = new();
    private TestDatabase database = null!;
    private OutboxStore store = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        store = new OutboxStore(database.Db, clock);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private Task<int> CountAsync(string sql) =>
        database.Db.WithConnectionAsync(connection => connection.ExecuteScalarAsync<int>(sql), CancellationToken.None);

    [Fact]
    public async Task A_transaction_inside_a_transaction_joins_it_instead_of_waiting_for_the_gate_it_holds()
    {
        var db = database.Db;

        await db.InTransactionAsync(async (_, outer) =>
        {
            await store.EnqueueAsync(outer, Message("outer"), CancellationToken.None);
            await db.InTransactionAsync((_, inner) => store.EnqueueAsync(inner, Message("inner"), CancellationToken.None), CancellationToken.None);
        }, CancellationToken.None).WaitAsync(Hung);

        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task Inner_work_is_undone_with_the_outer_transaction_it_joined()
    {
        var db = database.Db;

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.InTransactionAsync(async (_, outer) =>
        {
            await db.InTransactionAsync((_, inner) => store.EnqueueAsync(inner, Message("inner"), CancellationToken.None), CancellationToken.None);
            throw new InvalidOperationException("the use case failed");
        }, CancellationToken.None).WaitAsync(Hung));

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task A_single_write_made_inside_a_transaction_joins_it_rather_than_waiting_for_the_gate()
    {
        var id = (await EnqueueAsync(database.Db, store, Message("dead")))!.Value;
        await database.Db.WithConnectionAsync(c => c.ExecuteAsync("UPDATE outbox_messages SET status = 'dead' WHERE id = @Id", new { Id = id }), CancellationToken.None);

        var retried = await database.Db.InTransactionAsync((_, _) => store.RetryDeadAsync(id, CancellationToken.None), CancellationToken.None).WaitAsync(Hung);

        Assert.True(retried);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE status = 'pending'"));
    }

    [Fact]
    public async Task In_a_group_commit_one_bad_row_fails_only_its_own_caller()
    {
        await database.Db.WithConnectionAsync(c => c.ExecuteAsync("""
            CREATE TRIGGER refuse_bad BEFORE INSERT ON outbox_messages WHEN NEW.idempotency_key = 'bad'
            BEGIN SELECT RAISE(ABORT, 'refused'); END
            """), CancellationToken.None);
        var commit = new OutboxGroupCommit(database.Db, store);
        // The callers queue up before the writer starts, so they share one batch.
        var callers = Keys.ToDictionary(key => key, key => commit.EnqueueAsync(Message(key), CancellationToken.None));
        using var stop = new CancellationTokenSource();
        var writer = commit.RunAsync(stop.Token);

        await Task.WhenAll(callers.Where(c => c.Key != "bad").Select(c => c.Value)).WaitAsync(Hung);
        await Assert.ThrowsAnyAsync<Exception>(() => callers["bad"].WaitAsync(Hung));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer);

        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM outbox_messages"));
    }
}
