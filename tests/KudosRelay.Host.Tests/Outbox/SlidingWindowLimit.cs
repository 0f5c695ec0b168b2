namespace KudosRelay.Host.Tests.Outbox;

/// <summary>
/// A platform's rate limit as a fake enforces it: per key (a channel, a conversation), no window of each length holds
/// more than its count of sends, the window ending at the send (<c>(now − length, now]</c>). Written apart from the
/// product's pacing, so that a test shows the product keeps to the limit rather than to itself.
/// </summary>
internal sealed class SlidingWindowLimit(IReadOnlyList<(int Count, TimeSpan Length)> windows)
{
    private readonly Dictionary<string, List<DateTimeOffset>> sends = new(StringComparer.Ordinal);

    /// <summary>True, and the send recorded, when it fits every window; false (nothing recorded) when one would overflow.</summary>
    public bool TryTake(string key, DateTimeOffset now)
    {
        lock (sends)
        {
            var times = sends.TryGetValue(key, out var list) ? list : sends[key] = [];
            foreach (var (count, length) in windows)
            {
                if (times.Count(at => at > now - length && at <= now) + 1 > count)
                    return false;
            }
            times.Add(now);
            return true;
        }
    }
}
