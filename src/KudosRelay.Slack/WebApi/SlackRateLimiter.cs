using System.Collections.Concurrent;
using KudosRelay.Core.Outbox;

namespace KudosRelay.Slack.WebApi;

/// <summary>
/// Keeps calls inside Slack's published limits before Slack has to say so: each Web API method gets the budget of
/// its tier (per workspace, and we serve one), and posts go to any one channel about once a second. The calls that
/// deliver outbox messages (<see cref="OutboxPaced"/>) spend budgets shared by every instance through the database,
/// taken before the message is leased (<see cref="BudgetsFor"/>); the other calls (look-ups, opening a direct
/// conversation, a modal) are spaced here, per process. A caller that would have to wait longer than
/// <see cref="MaxWait"/> is told to come back later instead.
/// </summary>
internal sealed class SlackRateLimiter(TimeProvider clock)
{
    /// <summary>Longer waits belong to the outbox's scheduler, not to a held lease.</summary>
    internal static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    /// <summary>Slack: "roughly one message per second per channel, short bursts allowed".</summary>
    internal static readonly Rate PerChannel = new(TimeSpan.FromSeconds(1), Burst: 3);

    /// <summary>The methods that deliver outbox messages: paced by the outbox before leasing, never here.</summary>
    internal static readonly IReadOnlySet<string> OutboxPaced = new HashSet<string>(StringComparer.Ordinal)
    {
        "chat.postMessage", "chat.update", "chat.postEphemeral", "views.publish",
    };

    private readonly ConcurrentDictionary<string, Spacer> spacers = new(StringComparer.Ordinal);

    /// <summary>Per-minute budgets of Slack's tiers (docs: Tier 1 = 1+, Tier 2 = 20+, Tier 3 = 50+, Tier 4 = 100+ per minute).</summary>
    internal static Rate ForMethod(string method) => SlackMethodTiers.TierOf(method) switch
    {
        "Tier1" => Rate.PerMinute(1, burst: 1),
        "Tier2" => Rate.PerMinute(20, burst: 3),
        "Tier3" => Rate.PerMinute(50, burst: 5),
        "Tier4" => Rate.PerMinute(100, burst: 10),
        // chat.postMessage: no workspace tier, "several hundred messages per minute"; the per-channel limit is what bites.
        "SpecialTier_chat_postMessage" => Rate.PerMinute(300, burst: 20),
        // auth.test: documented as "special, thousands per hour"; once at start in practice.
        "SpecialTier_auth_test" => Rate.PerMinute(100, burst: 10),
        _ => Rate.PerMinute(20, burst: 3),
    };

    /// <summary>
    /// The shared budgets an outbox message spends with <paramref name="method"/>: the method's tier in the workspace,
    /// and, for a message that shows in a conversation, that conversation (<paramref name="conversation"/>: a channel,
    /// or the person whose direct conversation it is).
    /// </summary>
    internal static IReadOnlyList<SendBudget> BudgetsFor(string workspace, string method, string? conversation)
    {
        var tier = ForMethod(method);
        var methodBudget = new SendBudget($"slack:{workspace}:{method}", tier.Interval, tier.Burst);
        return conversation is null
            ? [methodBudget]
            : [methodBudget, new SendBudget($"slack:{workspace}:conversation:{conversation}", PerChannel.Interval, PerChannel.Burst)];
    }

    /// <summary>Takes a slot for the method; returns the wait when it is too long to wait for. Outbox deliveries pass straight through.</summary>
    public async ValueTask<TimeSpan?> WaitAsync(string method, CancellationToken cancellationToken)
    {
        if (OutboxPaced.Contains(method))
            return null;
        var wait = Reserve(method, clock.GetUtcNow());
        if (wait > MaxWait)
            return wait;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, clock, cancellationToken);
        return null;
    }

    /// <summary>
    /// How long a call at <paramref name="now"/> must wait; the slot is taken unless that is longer
    /// than <see cref="MaxWait"/>, in which case nothing is taken and the caller comes back later.
    /// </summary>
    internal TimeSpan Reserve(string method, DateTimeOffset now)
    {
        var spacer = spacers.GetOrAdd(method, m => new Spacer(ForMethod(m)));
        lock (spacer)
        {
            var wait = spacer.Delay(now);
            if (wait <= MaxWait)
                spacer.Take(now + wait);
            return wait;
        }
    }

    internal readonly record struct Rate(TimeSpan Interval, int Burst)
    {
        public static Rate PerMinute(int calls, int burst) => new(TimeSpan.FromMinutes(1) / calls, burst);
    }

    /// <summary>
    /// Generic cell rate algorithm: the theoretical arrival time advances one interval per call; a
    /// call may go when that time is no more than <c>burst - 1</c> intervals ahead of now.
    /// </summary>
    private sealed class Spacer(Rate rate)
    {
        private DateTimeOffset theoreticalArrival = DateTimeOffset.MinValue;

        public TimeSpan Delay(DateTimeOffset now)
        {
            var allowedAhead = rate.Interval * (rate.Burst - 1);
            var ahead = theoreticalArrival - now;
            return ahead > allowedAhead ? ahead - allowedAhead : TimeSpan.Zero;
        }

        public void Take(DateTimeOffset at) =>
            theoreticalArrival = (theoreticalArrival > at ? theoreticalArrival : at) + rate.Interval;
    }
}
