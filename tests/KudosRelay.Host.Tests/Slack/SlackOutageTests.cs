using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Host.Http;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace KudosRelay.Host.Tests.Slack;

/// <summary>
/// Slack refusing or failing, and the outbox waiting it out. The host runs on a fake clock with its
/// dispatcher worker off; each test runs the dispatcher's passes itself and moves time between them, so
/// "not yet" is a pass that leases nothing rather than a sleep.
/// </summary>
public sealed class SlackOutageTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private SlackTestHost host = null!;
    private OutboxStore store = null!;
    private OutboxDispatcher dispatcher = null!;

    public async Task InitializeAsync()
    {
        // One send at a time, so the breaker sees the failures in order.
        host = await SlackTestHost.StartAsync(clock, "--Outbox:DispatcherEnabled=false", "--Outbox:Concurrency=1");
        store = new OutboxStore(host.Database.Db, clock);
        dispatcher = host.Services.GetRequiredService<OutboxDispatcher>();
        await host.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_429_with_retry_after_2_is_not_retried_in_the_send_but_by_the_outbox_once_the_wait_is_over()
    {
        host.Slack.Script("chat.postMessage", FakeReply.RateLimited(2));
        var id = await EnqueueAsync("k4", "C0429");
        var firstAttemptAt = Now;

        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        var waiting = await EntryAsync(id);
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));   // not due yet: nothing leased, nothing sent
        Assert.Single(host.Slack.CallsTo("chat.postMessage"));

        clock.Advance(waiting.NextAttemptAt - clock.GetUtcNow().UtcDateTime);
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));

        Assert.Equal((OutboxStatus.Pending, 1, "ratelimited"), (waiting.Status, waiting.Attempts, waiting.LastError));
        Assert.True(waiting.NextAttemptAt >= firstAttemptAt.AddSeconds(2), $"next attempt at {waiting.NextAttemptAt:o}");
        Assert.Equal(OutboxStatus.Sent, (await EntryAsync(id)).Status);
        Assert.Equal(2, host.Slack.CallsTo("chat.postMessage").Count);   // the 429 and the one delivery
    }

    [Fact]
    public async Task A_long_retry_after_leaves_the_message_for_the_outbox_to_retry_no_sooner_than_asked()
    {
        host.Slack.Script("chat.postMessage", FakeReply.RateLimited(120));
        var id = await EnqueueAsync("k5", "C0LONG");

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        var entry = await EntryAsync(id);

        Assert.Equal((OutboxStatus.Pending, 1, "ratelimited"), (entry.Status, entry.Attempts, entry.LastError));
        Assert.Equal(Now.AddSeconds(120), entry.NextAttemptAt);
        Assert.Single(host.Slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task While_slack_fails_its_breaker_opens_and_the_outbox_waits_out_the_break_without_calling_slack()
    {
        var messages = OutboundResilience.BreakerMinimumThroughput + 3;
        host.Slack.Script("chat.postMessage", Enumerable.Repeat(new FakeReply(503, "{}"), messages).ToArray());
        var ids = new List<long>();
        for (var i = 0; i < messages; i++)
            ids.Add(await EnqueueAsync($"down{i}", $"C0DOWN{i}"));   // a channel each, so the per-channel rate limit never waits

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        var entries = (await store.ListAsync(null, 100, CancellationToken.None)).Where(e => ids.Contains(e.Id)).ToList();

        Assert.All(entries, e => Assert.Equal((OutboxStatus.Pending, 1), (e.Status, e.Attempts)));
        var refused = entries.Where(e => e.LastError == "circuit_open").ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, e => Assert.Equal(Now + OutboundResilience.BreakDuration, e.NextAttemptAt));
        Assert.Equal(entries.Count(e => e.LastError == "http_503"), host.Slack.CallsTo("chat.postMessage").Count);   // refused ones never reached Slack
        Assert.Equal(messages, entries.Count(e => e.LastError is "http_503" or "circuit_open"));
    }

    [Fact]
    public async Task A_post_whose_answer_came_after_the_time_out_is_found_in_the_history_and_not_posted_again()
    {
        var stall = host.Slack.StallNextPost();
        var id = await EnqueueAsync("slow", "C0SLOW");

        var pass = dispatcher.DispatchDueAsync(CancellationToken.None);
        await host.Slack.WaitForAsync("chat.postMessage");
        clock.Advance(OutboundResilience.AttemptTimeout + TimeSpan.FromSeconds(1));
        await pass;
        stall.SetResult();
        var unknown = await EntryAsync(id);
        Assert.Equal((OutboxStatus.Pending, 1, "timeout"), (unknown.Status, unknown.Attempts, unknown.LastError));

        clock.Advance(unknown.NextAttemptAt - Now);
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));

        var post = Assert.Single(host.Slack.CallsTo("chat.postMessage"));
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)post.Json["metadata"]!["event_payload"]!["outbox_id"]);
        var lookup = Assert.Single(host.Slack.CallsTo("conversations.history"));
        SlackOpenApi.AssertParametersMatch("conversations.history", lookup);
        SlackOpenApi.AssertParametersMatch("chat.postMessage", post);
        var entry = await EntryAsync(id);
        Assert.Equal(OutboxStatus.Sent, entry.Status);
        Assert.StartsWith("C0SLOW:1700000000.", entry.PlatformMessageRef, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_that_never_reached_slack_is_posted_on_the_next_attempt_after_the_history_shows_nothing()
    {
        host.Slack.Script("chat.postMessage", new FakeReply(503, "{}"));
        var id = await EnqueueAsync("lost", "C0LOST");

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        clock.Advance((await EntryAsync(id)).NextAttemptAt - Now);
        await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Single(host.Slack.CallsTo("conversations.history"));
        Assert.Equal(2, host.Slack.CallsTo("chat.postMessage").Count);
        Assert.Equal(OutboxStatus.Sent, (await EntryAsync(id)).Status);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<long> EnqueueAsync(string key, string channel)
    {
        var message = OutboxTestData.Message(key) with { Target = new ChatTarget("slack", ChatTargetKind.Channel, channel, "T111") };
        return (await OutboxTestData.EnqueueAsync(host.Database.Db, store, message))!.Value;
    }

    private async Task<OutboxEntry> EntryAsync(long id) =>
        (await store.ListAsync(null, 100, CancellationToken.None)).Single(e => e.Id == id);
}
