using KudosRelay.Core.Outbox;
using KudosRelay.Host.Tests.Slack;
using KudosRelay.Host.Tests.Teams;
using KudosRelay.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Kudos;

/// <summary>
/// The real host with Slack and Teams configured at once, against a fake Slack Web API and a fake Bot Framework on
/// loopback, on a SQLite file holding <c>organisation</c>, taking signed feedback from the source <c>survey</c>.
/// </summary>
internal sealed class PlatformsHost : IAsyncDisposable
{
    public const string Secret = "survey-tool-shared-secret-0123456789";

    /// <summary>A busy two-core machine must not turn a slow request into a 503; tests of the budget itself run it out on a clock of their own.</summary>
    private static readonly string[] GenerousWriteBudgets = ["--Database:WriteBudget:Chat=00:00:30", "--Database:WriteBudget:Intake=00:00:30"];

    private PlatformsHost(TestDatabase database, FakeSlackApi slack, FakeBotFramework teams, TestServer server) =>
        (Database, Slack, Teams, Server) = (database, slack, teams, server);

    public TestDatabase Database { get; }
    public FakeSlackApi Slack { get; }
    public FakeBotFramework Teams { get; }
    public TestServer Server { get; }

    public static async Task<PlatformsHost> StartAsync(string organisation, Action<WebApplicationBuilder>? configure = null, params string[] extra)
    {
        var database = await TestOrganisation.CreateAsync(DatabaseKind.Sqlite, organisation);
        var slack = await FakeSlackApi.StartAsync();
        var teams = await FakeBotFramework.StartAsync();
        var server = await TestServer.StartAsync(database,
            [.. SlackTestHost.HostArguments(slack), .. teams.HostArguments([$"--Intake:Sources:survey:Secret={Secret}", .. GenerousWriteBudgets, .. extra])], configure);
        return new PlatformsHost(database, slack, teams, server);
    }

    /// <summary>Waits (bounded) until the outbox has sent <paramref name="sent"/> messages and holds nothing pending or dead.</summary>
    public async Task DrainedAsync(int sent)
    {
        var outbox = Server.Services.GetRequiredService<OutboxStore>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        OutboxCounts counts;
        while ((counts = await outbox.CountAsync(CancellationToken.None)) is not { Pending: 0, Dead: 0 } || counts.Sent < sent)
        {
            Assert.Equal(0, counts.Dead);
            await Task.Delay(25, timeout.Token);
        }
        Assert.Equal(sent, counts.Sent);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Teams.DisposeAsync();
        await Slack.DisposeAsync();
        await Database.DisposeAsync();
    }
}
