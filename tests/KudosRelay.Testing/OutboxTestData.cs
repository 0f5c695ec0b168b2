using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;

namespace KudosRelay.Testing;

public static class OutboxTestData
{
    public static OutboxMessage Message(string key, string platform = "test", long? replaces = null, DateTime? notBefore = null) => new(
        key,
        new ChatTarget(platform, ChatTargetKind.Channel, "C0123"),
        new ChatMessage($"Message {key}", [new HeadingBlock("Thanks"), new TextBlock($"Body of {key}"), new ButtonsBlock([new ChatButton("Done", "nudge.done", "42")])]),
        replaces,
        notBefore);

    public static async Task<long?> EnqueueAsync(Db db, OutboxStore store, OutboxMessage message) =>
        await db.InTransactionAsync((_, transaction) => store.EnqueueAsync(transaction, message, CancellationToken.None), CancellationToken.None);

    public static async Task EnqueueManyAsync(Db db, OutboxStore store, int count, string prefix = "m") =>
        await db.InTransactionAsync(async (_, transaction) =>
        {
            for (var i = 0; i < count; i++)
                await store.EnqueueAsync(transaction, Message($"{prefix}{i}"), CancellationToken.None);
        }, CancellationToken.None);
}
