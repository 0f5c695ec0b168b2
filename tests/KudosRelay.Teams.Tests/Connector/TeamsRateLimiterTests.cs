using KudosRelay.Teams.Connector;
using KudosRelay.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace KudosRelay.Teams.Tests.Connector;

public sealed class TeamsRateLimiterTests
{
    private readonly ManualClock clock = new();

    private TeamsRateLimiter Limiter(TeamsPacingOptions? pacing = null) =>
        new(Options.Create(new TeamsOptions { Pacing = pacing ?? new TeamsPacingOptions() }), clock);

    /// <summary>Sends as soon as the limiter allows, moving the clock to each slot; returns the send times.</summary>
    private List<DateTimeOffset> SendGreedily(TeamsRateLimiter limiter, int count, Func<int, (string? Conversation, string? Tenant)> target)
    {
        var sends = new List<DateTimeOffset>();
        for (var i = 0; i < count; i++)
        {
            var (conversation, tenant) = target(i);
            var wait = limiter.Reserve(conversation, tenant, clock.GetUtcNow());
            if (wait > TeamsRateLimiter.MaxWait)
            {
                // Handed back to the outbox: it comes back when the wait is over, and then takes its slot.
                clock.Advance(wait);
                i--;
                continue;
            }
            clock.Advance(wait);
            sends.Add(clock.GetUtcNow());
        }
        return sends;
    }

    private static int MostInAnyWindow(IReadOnlyList<DateTimeOffset> sends, TimeSpan length) =>
        sends.Select((start, index) => sends.Skip(index).TakeWhile(at => at < start + length).Count()).DefaultIfEmpty(0).Max();

    [Fact]
    public void Sends_to_one_conversation_never_exceed_any_of_teams_per_conversation_budgets()
    {
        var sends = SendGreedily(Limiter(), 200, _ => ("19:one@thread.tacv2", "tenant"));

        Assert.True(MostInAnyWindow(sends, TimeSpan.FromSeconds(1)) <= 7);
        Assert.True(MostInAnyWindow(sends, TimeSpan.FromSeconds(2)) <= 8);
        Assert.True(MostInAnyWindow(sends, TimeSpan.FromSeconds(30)) <= 60);
        // And it does not hold back more than the tightest budget asks: 200 sends at 60 per 30 s take under two minutes.
        Assert.True(sends[^1] - sends[0] < TimeSpan.FromMinutes(2), $"{sends[^1] - sends[0]}");
    }

    [Fact]
    public void The_hourly_budget_of_a_conversation_holds_too()
    {
        var sends = SendGreedily(Limiter(new TeamsPacingOptions { PerConversationPerHour = 100 }), 150, _ => ("a:1to1", null));

        Assert.True(MostInAnyWindow(sends, TimeSpan.FromHours(1)) <= 100);
        Assert.True(sends[100] - sends[0] >= TimeSpan.FromHours(1));
    }

    [Fact]
    public void Many_conversations_of_one_tenant_share_its_50_per_second()
    {
        var sends = SendGreedily(Limiter(), 500, i => ($"a:person-{i}", "tenant"));

        Assert.True(MostInAnyWindow(sends, TimeSpan.FromSeconds(1)) <= 50);
    }

    [Fact]
    public void A_429_pauses_its_conversation_for_the_retry_after_and_leaves_others_alone()
    {
        var limiter = Limiter();
        limiter.Pause("19:busy@thread.tacv2", TimeSpan.FromSeconds(20));

        Assert.Equal(TimeSpan.FromSeconds(20), limiter.Reserve("19:busy@thread.tacv2", "tenant", clock.GetUtcNow()));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve("19:quiet@thread.tacv2", "tenant", clock.GetUtcNow()));
    }

    [Fact]
    public void A_wait_longer_than_a_lease_should_hold_takes_no_slot()
    {
        var limiter = Limiter(new TeamsPacingOptions { PerConversationPerSecond = 1, PerConversationPerTwoSeconds = 1, PerConversationPerThirtySeconds = 1 });
        Assert.Equal(TimeSpan.Zero, limiter.Reserve("c", null, clock.GetUtcNow()));
        Assert.True(limiter.Reserve("c", null, clock.GetUtcNow()) > TeamsRateLimiter.MaxWait);

        clock.Advance(TimeSpan.FromSeconds(30));

        // The refused call took nothing, so the next one goes at once.
        Assert.Equal(TimeSpan.Zero, limiter.Reserve("c", null, clock.GetUtcNow()));
    }
}
