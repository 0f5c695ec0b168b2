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

    /// <summary>
    /// Memory bound (~40 MB): far above Slack's 30,000 events per workspace an hour, reached only by a
    /// load test or a leaked signing secret. Beyond it the set starts again: a retry may then be handled
    /// twice, which features tolerate; running out of memory they would not.
    /// </summary>
    internal const int MaxEntries = 200_000;

    /// <summary>Pruning is cheap but not free; do it at most this often.</summary>
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private DateTimeOffset nextPrune = DateTimeOffset.MinValue;

    /// <summary>Counted here because <see cref="ConcurrentDictionary{TKey, TValue}.Count"/> takes every lock.</summary>
    private int added;

    /// <summary>True the first time an event id is seen within the window.</summary>
    public bool TryClaim(string eventId)
    {
        var now = clock.GetUtcNow();
        if (now >= nextPrune || Volatile.Read(ref added) >= MaxEntries)
            Prune(now);
        if (seen.TryAdd(eventId, now))
        {
            Interlocked.Increment(ref added);
            return true;
        }
        if (seen.TryGetValue(eventId, out var at) && now - at > Window && seen.TryUpdate(eventId, now, at))
            return true;
        return false;
    }

    /// <summary>Forgets an event whose handling failed, so that Slack's retry of it is handled.</summary>
    public void Release(string eventId) => seen.TryRemove(eventId, out _);

    private void Prune(DateTimeOffset now)
    {
        nextPrune = now + PruneEvery;
        foreach (var (id, at) in seen)
        {
            if (now - at > Window)
                seen.TryRemove(id, out _);
        }
        if (seen.Count >= MaxEntries)
            seen.Clear();
        Volatile.Write(ref added, seen.Count);
    }

    internal int Count => seen.Count;
}
