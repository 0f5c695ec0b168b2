using System.Collections.Concurrent;

namespace KudosRelay.Slack.Inbound;

/// <summary>
/// Remembers the event ids seen in the last quarter hour. Slack re-sends an event up to three times
/// (at once, after a minute, after five minutes) when our answer is slow or lost
/// (<c>X-Slack-Retry-Num</c>); the first copy wins, later copies are acknowledged and ignored. Slack
/// caps events at 30,000 per workspace an hour, so the set stays in the thousands. Per instance: behind a load balancer a retry
/// that lands on another instance is handled again, which features tolerate through their own keys.
/// </summary>
internal sealed class SlackEventDeduplicator(TimeProvider clock)
{
    internal static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Pruning is cheap but not free; do it at most this often.</summary>
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private DateTimeOffset nextPrune = DateTimeOffset.MinValue;

    /// <summary>True the first time an event id is seen within the window.</summary>
    public bool TryClaim(string eventId)
    {
        var now = clock.GetUtcNow();
        if (now >= nextPrune)
            Prune(now);
        if (seen.TryAdd(eventId, now))
            return true;
        if (seen.TryGetValue(eventId, out var at) && now - at > Window && seen.TryUpdate(eventId, now, at))
            return true;
        return false;
    }

    private void Prune(DateTimeOffset now)
    {
        nextPrune = now + PruneEvery;
        foreach (var (id, at) in seen)
        {
            if (now - at > Window)
                seen.TryRemove(id, out _);
        }
    }
}
