using System.Net;
using System.Text.Json;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Outbox;
using KudosRelay.Host.Tests.Slack;
using KudosRelay.Host.Tests.Teams;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Escalations;

/// <summary>
/// Escalations raised over signed HTTP into the real host, nudged by its sweeper through the outbox to a fake Slack
/// (the owner's direct message) and a fake Bot Framework (the department's Teams channel), with a second instance of the
/// host on the same database. The worker's timer is off: each test runs the host's own sweep pass when it means to.
/// Billing works around the clock every day, so whatever the real date, an escalation due now may be nudged now.
/// </summary>
public sealed class NudgeEndToEndTests : IAsyncLifetime
{
    private const string Secret = "helpdesk-shared-secret-0123456789";
    private const string SupportChannel = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";

    private const string Organisation = $$"""
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA, timeZone: UTC }
          - { email: ivo@example.com, name: Ivo Ivanov, slack: UIVO, timeZone: UTC, locale: bg }
          - { email: lena@example.com, name: Lena Lead, slack: ULENA, timeZone: UTC }
        departments:
          - key: billing
            name: Billing
            lead: lena@example.com
            members: [ivo@example.com]
            workingHours: "00:00-24:00"
            workingDays: [Mon, Tue, Wed, Thu, Fri, Sat, Sun]
            timeZone: UTC
            channels: { teams: "{{SupportChannel}}" }
        """;

    private TestDatabase database = null!;
    private FakeSlackApi slack = null!;
    private FakeBotFramework teams = null!;
    private TestServer first = null!;
    private TestServer second = null!;
    private SignedEscalations helpdesk = null!;

    public async Task InitializeAsync()
    {
        database = await TestOrganisation.CreateAsync(DatabaseKind.Sqlite, Organisation);
        slack = await FakeSlackApi.StartAsync();
        teams = await FakeBotFramework.StartAsync();
        first = await StartInstanceAsync();
        second = await StartInstanceAsync();
        helpdesk = new SignedEscalations(first.Client, TimeProvider.System, "helpdesk", Secret);
        using var added = await teams.PostActivityAsync(first.Client, teams.Example("msteams-docs/conversationUpdate.botAddedToTeam.json"));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
    }

    private Task<TestServer> StartInstanceAsync() => TestServer.StartAsync(database,
        [
            .. SlackTestHost.HostArguments(slack),
            .. teams.HostArguments($"--Intake:Sources:helpdesk:Secret={Secret}"),
            "--Outbox:PollInterval=00:00:00.050",
            "--Escalations:SweeperEnabled=false",
        ]);

    public async Task DisposeAsync()
    {
        await second.DisposeAsync();
        await first.DisposeAsync();
        await teams.DisposeAsync();
        await slack.DisposeAsync();
        await database.DisposeAsync();
    }

