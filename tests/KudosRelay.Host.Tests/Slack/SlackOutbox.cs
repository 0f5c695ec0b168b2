using KudosRelay.Core.Outbox;
using KudosRelay.Testing;

namespace KudosRelay.Host.Tests.Slack;

/// <summary>The test host's outbox, read and written the way operators and features do.</summary>
internal static class SlackOutbox
{
    public static async Task<IReadOnlyList<OutboxEntry>> EntriesAsync(SlackTestHost host) =>
        await Store(host).ListAsync(null, 1000, CancellationToken.None);

    public static async Task<long> EnqueueAsync(SlackTestHost host, string key, string workspace)
    {
        var message = OutboxTestData.Message(key) with { Target = new("slack", Core.Messaging.ChatTargetKind.Channel, "C0123", workspace) };
        return (await OutboxTestData.EnqueueAsync(host.Database.Db, Store(host), message))!.Value;
    }

    public static async Task<OutboxEntry> WaitForAsync(SlackTestHost host, long id, Func<OutboxEntry, bool> condition)
    {
        OutboxEntry? entry = null;
        for (var i = 0; i < 400; i++)
        {
            entry = (await EntriesAsync(host)).SingleOrDefault(e => e.Id == id);
            if (entry is not null && condition(entry))
                return entry;
            await Task.Delay(50);
        }
        throw new TimeoutException($"outbox message {id} is {entry?.Status} after {entry?.Attempts} attempts ({entry?.LastError})");
    }

    private static OutboxStore Store(SlackTestHost host) => new(host.Database.Db, TimeProvider.System);
}
