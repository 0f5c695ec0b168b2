using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static KudosRelay.Testing.OutboxTestData;

namespace KudosRelay.Core.Tests.Outbox;

public abstract class OutboxDispatcherTests(DatabaseKind kind) : IAsyncLifetime
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

    private OutboxDispatcher Dispatcher(IChatSender sender, int maxAttempts = 10, string owner = "test-owner") =>
        Dispatcher([sender], maxAttempts, owner);

    private OutboxDispatcher Dispatcher(IEnumerable<IChatSender> senders, int maxAttempts = 10, string owner = "test-owner") =>
        new(store, senders, clock, new OutboxDispatchOptions { Owner = owner, MaxAttempts = maxAttempts }, NullLogger<OutboxDispatcher>.Instance);

    /// <summary>Runs dispatch passes, moving the clock past each retry, until nothing is pending.</summary>
    private async Task DrainAsync(OutboxDispatcher dispatcher)
    {
        for (var pass = 0; pass < 100 && (await store.CountAsync(CancellationToken.None)).Pending > 0; pass++)
        {
            await dispatcher.DispatchDueAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromHours(5));
        }
    }

    [DatabaseFact]
    public async Task A_message_that_fails_transiently_three_times_is_delivered_on_the_fourth_attempt_with_every_attempt_recorded()
    {
        var sender = new RecordingChatSender("test", m => m.Attempt <= 3 ? new SendResult.Transient("HTTP 503") : new SendResult.Sent("ts-1"));
        var id = (await EnqueueAsync(database.Db, store, Message("flaky")))!.Value;

        await DrainAsync(Dispatcher(sender));

        var entry = Assert.Single(await store.ListAsync(null, 10, CancellationToken.None));
        Assert.Equal(OutboxStatus.Sent, entry.Status);
        Assert.Equal(4, entry.Attempts);
        Assert.Equal("ts-1", entry.PlatformMessageRef);
        Assert.Single(sender.Delivered);
        var attempts = await store.AttemptsAsync(id, CancellationToken.None);
        Assert.Equal(["retry", "retry", "retry", "sent"], attempts.Select(a => a.Outcome));
        Assert.All(attempts.Take(3), a => Assert.Equal("HTTP 503", a.Error));
    }

    [DatabaseFact]
    public async Task A_permanent_failure_is_dead_lettered_with_its_reason_after_one_attempt()
    {
        var sender = new RecordingChatSender("test", _ => new SendResult.Permanent("channel_not_found"));
        await EnqueueAsync(database.Db, store, Message("doomed"));

        await DrainAsync(Dispatcher(sender));

        var entry = Assert.Single(await store.ListAsync(OutboxStatus.Dead, 10, CancellationToken.None));
        Assert.Equal("channel_not_found", entry.LastError);
        Assert.Equal(1, entry.Attempts);
        Assert.Single(sender.Attempts);
    }

    [DatabaseFact]
    public async Task A_message_failing_every_time_is_dead_lettered_after_the_attempt_cap()
    {
        var sender = new RecordingChatSender("test", _ => new SendResult.Transient("timeout"));
        await EnqueueAsync(database.Db, store, Message("never"));

        await DrainAsync(Dispatcher(sender, maxAttempts: 4));

        var entry = Assert.Single(await store.ListAsync(OutboxStatus.Dead, 10, CancellationToken.None));
        Assert.Equal(4, entry.Attempts);
        Assert.Equal("gave up after 4 attempts: timeout", entry.LastError);
        Assert.Equal(4, sender.Attempts.Count);
    }

    [DatabaseFact]
    public async Task A_retry_waits_at_least_as_long_as_the_platform_asked()
    {
        var sender = new RecordingChatSender("test", m => m.Attempt == 1 ? new SendResult.Transient("ratelimited", TimeSpan.FromMinutes(30)) : new SendResult.Sent("ok"));
        await EnqueueAsync(database.Db, store, Message("throttled"));
        var dispatcher = Dispatcher(sender);

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(29));
        var tooEarly = await dispatcher.DispatchDueAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        var onTime = await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal(0, tooEarly);
        Assert.Equal(1, onTime);
        Assert.Single(sender.Delivered);
    }

    [DatabaseFact]
    public async Task A_sender_that_throws_counts_as_a_failed_attempt_and_does_not_stall_the_queue()
    {
        var sender = new ThrowingOnceSender();
        await EnqueueManyAsync(database.Db, store, 3);

        await DrainAsync(Dispatcher(sender));

        Assert.Equal(3, (await store.CountAsync(CancellationToken.None)).Sent);
    }

    [DatabaseFact]
    public async Task A_message_for_a_platform_without_a_sender_is_dead_lettered_naming_the_platform()
    {
        await EnqueueAsync(database.Db, store, Message("orphan", platform: "carrier-pigeon"));

        await DrainAsync(Dispatcher(new RecordingChatSender("test")));

        var entry = Assert.Single(await store.ListAsync(OutboxStatus.Dead, 10, CancellationToken.None));
        Assert.Equal("no sender is configured for platform 'carrier-pigeon'", entry.LastError);
    }

    [DatabaseFact]
    public async Task The_console_sender_stands_in_for_platforms_without_their_own()
    {
        var console = new RecordingChatSender(OutboxDispatcher.ConsoleChatSenderName);
        await EnqueueAsync(database.Db, store, Message("local", platform: "slack"));

        await DrainAsync(Dispatcher(console));

        Assert.Equal("slack", Assert.Single(console.Delivered).Target.Platform);
        // Printed for a local try-out is not delivered: it is never recorded as sent.
        var entry = Assert.Single(await store.ListAsync(null, 10, CancellationToken.None));
        Assert.Equal(OutboxStatus.Printed, entry.Status);
        Assert.Null(entry.SentAt);
        Assert.Equal(new OutboxCounts(0, 0, 0) { Printed = 1 }, await store.CountAsync(CancellationToken.None));
    }

    [DatabaseFact]
    public async Task Printed_messages_are_sent_for_real_once_retried_with_a_platform_configured_and_their_updates_follow_the_real_post()
    {
        var console = new RecordingChatSender(OutboxDispatcher.ConsoleChatSenderName);
        var originalId = (await EnqueueAsync(database.Db, store, Message("post", platform: "slack")))!.Value;
        await DrainAsync(Dispatcher(console));
        await EnqueueAsync(database.Db, store, Message("post:withdrawn", platform: "slack", replaces: originalId));
        await DrainAsync(Dispatcher(console));
        Assert.Equal(2, (await store.CountAsync(CancellationToken.None)).Printed);

        Assert.Equal(2, await store.RetryPrintedAsync(CancellationToken.None));
        var slack = new RecordingChatSender("slack", m => new SendResult.Sent($"C1:{m.Id}"));
        await DrainAsync(Dispatcher(slack));

        Assert.Equal(new OutboxCounts(0, 2, 0), await store.CountAsync(CancellationToken.None));
        Assert.Equal($"C1:{originalId}", Assert.Single(slack.Delivered, m => m.ReplacesMessageRef is not null).ReplacesMessageRef);
    }

    [DatabaseFact]
    public async Task A_message_for_a_platform_that_is_not_configured_is_never_marked_sent_while_another_platform_is()
    {
        var slack = new RecordingChatSender("slack");
        await EnqueueAsync(database.Db, store, Message("for-teams", platform: "teams"));

        await DrainAsync(Dispatcher(slack));

        Assert.Empty(slack.Attempts);
        Assert.Equal(OutboxStatus.Dead, Assert.Single(await store.ListAsync(null, 10, CancellationToken.None)).Status);
    }

    [DatabaseFact]
    public async Task A_send_deferred_by_a_local_limit_uses_up_no_attempt_even_many_times_over()
    {
        var calls = 0;
        var sender = new RecordingChatSender("test", _ => Interlocked.Increment(ref calls) <= 30
            ? new SendResult.Deferred("paced", TimeSpan.FromSeconds(2))
            : new SendResult.Sent("ts-1"));
        var id = (await EnqueueAsync(database.Db, store, Message("paced")))!.Value;

        // Far more deferrals than the attempt cap allows failures: none of them counts.
        await DrainAsync(Dispatcher(sender, maxAttempts: 3));

        var entry = Assert.Single(await store.ListAsync(null, 10, CancellationToken.None));
        Assert.Equal(OutboxStatus.Sent, entry.Status);
        Assert.Equal(1, entry.Attempts);
        Assert.Equal(["sent"], (await store.AttemptsAsync(id, CancellationToken.None)).Select(a => a.Outcome));
    }

    [DatabaseFact]
    public async Task A_deferred_message_comes_back_after_the_wait_it_was_given_and_not_before()
    {
        var deferred = false;
        var sender = new RecordingChatSender("test", _ =>
        {
            if (deferred)
                return new SendResult.Sent("ts-1");
            deferred = true;
            return new SendResult.Deferred("paced", TimeSpan.FromSeconds(30));
        });
        await EnqueueAsync(database.Db, store, Message("paced"));
        var dispatcher = Dispatcher(sender);

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));

        Assert.Equal(OutboxStatus.Sent, Assert.Single(await store.ListAsync(null, 10, CancellationToken.None)).Status);
    }

    [DatabaseFact]
    public async Task Each_message_is_recorded_sent_as_soon_as_the_platform_answers_while_the_rest_of_its_batch_is_still_out()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new GatedSender(message => message.Target.Address == "C-SLOW" ? slow.Task : Task.CompletedTask);
        var quick = (await EnqueueAsync(database.Db, store, Message("quick")))!.Value;
        await EnqueueAsync(database.Db, store, Message("slow") with { Target = new ChatTarget("test", ChatTargetKind.Channel, "C-SLOW") });

        var pass = Dispatcher(sender).DispatchDueAsync(CancellationToken.None);
        await WaitUntilAsync(async () => (await store.ListAsync(OutboxStatus.Sent, 10, CancellationToken.None)).Any(e => e.Id == quick));
        Assert.False(pass.IsCompleted);
        slow.SetResult();
        await pass;

        Assert.Equal(2, (await store.CountAsync(CancellationToken.None)).Sent);
    }

    [DatabaseFact]
    public async Task Leases_of_a_batch_still_out_are_renewed_so_a_short_lease_is_not_taken_over_from_a_live_instance()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new GatedSender(_ => release.Task);
        var id = (await EnqueueAsync(database.Db, store, Message("long-send")))!.Value;
        var dispatcher = new OutboxDispatcher(store, [sender], clock,
            new OutboxDispatchOptions { Owner = "live", LeaseDuration = TimeSpan.FromMilliseconds(300) }, NullLogger<OutboxDispatcher>.Instance);

        var pass = dispatcher.DispatchDueAsync(CancellationToken.None);
        await WaitUntilAsync(() => Task.FromResult(sender.Started > 0));
        clock.Advance(TimeSpan.FromMinutes(1));
        // The heartbeat moves the lease past the new now; a second instance finds nothing to take.
        await WaitUntilAsync(async () => await LeaseExpiresAsync(id) > clock.GetUtcNow().UtcDateTime);
        var other = new OutboxDispatcher(store, [new RecordingChatSender("test")], clock, new OutboxDispatchOptions { Owner = "other" }, NullLogger<OutboxDispatcher>.Instance);
        Assert.Equal(0, await other.DispatchDueAsync(CancellationToken.None));
        release.SetResult();
        await pass;

        Assert.Equal(1, (await store.CountAsync(CancellationToken.None)).Sent);
    }

    private Task<DateTime?> LeaseExpiresAsync(long id) =>
        database.Db.WithConnectionAsync(connection => Dapper.SqlMapper.ExecuteScalarAsync<DateTime?>(connection,
            "SELECT lease_expires_at FROM outbox_messages WHERE id = @Id", new { Id = id }), CancellationToken.None);

    /// <summary>Polls until <paramref name="condition"/> holds; the limit only fails a test that would otherwise hang.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
            await Task.Delay(10, limit.Token);
    }

    /// <summary>Answers "sent" once the gate the test chose for each message opens.</summary>
    private sealed class GatedSender(Func<OutboundMessage, Task> gate) : IChatSender
    {
        private int started;

        public int Started => Volatile.Read(ref started);

        public string Platform => "test";

        public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref started);
            await gate(message);
            return new SendResult.Sent($"ref-{message.Id}");
        }
    }

    [DatabaseFact]
    public async Task An_update_in_place_waits_until_the_original_is_sent_and_then_carries_its_reference()
    {
        var sender = new RecordingChatSender("test", m => new SendResult.Sent($"ref-{m.Id}"));
        var originalId = (await EnqueueAsync(database.Db, store, Message("original", notBefore: clock.GetUtcNow().UtcDateTime.AddMinutes(1))))!.Value;
        await EnqueueAsync(database.Db, store, Message("update", replaces: originalId));

        await Dispatcher(sender).DispatchDueAsync(CancellationToken.None);
        Assert.Empty(sender.Attempts);
        await DrainAsync(Dispatcher(sender));

        var update = sender.Delivered.Single(m => m.ReplacesMessageRef is not null);
        Assert.Equal($"ref-{originalId}", update.ReplacesMessageRef);
    }

    [DatabaseFact]
    public async Task Two_dispatchers_on_one_database_deliver_a_thousand_messages_exactly_once()
    {
        await EnqueueManyAsync(database.Db, store, 1000);
        var sender = new RecordingChatSender("test");
        // Each dispatcher gets its own Db, so its own connections, as separate instances would.
        var otherStore = new OutboxStore(database.AnotherInstance(), clock);
        var first = Dispatcher(sender, owner: "instance-a");
        var second = new OutboxDispatcher(otherStore, [sender], clock,
            new OutboxDispatchOptions { Owner = "instance-b", BatchSize = 37 }, NullLogger<OutboxDispatcher>.Instance);

        await Task.WhenAll(RunUntilEmptyAsync(first), RunUntilEmptyAsync(second));

        var deliveredIds = sender.Attempts.Select(m => m.Id).ToList();
        Assert.Equal(1000, deliveredIds.Count);
        Assert.Equal(1000, deliveredIds.Distinct().Count());
        Assert.Equal(1000, (await store.CountAsync(CancellationToken.None)).Sent);
    }

    private static async Task RunUntilEmptyAsync(OutboxDispatcher dispatcher)
    {
        while (await dispatcher.DispatchDueAsync(CancellationToken.None) > 0)
        {
        }
    }

    private sealed class ThrowingOnceSender : IChatSender
    {
        private int calls;

        public string Platform => "test";

        public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("boom")
                : Task.FromResult<SendResult>(new SendResult.Sent("ok"));
    }
}

public sealed class OutboxDispatcherTestsOnSqlite() : OutboxDispatcherTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class OutboxDispatcherTestsOnSqlServer() : OutboxDispatcherTests(DatabaseKind.SqlServer);

public sealed class RetryDelayTests
{
    private static OutboxDispatcher Dispatcher() => new(null!, [], new ManualClock(), new OutboxDispatchOptions(), NullLogger<OutboxDispatcher>.Instance);

    [Fact]
    public void Retry_delays_grow_exponentially_within_their_jitter_band()
    {
        var dispatcher = Dispatcher();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var ceiling = TimeSpan.FromSeconds(5 * Math.Pow(2, attempt - 1));
            var delay = dispatcher.RetryDelay(attempt, null);
            Assert.InRange(delay, ceiling / 2, ceiling);
        }
    }

    [Fact]
    public void Retry_delay_is_capped()
    {
        Assert.InRange(Dispatcher().RetryDelay(40, null), TimeSpan.FromHours(2), TimeSpan.FromHours(4));
    }

    [Fact]
    public void Retry_after_from_the_platform_wins_when_longer()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), Dispatcher().RetryDelay(1, TimeSpan.FromMinutes(10)));
    }
}