    private async Task<long> RaiseAsync(string externalId, string? owner)
    {
        var json = $$"""
            { "externalId": "{{externalId}}", "caseRef": "CASE-{{externalId}}", "caseUrl": "https://helpdesk.example/cases/{{externalId}}",
              "summary": "Maria is waiting for a refund of a double charge", "requestedBy": "ana@example.com", "department": "billing",
              "dueAt": "{{DateTimeOffset.UtcNow.AddMinutes(-1):O}}"{{(owner is null ? "" : $", \"owner\": \"{owner}\"")}} }
            """;
        using var response = await helpdesk.RaiseAsync(json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
    }

    private static Task<SweepResult> SweepAsync(TestServer server) =>
        server.Services.GetRequiredService<EscalationSweep>().RunOnceAsync(CancellationToken.None);

    /// <summary>Waits (bounded) until the outbox has sent every nudge (idempotency keys "nudge:…") and holds nothing pending.</summary>
    private async Task<IReadOnlyList<OutboxEntry>> NudgesDeliveredAsync(int expected)
    {
        var outbox = first.Services.GetRequiredService<OutboxStore>();
        for (var waited = 0; ; waited++)
        {
            var entries = await outbox.ListAsync(null, 100, CancellationToken.None);
            var nudges = entries.Where(e => e.IdempotencyKey.StartsWith("nudge:", StringComparison.Ordinal)).ToList();
            Assert.DoesNotContain(entries, e => e.Status == OutboxStatus.Dead);
            if (nudges.Count >= expected && entries.All(e => e.Status != OutboxStatus.Pending))
                return nudges;
            Assert.True(waited < 800, string.Join("; ", entries.Select(e => $"{e.IdempotencyKey} {e.Status} {e.LastError}")));
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task An_escalation_due_now_is_nudged_on_the_next_sweep_the_owner_by_direct_message_and_otherwise_the_departments_channel()
    {
        var owned = await RaiseAsync("HD-1", owner: "ivo@example.com");
        var unowned = await RaiseAsync("HD-2", owner: null);

        var pass = await SweepAsync(first);

        Assert.Equal((2, 2), (pass.Nudged, pass.Messages));
        Assert.Equal(2, (await NudgesDeliveredAsync(2)).Count);
        var dm = Assert.Single(await slack.WaitForAsync("chat.postMessage"));
        Assert.Contains("CASE-HD-1", dm.Body, StringComparison.Ordinal);
        Assert.Matches("(Здравейте|Добър ден), Ivo", System.Text.RegularExpressions.Regex.Unescape(dm.Body));
        Assert.Contains("escalation.on-it", dm.Body, StringComparison.Ordinal);
        Assert.Contains($"\"value\":\"{owned}\"", dm.Body.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var card = Assert.Single(teams.Calls, call => call.Body?.ToJsonString().Contains("CASE-HD-2", StringComparison.Ordinal) == true);
        var cardJson = card.Body!.ToJsonString();
        Assert.Contains("Billing team", cardJson, StringComparison.Ordinal);
        Assert.Contains("escalation.not-ours", cardJson, StringComparison.Ordinal);
        Assert.Contains(unowned.ToString(System.Globalization.CultureInfo.InvariantCulture), cardJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_instance_of_the_host_on_the_same_database_sends_nothing_twice()
    {
        await RaiseAsync("HD-1", owner: "ivo@example.com");
        await RaiseAsync("HD-2", owner: null);

        var passes = await Task.WhenAll(SweepAsync(first), SweepAsync(second));
        var again = await Task.WhenAll(SweepAsync(second), SweepAsync(first));

        Assert.Equal(2, passes.Sum(p => p.Nudged));
        Assert.All(again, p => Assert.Equal(0, p.Nudged));
        Assert.Equal(2, (await NudgesDeliveredAsync(2)).Count);
        Assert.Single(slack.CallsTo("chat.postMessage"));
        Assert.Single(teams.Calls, call => call.Body?.ToJsonString().Contains("escalation.on-it", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task The_preview_shows_the_next_nudge_in_the_readers_language_and_is_signed_like_the_other_escalation_endpoints()
    {
        var id = await RaiseAsync("HD-1", owner: "ivo@example.com");

        using var before = await helpdesk.SendAsync(HttpMethod.Get, $"/api/escalations/{id}/preview", "");
        var next = JsonDocument.Parse(await before.Content.ReadAsStringAsync()).RootElement.GetProperty("next");
        await SweepAsync(first);
        using var after = await helpdesk.SendAsync(HttpMethod.Get, $"/api/escalations/{id}/preview", "");
        using var unsigned = await first.Client.GetAsync(new Uri($"/api/escalations/{id}/preview", UriKind.Relative));
        using var unknown = await helpdesk.SendAsync(HttpMethod.Get, "/api/escalations/999999/preview", "");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(("due", "person", "bg"), (next.GetProperty("stage").GetString(), next.GetProperty("recipient").GetString(), next.GetProperty("language").GetString()));
        Assert.Matches("^(Здравейте|Добър ден), Ivo", next.GetProperty("blocks")[0].GetProperty("text").GetString());
        Assert.Equal("reminder-1", JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement.GetProperty("next").GetProperty("stage").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
