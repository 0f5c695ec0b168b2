using System.Text.Json;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Xunit;
using static KudosRelay.Testing.OutboxTestData;

namespace KudosRelay.Core.Tests.Outbox;

public abstract class OutboxStoreTests(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase database = null!;
    private readonly ManualClock clock = new();
    private OutboxStore store = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        store = new OutboxStore(database.Db, clock);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [DatabaseFact]
    public async Task Idempotency_keys_that_differ_only_in_case_are_two_messages()
    {
        var lower = await EnqueueAsync(database.Db, store, Message("slack:event:ev0abc"));
        var upper = await EnqueueAsync(database.Db, store, Message("slack:event:Ev0ABC"));

        Assert.NotNull(lower);
        Assert.NotNull(upper);
        Assert.Equal(2, (await store.CountAsync(CancellationToken.None)).Pending);
    }

    [DatabaseFact]
    public async Task Enqueuing_the_same_idempotency_key_twice_keeps_one_message()
    {
        var first = await EnqueueAsync(database.Db, store, Message("kudos:1:dm"));
        var second = await EnqueueAsync(database.Db, store, Message("kudos:1:dm"));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(1, (await store.CountAsync(CancellationToken.None)).Pending);
    }

    [DatabaseFact]
    public async Task A_message_enqueued_in_a_rolled_back_transaction_does_not_exist()
    {
        await using (var connection = await database.Db.OpenAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await store.EnqueueAsync(transaction, Message("lost"), CancellationToken.None);
            await transaction.RollbackAsync();
        }

        Assert.Equal(0, (await store.CountAsync(CancellationToken.None)).Pending);
    }

    [DatabaseFact]
    public async Task Leased_message_round_trips_its_target_and_content()
    {
        var original = Message("round-trip");
        await EnqueueAsync(database.Db, store, original);

        var leased = Assert.Single(await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal(original.Target, leased.Target);
        Assert.Equal(original.Message.Summary, leased.Message.Summary);
        Assert.Equal(JsonSerializer.Serialize(original.Message), JsonSerializer.Serialize(leased.Message));
        Assert.Equal(0, leased.Attempts);
    }

    [DatabaseFact]
    public async Task A_message_that_mentions_people_round_trips_them()
    {
        var original = Message("mention");
        original = original with
        {
            Message = new ChatMessage("Kudos for Ana Petrova", [new HeadingBlock($"Kudos for {Mention.Of(0)}")])
            {
                People = [new ChatPerson("Ana Petrova", new Dictionary<string, string> { ["slack"] = "U0ANA", ["teams"] = "7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f" })],
            },
        };
        await EnqueueAsync(database.Db, store, original);

        var leased = Assert.Single(await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None));

        var person = Assert.Single(leased.Message.People);
        Assert.Equal("Ana Petrova", person.DisplayName);
        Assert.Equal(original.Message.People[0].UserIds.OrderBy(p => p.Key), person.UserIds.OrderBy(p => p.Key));
        Assert.Equal(JsonSerializer.Serialize(original.Message), JsonSerializer.Serialize(leased.Message));
    }

    [DatabaseFact]
    public async Task A_message_stored_before_mentions_existed_still_reads_and_names_nobody()
    {
        await EnqueueAsync(database.Db, store, Message("old"));
        // The body exactly as rows were written before ChatMessage had People.
        const string OldBody = """{"summary":"Kudos for Ana Petrova","blocks":[{"type":"heading","text":"Kudos for Ana Petrova"},{"type":"quote","text":"Thank you!","attribution":"Maria"}]}""";
        await database.Db.WithConnectionAsync(connection => Dapper.SqlMapper.ExecuteAsync(connection,
            "UPDATE outbox_messages SET body = @Body", new { Body = OldBody }), CancellationToken.None);

        var leased = Assert.Single(await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Empty(leased.Message.People);
        Assert.Equal("Kudos for Ana Petrova", Assert.IsType<HeadingBlock>(leased.Message.Blocks[0]).Text);
        Assert.Equal(new QuoteBlock("Thank you!", "Maria"), leased.Message.Blocks[1]);
    }

    [DatabaseFact]
    public async Task A_leased_message_is_not_leased_again_until_its_lease_expires()
    {
        await EnqueueAsync(database.Db, store, Message("one"));

        var first = await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        var whileLeased = await store.LeaseDueAsync("b", 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));
        var afterExpiry = await store.LeaseDueAsync("b", 10, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Single(first);
        Assert.Empty(whileLeased);
        Assert.Equal(first[0].Id, Assert.Single(afterExpiry).Id);
    }

    [DatabaseFact]
    public async Task A_message_scheduled_for_later_is_not_due_before_then()
    {
        await EnqueueAsync(database.Db, store, Message("later", notBefore: clock.GetUtcNow().UtcDateTime.AddMinutes(10)));

        var early = await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(10));
        var onTime = await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Empty(early);
        Assert.Single(onTime);
    }

    [DatabaseFact]
    public async Task Completion_by_an_owner_that_lost_its_lease_is_ignored()
    {
        await EnqueueAsync(database.Db, store, Message("one"));
        var leased = Assert.Single(await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(2));
        await store.LeaseDueAsync("b", 10, TimeSpan.FromMinutes(1), CancellationToken.None);

        await store.CompleteAsync("a", [new DeliveryOutcome(leased.Id, OutboxStatus.Sent, 1, null, null, "ref")], CancellationToken.None);

        var entry = Assert.Single(await store.ListAsync(null, 10, CancellationToken.None));
        Assert.Equal(OutboxStatus.Pending, entry.Status);
        Assert.Null(entry.PlatformMessageRef);
    }

    [DatabaseFact]
    public async Task Released_leases_make_messages_due_at_once()
    {
        await EnqueueAsync(database.Db, store, Message("one"));
        await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(5), CancellationToken.None);

        var released = await store.ReleaseLeasesAsync("a", CancellationToken.None);
        var leasedByB = await store.LeaseDueAsync("b", 10, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(1, released);
        Assert.Single(leasedByB);
    }

    [DatabaseFact]
    public async Task A_dead_message_can_be_queued_again_with_a_fresh_budget()
    {
        var id = (await EnqueueAsync(database.Db, store, Message("one")))!.Value;
        await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteAsync("a", [new DeliveryOutcome(id, OutboxStatus.Dead, 3, null, "channel_not_found", null)], CancellationToken.None);

        var retried = await store.RetryDeadAsync(id, CancellationToken.None);
        var retriedAgain = await store.RetryDeadAsync(id, CancellationToken.None);

        Assert.True(retried);
        Assert.False(retriedAgain);
        var entry = Assert.Single(await store.ListAsync(OutboxStatus.Pending, 10, CancellationToken.None));
        Assert.Equal(0, entry.Attempts);
    }

    [DatabaseFact]
    public async Task An_update_carries_the_platform_reference_of_the_message_it_replaces()
    {
        var originalId = (await EnqueueAsync(database.Db, store, Message("original")))!.Value;
        await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteAsync("a", [new DeliveryOutcome(originalId, OutboxStatus.Sent, 1, null, null, "C0123:1700000000.000100")], CancellationToken.None);
        await EnqueueAsync(database.Db, store, Message("update", replaces: originalId));

        var update = Assert.Single(await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal(originalId, update.ReplacesMessageId);
        Assert.Equal("C0123:1700000000.000100", update.ReplacesMessageRef);
    }

    [DatabaseFact]
    public async Task Lists_filter_by_status_newest_first()
    {
        await EnqueueManyAsync(database.Db, store, 3);

        var entries = await store.ListAsync(OutboxStatus.Pending, 2, CancellationToken.None);

        Assert.Equal(2, entries.Count);
        Assert.True(entries[0].Id > entries[1].Id);
        Assert.Empty(await store.ListAsync(OutboxStatus.Dead, 10, CancellationToken.None));
        Assert.Equal(ChatTargetKind.Channel.ToString(), entries[0].TargetKind);
    }

    [DatabaseFact]
    public async Task Many_messages_enqueued_at_once_skip_the_keys_that_exist_and_keep_their_order()
    {
        await EnqueueAsync(database.Db, store, Message("feedback:2:dm"));
        var messages = new[] { Message("feedback:1:dm"), Message("feedback:1:team:test"), Message("feedback:2:dm"), Message("later", notBefore: clock.GetUtcNow().UtcDateTime.AddHours(1)) };

        var added = await database.Db.InTransactionAsync((_, transaction) => store.EnqueueManyAsync(transaction, messages, CancellationToken.None), CancellationToken.None);

        Assert.Equal(3, added);
        var listed = await store.ListAsync(OutboxStatus.Pending, 10, CancellationToken.None);
        Assert.Equal(["later", "feedback:1:team:test", "feedback:1:dm", "feedback:2:dm"], listed.Select(entry => entry.IdempotencyKey));
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddHours(1), listed[0].NextAttemptAt);
        var leased = await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(3, leased.Count);
        Assert.Equal(JsonSerializer.Serialize(messages[0].Message), JsonSerializer.Serialize(leased.Single(m => m.Id == listed[2].Id).Message));
        Assert.Equal(messages[1].Target, leased.Single(m => m.Id == listed[1].Id).Target);
    }

    [DatabaseFact]
    public async Task A_message_enqueued_in_a_batch_is_stored_exactly_as_one_enqueued_alone()
    {
        clock.Advance(TimeSpan.FromTicks(1_234_567));
        var notBefore = clock.GetUtcNow().UtcDateTime.AddMinutes(5).AddTicks(3);
        await EnqueueAsync(database.Db, store, Message("alone", notBefore: notBefore));
        await database.Db.InTransactionAsync((_, transaction) => store.EnqueueManyAsync(transaction, [Message("batched", notBefore: notBefore)], CancellationToken.None), CancellationToken.None);

        var rows = (await database.Db.WithConnectionAsync(connection => Dapper.SqlMapper.QueryAsync(connection,
            "SELECT * FROM outbox_messages ORDER BY id"), CancellationToken.None)).Cast<IDictionary<string, object?>>().ToList();

        Assert.Equal(2, rows.Count);
        foreach (var column in rows[0].Keys.Except(["id", "idempotency_key", "body"]))
            Assert.True(Equals(rows[0][column], rows[1][column]), $"{column}: {rows[0][column]} alone, {rows[1][column]} in a batch");
        Assert.Equal((string)rows[0]["body"]!, ((string)rows[1]["body"]!).Replace("batched", "alone", StringComparison.Ordinal));
        // next_attempt_at is DATETIME2(3): SQL Server keeps milliseconds (rounded), SQLite every tick; both are due a millisecond after, neither a millisecond before.
        clock.Set(notBefore.AddMilliseconds(-1));
        Assert.Empty(await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        clock.Set(notBefore.AddMilliseconds(1));
        Assert.Equal(2, (await store.LeaseDueAsync("a", 10, TimeSpan.FromMinutes(1), CancellationToken.None)).Count);
    }
}

public sealed class OutboxStoreTestsOnSqlite() : OutboxStoreTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class OutboxStoreTestsOnSqlServer() : OutboxStoreTests(DatabaseKind.SqlServer);
