using System.Net;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Host.Http;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace KudosRelay.Host.Tests.Teams;

/// <summary>
/// The Bot Connector failing, and the outbox waiting it out. The host runs on a fake clock (started at the
/// real time, so the fake Bot Framework's tokens are current) with its dispatcher worker off; the test runs
/// the dispatcher's pass itself.
/// </summary>
public sealed class TeamsOutageTests : IAsyncLifetime
{
    private const string Tenant = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
    private const string Channel = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";

    private readonly FakeTimeProvider clock = new(TimeProvider.System.GetUtcNow());
    private TestDatabase database = null!;
    private FakeBotFramework fake = null!;
    private TeamsHost host = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        fake = await FakeBotFramework.StartAsync();
        // One send at a time, so the breaker sees the failures in order; the pacing budgets are wide, since this clock
        // only moves when the test moves it and the pass must not wait for a pacing slot.
        host = await TeamsHost.StartAsync(database, fake, clock, "--Outbox:DispatcherEnabled=false", "--Outbox:Concurrency=1",
            "--Teams:Pacing:PerConversationPerSecond=1000", "--Teams:Pacing:PerConversationPerTwoSeconds=1000");
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await fake.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task While_the_connector_fails_its_breaker_opens_and_the_outbox_waits_out_the_break_without_calling_it()
    {
        using (var install = await host.PostAsync(fake.Example("msteams-docs/conversationUpdate.botAddedToTeam.json")))
            Assert.Equal(HttpStatusCode.OK, install.StatusCode);
        var messages = OutboundResilience.BreakerMinimumThroughput + 3;
        for (var i = 0; i < messages; i++)
            fake.NextStatuses.Enqueue(503);
        var store = host.Services.GetRequiredService<OutboxStore>();
        var ids = new List<long>();
        for (var i = 0; i < messages; i++)
        {
            var message = OutboxTestData.Message($"down{i}") with { Target = new ChatTarget("teams", ChatTargetKind.Channel, Channel, Tenant) };
            ids.Add((await OutboxTestData.EnqueueAsync(database.Db, store, message))!.Value);
        }

        await host.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);
        var entries = (await store.ListAsync(null, 100, CancellationToken.None)).Where(e => ids.Contains(e.Id)).ToList();

        Assert.All(entries, e => Assert.Equal((OutboxStatus.Pending, 1), (e.Status, e.Attempts)));
        var refused = entries.Where(e => e.LastError == "circuit_open").ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, e => Assert.Equal((clock.GetUtcNow() + OutboundResilience.BreakDuration).UtcDateTime, e.NextAttemptAt));
        var failed = entries.Count(e => e.LastError == "connector answered 503");
        Assert.Equal(messages, failed + refused.Count);
        Assert.Equal(failed, fake.Calls.Count(c => c.Method == "POST"));   // refused ones never reached the Connector
    }
}
