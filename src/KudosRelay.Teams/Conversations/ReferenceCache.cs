using System.Collections.Concurrent;

namespace KudosRelay.Teams.Conversations;

/// <summary>
/// Conversation references this process wrote or read lately, by conversation id. Entries are
/// trusted for <see cref="Freshness"/> only: another instance sharing the database may uninstall or
/// move a conversation, and this instance learns of it at most that much later. Bounded: when full it
/// starts over, which costs one database round trip per conversation, not correctness.
/// </summary>
internal sealed class ReferenceCache(TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromMinutes(5);

    /// <summary>Far more conversations than a tenant's active chats and channels in five minutes.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (ConversationReference Reference, DateTimeOffset At)> entries = new(StringComparer.Ordinal);

    public ConversationReference? Find(string conversationId) =>
        entries.TryGetValue(conversationId, out var entry) && clock.GetUtcNow() - entry.At < Freshness ? entry.Reference : null;

    public void Remember(ConversationReference reference)
    {
        if (entries.Count >= Capacity)
            entries.Clear();
        entries[reference.ConversationId] = (reference, clock.GetUtcNow());
    }

    public void Forget(string conversationId) => entries.TryRemove(conversationId, out _);

    public void Clear() => entries.Clear();
}
