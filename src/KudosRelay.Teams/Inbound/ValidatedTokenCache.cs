using System.Collections.Concurrent;

namespace KudosRelay.Teams.Inbound;

/// <summary>
/// Tokens that passed the full check, by their exact text, so that the RS256 signature is verified
/// once per token instead of once per activity: the Bot Framework sends the same token with every
/// activity for up to an hour. Only a token that verified is ever added, so a token that differs in a
/// single character (a tampered one) is a miss and gets the full check. An entry is served until the
/// token's own expiry and only while the signing keys still hold the very key that verified it (a
/// refresh that drops or replaces its kid ends it). The activity checks (channel endorsement, service
/// URL, tenant) are not cached: they run per activity against the <see cref="ValidatedToken"/>.
/// </summary>
internal sealed class ValidatedTokenCache(TimeProvider clock)
{
    /// <summary>
    /// The Bot Framework holds a handful of live tokens per bot at a time; 1,024 leaves room for many
    /// instances and channels while keeping the cache under a megabyte (tokens are about 1 KB).
    /// </summary>
    public const int Capacity = 1024;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public sealed record Entry(ValidatedToken Token, string Kid, EndorsedKey Key, DateTimeOffset Expires);

    public int Count => entries.Count;

    /// <summary>The entry for this exact token while it has not expired; expired entries are dropped on sight.</summary>
    public Entry? Find(string raw)
    {
        if (!entries.TryGetValue(raw, out var entry))
            return null;
        if (clock.GetUtcNow() < entry.Expires)
            return entry;
        entries.TryRemove(KeyValuePair.Create(raw, entry));
        return null;
    }

    public void Forget(string raw, Entry entry) => entries.TryRemove(KeyValuePair.Create(raw, entry));

    /// <summary>Remembers a verified token until <paramref name="expires"/>; when full, expired entries go first, else the token is not kept.</summary>
    public void Add(string raw, ValidatedToken token, string kid, EndorsedKey key, DateTimeOffset expires)
    {
        var now = clock.GetUtcNow();
        if (expires <= now)
            return;
        if (entries.Count >= Capacity)
        {
            foreach (var (text, entry) in entries)
                if (entry.Expires <= now)
                    entries.TryRemove(KeyValuePair.Create(text, entry));
            if (entries.Count >= Capacity)
                return;
        }
        entries[raw] = new Entry(token, kid, key, expires);
    }
}
