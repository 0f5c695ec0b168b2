using KudosRelay.Core.Digests;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Digests;

public abstract class DigestRunStoreTests(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase database = null!;
    private readonly ManualClock clock = new();
    private DigestRunStore store = null!;
    private long subscription;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        store = new DigestRunStore(database.Db, clock);
        subscription = await SeedRows.DigestSubscriptionAsync(database.Db, "support weekly");
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private Task<long?> ClaimAsync(long subscriptionId, string week) =>
        database.Db.WriteAsync(transaction => store.TryClaimAsync(transaction, subscriptionId, week, CancellationToken.None));

    [DatabaseFact]
    public async Task A_week_is_claimed_once_per_subscription()
    {
        var other = await SeedRows.DigestSubscriptionAsync(database.Db, "billing weekly");

        var first = await ClaimAsync(subscription, "2026-W48");
        var again = await ClaimAsync(subscription, "2026-W48");
        var nextWeek = await ClaimAsync(subscription, "2026-W49");
        var otherSubscription = await ClaimAsync(other, "2026-W48");

        Assert.NotNull(first);
        Assert.Null(again);
        Assert.NotNull(nextWeek);
        Assert.NotNull(otherSubscription);
        var runs = await store.ListAsync(subscription, CancellationToken.None);
        Assert.Equal([("2026-W48", DigestRunStatus.Claimed), ("2026-W49", DigestRunStatus.Claimed)], runs.Select(r => (r.IsoWeek, r.Status)));
        Assert.Equal(clock.GetUtcNow().UtcDateTime, runs[0].CreatedAt);
    }

    [DatabaseFact]
    public async Task Two_instances_racing_for_the_same_week_claim_it_exactly_once()
    {
        var otherInstance = database.AnotherInstance();
        var otherStore = new DigestRunStore(otherInstance, clock);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // All contenders start together. Task.Run because SQLite blocks the calling thread while it
        // waits for the write lock (BEGIN IMMEDIATE), which would otherwise serialise the test itself.
        Task<long?> Contend(Db db, DigestRunStore contender) => Task.Run(async () =>
        {
            await go.Task;
            return await db.InTransactionAsync((_, transaction) =>
                contender.TryClaimAsync(transaction, subscription, "2026-W48", CancellationToken.None), CancellationToken.None);
        });
        var claims = Enumerable.Range(0, 8)
            .Select(i => i % 2 == 0 ? Contend(database.Db, store) : Contend(otherInstance, otherStore))
            .ToList();

        go.SetResult();
        var results = await Task.WhenAll(claims);

        var winner = Assert.Single(results, id => id is not null);
        Assert.Equal(winner, Assert.Single(await store.ListAsync(subscription, CancellationToken.None)).Id);
    }

    [DatabaseFact]
    public async Task A_claim_rolled_back_with_its_digest_leaves_the_week_free()
    {
        await using (var connection = await database.Db.OpenAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.NotNull(await store.TryClaimAsync(transaction, subscription, "2026-W48", CancellationToken.None));
            await transaction.RollbackAsync();
        }

        Assert.NotNull(await ClaimAsync(subscription, "2026-W48"));
    }

    [DatabaseFact]
    public async Task A_run_completes_once_with_the_outbox_message_that_carries_the_digest()
    {
        var outbox = new OutboxStore(database.Db, clock);

        var (runId, messageId, completed) = await database.Db.WriteAsync(async transaction =>
        {
            var runId = (await store.TryClaimAsync(transaction, subscription, "2026-W48", CancellationToken.None))!.Value;
            var messageId = (await outbox.EnqueueAsync(transaction, OutboxTestData.Message($"digest:{runId}"), CancellationToken.None))!.Value;
            return (runId, messageId, await store.CompleteAsync(transaction, runId, messageId, late: false, CancellationToken.None));
        });
        var completedAgain = await database.Db.WriteAsync(transaction => store.CompleteAsync(transaction, runId, messageId + 1, late: false, CancellationToken.None));

        Assert.True(completed);
        Assert.False(completedAgain);
        var run = Assert.Single(await store.ListAsync(subscription, CancellationToken.None));
        Assert.Equal((runId, DigestRunStatus.Completed, (long?)messageId), (run.Id, run.Status, run.OutboxMessageId));
    }
}

public sealed class DigestRunStoreTestsOnSqlite() : DigestRunStoreTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class DigestRunStoreTestsOnSqlServer() : DigestRunStoreTests(DatabaseKind.SqlServer);
