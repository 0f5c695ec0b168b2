using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace KudosRelay.Host.Tests.Slack;

/// <summary>
/// Two instances of the bot on one database deliver to a fake Slack that keeps Slack's per-channel limit. Each
/// instance has its own process state; only the database is shared, so keeping to the limit together shows the
/// budget is shared there. The clock moves only between the dispatchers' passes.
/// </summary>
public sealed class SlackSharedRateLimitTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Two_dispatchers_posting_to_the_same_channels_get_no_429_and_post_every_message_once()
    {
        await using var first = await SlackTestHost.StartAsync(clock, "--Outbox:DispatcherEnabled=false");
        await using var second = await SlackTestHost.StartAlongsideAsync(first, clock, "--Outbox:DispatcherEnabled=false");
        await first.WaitUntilReadyAsync();
        await second.WaitUntilReadyAsync();
        first.Slack.LimitPostsPerChannel(clock);
        var store = new OutboxStore(first.Database.Db, clock);
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            for (var channel = 0; channel < 4; channel++)
            {
                var message = OutboxTestData.Message($"shared-{channel}-{i}") with { Target = new ChatTarget("slack", ChatTargetKind.Channel, $"C00{channel}", "T111") };
                ids.Add((await OutboxTestData.EnqueueAsync(first.Database.Db, store, message))!.Value);
            }
        }
        OutboxDispatcher[] dispatchers = [first.Services.GetRequiredService<OutboxDispatcher>(), second.Services.GetRequiredService<OutboxDispatcher>()];

        var leasedBy = new int[2];
        for (var step = 0; step < 400 && (await store.CountAsync(CancellationToken.None)).Pending > 0; step++)
        {
            // Each goes first in turn, so both find slots free.
            foreach (var d in step % 2 == 0 ? new[] { 0, 1 } : [1, 0])
                leasedBy[d] += await dispatchers[d].DispatchDueAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(0, first.Slack.RateLimitedCount);
        Assert.Equal(ids.Count, (await store.CountAsync(CancellationToken.None)).Sent);
        var posted = first.Slack.CallsTo("chat.postMessage").Select(call => long.Parse(call.Json["metadata"]!["event_payload"]!["outbox_id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), posted.Order());
        // Both instances took part, so the limit held across them rather than within one.
        Assert.All(leasedBy, count => Assert.True(count > 0, $"leased {leasedBy[0]} and {leasedBy[1]}"));
    }
}
