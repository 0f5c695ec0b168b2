using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using KudosRelay.Host.Tests.Intake;
using KudosRelay.Host.Tests.Kudos;
using KudosRelay.Host.Tests.Slack;
using KudosRelay.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace KudosRelay.Host.Tests.Inbound;

/// <summary>
/// Another process holds the SQLite file's write lock (<c>BEGIN EXCLUSIVE</c> on a second connection): requests
/// that must store something are answered 503 with <c>Retry-After</c> within the write budget (a small one here),
/// <c>/readyz</c> says not ready, and both recover by themselves once the lock is released.
/// </summary>
public sealed class StorageFaultTests : IAsyncLifetime
{
    private const string TomAad = "7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f";
    private const string AnaAad = "5a3c9e1f-0000-4000-8000-00000000a0a0";

    private const string Organisation = $$"""
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA, teams: {{AnaAad}} }
          - { email: tom@example.com, name: Tom Baker, slack: UTOM, teams: {{TomAad}} }
        teams:
          - { key: care, name: Customer Care, members: [ana@example.com, tom@example.com] }
        """;

    /// <summary>As <see cref="PlatformsHost"/> configures it.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    /// <summary>The budgets' clock: it moves only when the test says, so a slow machine never runs a budget out by itself.</summary>
    private readonly FakeTimeProvider budgetClock = new();

    private PlatformsHost host = null!;

    public async Task InitializeAsync() => host = await PlatformsHost.StartAsync(Organisation,
        builder => builder.Services.AddKeyedSingleton<TimeProvider>(StorageBudget.ClockKey, budgetClock));

    /// <summary>Sends while the database is locked, running the budget out (again, until the answer comes) instead of waiting for it.</summary>
    private async Task<HttpResponseMessage> OutOfBudgetAsync(Func<Task<HttpResponseMessage>> send)
    {
        var answer = send();
        while (await Task.WhenAny(answer, Task.Delay(20)) != answer)
            budgetClock.Advance(Budget);
        return await answer;
    }

    private async Task<HttpStatusCode> ReadyOutOfBudgetAsync()
    {
        using var ready = await OutOfBudgetAsync(() => Bot.GetAsync(new Uri("/readyz", UriKind.Relative)));
        return ready.StatusCode;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private HttpClient Bot => host.Server.Client;

    private Task<HttpResponseMessage> SlashKudosAsync(string words) =>
        SlackTestHost.PostSignedAsync(Bot, "/slack/commands",
            $"command=%2Fkudos&text={Uri.EscapeDataString($"<@UTOM|tom> {words}")}&user_id=UANA&team_id=T111&trigger_id={Guid.NewGuid():N}", SignedInbound.Form);

    private Task<HttpResponseMessage> TeamsKudosAsync(string words)
    {
        var activity = host.Teams.Example("botbuilder-microsoftteams/SampleActivityAtMention.json");
        activity["id"] = Guid.NewGuid().ToString("N");
        activity["from"] = new JsonObject { ["id"] = "29:tom", ["name"] = "Tom Baker", ["aadObjectId"] = TomAad };
        activity["text"] = $"<at>TestBot</at> kudos <at>Ana Petrova</at> {words}";
        activity["entities"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = "<at>Ana Petrova</at>",
            ["mentioned"] = new JsonObject { ["id"] = "29:ana", ["name"] = "Ana Petrova", ["aadObjectId"] = AnaAad },
        });
        return host.Teams.PostActivityAsync(Bot, activity);
    }

    private Task<HttpResponseMessage> FeedbackAsync(string externalId) => SignedFeedback.PostAsync(Bot,
        $$"""{ "externalId": "{{externalId}}", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "ana@example.com", "text": "Thank you" }""", "survey", PlatformsHost.Secret);

    private async Task<HttpStatusCode> ReadyAsync()
    {
        using var ready = await Bot.GetAsync(new Uri("/readyz", UriKind.Relative));
        return ready.StatusCode;
    }

    private static void AssertRefusedForNow(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
    }

    [Fact]
    public async Task While_the_sqlite_file_is_locked_chat_and_intake_answer_503_with_retry_after_readyz_is_503_and_all_recovers_after_release()
    {
        var answered = new List<(string Words, HttpStatusCode Status)>();
        using (var before = await SlashKudosAsync("thanks before the lock"))
            answered.Add(("thanks before the lock", before.StatusCode));
        using (var readyBefore = await Bot.GetAsync(new Uri("/readyz", UriKind.Relative)))
            Assert.True(readyBefore.StatusCode == HttpStatusCode.OK, await readyBefore.Content.ReadAsStringAsync());

        var locker = new SqliteConnection(host.Database.ConnectionString);
        await locker.OpenAsync();
        await locker.ExecuteAsync("BEGIN EXCLUSIVE");
        try
        {
            using var slack = await OutOfBudgetAsync(() => SlashKudosAsync("thanks during the lock"));
            using var teams = await OutOfBudgetAsync(() => TeamsKudosAsync("thanks during the lock on teams"));
            using var intake = await OutOfBudgetAsync(() => FeedbackAsync("during-lock"));

            AssertRefusedForNow(slack);
            AssertRefusedForNow(teams);
            AssertRefusedForNow(intake);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadyOutOfBudgetAsync());
            using var ready = await OutOfBudgetAsync(() => Bot.GetAsync(new Uri("/readyz", UriKind.Relative)));
            var reason = await ready.Content.ReadAsStringAsync();
            Assert.Contains("database is not taking writes", reason, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite Error", reason, StringComparison.Ordinal);
        }
        finally
        {
            await locker.ExecuteAsync("ROLLBACK");
            await locker.DisposeAsync();
            SqliteConnection.ClearPool(locker);
        }

        // Nothing restarts anything: readiness and the endpoints come back as soon as writes succeed again.
        for (var i = 0; i < 400 && await ReadyAsync() != HttpStatusCode.OK; i++)
            await Task.Delay(50);
        Assert.Equal(HttpStatusCode.OK, await ReadyAsync());
        using (var after = await SlashKudosAsync("thanks after the lock"))
            answered.Add(("thanks after the lock", after.StatusCode));
        using (var teamsAfter = await TeamsKudosAsync("thanks after the lock on teams"))
            answered.Add(("thanks after the lock on teams", teamsAfter.StatusCode));
        using (var intakeAfter = await FeedbackAsync("after-lock"))
            Assert.Equal(HttpStatusCode.Accepted, intakeAfter.StatusCode);

        Assert.All(answered, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var stored = (await host.Database.Db.WithConnectionAsync(c => c.QueryAsync<string>(new CommandDefinition("SELECT text FROM kudos")), CancellationToken.None)).ToList();
        Assert.All(answered, a => Assert.Contains(a.Words, stored));
        var items = await host.Database.Db.WithConnectionAsync(c => c.QueryAsync<string>(new CommandDefinition("SELECT external_id FROM feedback_items")), CancellationToken.None);
        Assert.Equal(["after-lock"], items);
        Assert.DoesNotContain(stored, text => text.Contains("during the lock", StringComparison.Ordinal));
    }
}
