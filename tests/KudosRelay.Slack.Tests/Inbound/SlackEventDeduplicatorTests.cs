using KudosRelay.Slack.Inbound;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Slack.Tests.Inbound;

public sealed class SlackEventDeduplicatorTests
{
    [Fact]
    public void An_event_id_is_claimed_once_within_the_window_and_again_after_it()
    {
        var clock = new ManualClock();
        var deduplicator = new SlackEventDeduplicator(clock);

        Assert.True(deduplicator.TryClaim("Ev1"));
        clock.Advance(TimeSpan.FromMinutes(5));     // Slack's last retry comes after five minutes
        Assert.False(deduplicator.TryClaim("Ev1"));
        Assert.True(deduplicator.TryClaim("Ev2"));
        clock.Advance(SlackEventDeduplicator.Window + TimeSpan.FromSeconds(1));
        Assert.True(deduplicator.TryClaim("Ev1"));
    }

    [Fact]
    public void An_event_whose_handling_failed_is_released_so_that_slacks_retry_is_handled()
    {
        var deduplicator = new SlackEventDeduplicator(new ManualClock());

        Assert.True(deduplicator.TryClaim("Ev1"));
        deduplicator.Release("Ev1");

        Assert.True(deduplicator.TryClaim("Ev1"));
        Assert.False(deduplicator.TryClaim("Ev1"));
    }

    [Fact]
    public void Concurrent_copies_of_one_event_are_claimed_exactly_once()
    {
        var deduplicator = new SlackEventDeduplicator(new ManualClock());

        var claimed = 0;
        Parallel.For(0, 64, _ =>
        {
            if (deduplicator.TryClaim("EvSame"))
                Interlocked.Increment(ref claimed);
        });

        Assert.Equal(1, claimed);
    }

    [Fact]
    public void The_set_never_grows_past_its_bound()
    {
        var deduplicator = new SlackEventDeduplicator(new ManualClock());

        for (var i = 0; i < SlackEventDeduplicator.MaxEntries + 10; i++)
            deduplicator.TryClaim($"Ev{i}");

        Assert.True(deduplicator.Count <= SlackEventDeduplicator.MaxEntries);
    }
}
