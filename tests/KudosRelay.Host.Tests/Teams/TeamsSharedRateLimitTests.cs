using System.Net;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace KudosRelay.Host.Tests.Teams;

/// <summary>
/// Two instances of the bot on one database deliver to one Teams conversation through a fake Connector that keeps
/// Teams' per-conversation budget. Only the database is shared between them; the clock (started at the real time, so
/// the fake's tokens are current) moves only between the dispatchers' passes.
/// </summary>
public sealed class TeamsSharedRateLimitTests
{
    private const string Tenant = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
    private const string Channel = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";

    private readonly FakeTimeProvider clock = new(TimeProvider.System.GetUtcNow());

    [Fact]
    public async Task Two_dispatchers_sending_to_one_conversation_get_no_429_and_send_every_message_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var fake = await FakeBotFramework.StartAsync();
        await using var first = await TeamsHost.StartAsync(database, fake, clock, "--Outbox:DispatcherEnabled=false");
        await using var second = await TeamsHost.StartAsync(database, fake, clock, "--Outbox:DispatcherEnabled=false");
        using (var install = await first.PostAsync(fake.Example("msteams-docs/conversationUpdate.botAddedToTeam.json")))
            Assert.Equal(HttpStatusCode.OK, install.StatusCode);
        fake.LimitPerConversation(clock);
        var store = new OutboxStore(database.Db, clock);
        var ids = new List<long>();
        for (var i = 0; i < 40; i++)
        {
            var message = OutboxTestData.Message($"teams-shared-{i}") with { Target = new ChatTarget("teams", ChatTargetKind.Channel, Channel, Tenant) };
            ids.Add((await OutboxTestData.EnqueueAsync(database.Db, store, message))!.Value);
        }
        var calledBefore = fake.Calls.Count;
        OutboxDispatcher[] dispatchers = [first.Services.GetRequiredService<OutboxDispatcher>(), second.Services.GetRequiredService<OutboxDispatcher>()];

        var leasedBy = new int[2];
        for (var step = 0; step < 400 && (await store.CountAsync(CancellationToken.None)).Pending > 0; step++)
        {
            // Each goes first in turn, so both find the conversation's budget with room.
            foreach (var d in step % 2 == 0 ? new[] { 0, 1 } : [1, 0])
                leasedBy[d] += await dispatchers[d].DispatchDueAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal(0, fake.ThrottledCount);
        Assert.Equal(ids.Count, (await store.CountAsync(CancellationToken.None)).Sent);
        var sends = fake.Calls.Skip(calledBefore).Where(call => call.Method == "POST").ToList();
        Assert.Equal(ids.Count, sends.Count);
        Assert.Equal(ids.Count, sends.Select(call => call.Body?.ToJsonString()).Distinct().Count());
        Assert.All(leasedBy, count => Assert.True(count > 0, $"leased {leasedBy[0]} and {leasedBy[1]}"));
    }
}
