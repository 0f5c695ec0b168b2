using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using KudosRelay.Core.Digests;
using KudosRelay.Core.Outbox;
using KudosRelay.Host.Tests.Slack;
using KudosRelay.Host.Tests.Teams;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Digests;

/// <summary>
/// The real host with Slack and Teams configured, its digest scheduler on a short interval: the digests due this
/// week reach the fake Slack Web API and the fake Bot Framework once each, as Block Kit and an Adaptive Card that
/// pass the platforms' checks.
/// </summary>
public sealed class DigestEndToEndTests : IAsyncLifetime
{
    private const string SupportChannel = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";

    private const string Organisation = $$"""
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA }
          - { email: tom@example.com, name: Tom Baker }
          - { email: ben@example.com, name: Ben Carter }
        teams:
          - { key: care, name: Customer Care, members: [ana@example.com], channels: { slack: C0CARE } }
          - { key: support, name: Support, members: [tom@example.com], channels: { teams: "{{SupportChannel}}" } }
        departments:
          - { key: billing, name: Billing, members: [ben@example.com] }
        digests:
          - { name: care-weekly, channel: { slack: C0CARE }, scope: { team: care }, timeZone: UTC }
          - { name: support-leads, channel: { teams: "{{SupportChannel}}" }, scope: { team: support }, variant: manager, timeZone: UTC, locale: bg }
        """;

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] BlockTypes = ["header", "section", "context", "divider", "rich_text"];

    private static readonly TeamsCardSchema Card15 = new("adaptivecards", "adaptive-card.schema.1.5.json");

    private TestDatabase database = null!;
    private FakeSlackApi slack = null!;
    private FakeBotFramework teams = null!;
    private TestServer server = null!;

    public async Task InitializeAsync()
    {
        database = await TestOrganisation.CreateAsync(DatabaseKind.Sqlite, Organisation);
        slack = await FakeSlackApi.StartAsync();
        teams = await FakeBotFramework.StartAsync();
        server = await TestServer.StartAsync(database,
            [.. SlackTestHost.HostArguments(slack), .. teams.HostArguments("--Outbox:PollInterval=00:00:00.100", "--Digests:SchedulerInterval=00:00:00.100")]);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await teams.DisposeAsync();
        await slack.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task The_host_posts_each_due_digest_once_to_slack_and_teams_and_both_pass_their_schema_checks()
    {
        // The app joins the Support channel, so Teams knows where it lives.
        using (var installed = await teams.PostActivityAsync(server.Client, teams.Example("msteams-docs/conversationUpdate.botAddedToTeam.json")))
            Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
        var week = await SeedLastWeekAsync();
        // The subscriptions were made just now, so nothing is due yet; made a month ago, last week's digests are.
        await database.Db.WithConnectionAsync(c => c.ExecuteAsync("UPDATE digest_subscriptions SET created_at = @Then",
            new { Then = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-30) }), CancellationToken.None);

        var slackPost = Assert.Single(await slack.WaitForAsync("chat.postMessage"));
        var teamsPost = await TeamsPostAsync();
        await DrainedAsync(sent: 2);

        Assert.Equal("C0CARE", (string?)slackPost.Json["channel"]);
        Assert.Equal("Customer Care: 2 customers said thank you this week", (string?)slackPost.Json["text"]);
        SlackOpenApi.AssertParametersMatch("chat.postMessage", slackPost);
        AssertBlockKitLimits(slackPost.Json["blocks"]!.AsArray());
        Assert.Contains("The roaming works again", slackPost.Body);
        Assert.Contains("▁▁▁▁▁▁▁█", slackPost.Json["blocks"]!.ToJsonString(Relaxed));

        Assert.Empty(ConnectorSwagger.Check(teamsPost).Errors);
        var card = teamsPost.Body!["attachments"]![0]!["content"]!;
        Assert.Empty(Card15.Validate(card));
        Assert.Contains("Седмицата в благодарности · Support", card.ToJsonString(Relaxed));
        Assert.Contains("FactSet", card.ToJsonString());

        // Exactly once: another pass, here or in any instance, finds the week sent.
        Assert.Equal(0, await server.Services.GetRequiredService<DigestScheduler>().RunDueAsync(CancellationToken.None));
        var runs = (await database.Db.WithConnectionAsync(c => c.QueryAsync<string>("SELECT iso_week FROM digest_runs"), CancellationToken.None)).ToList();
        Assert.Equal([week, week], runs);
        Assert.Single(slack.CallsTo("chat.postMessage"));
        Assert.Single(teams.Calls, c => c.Path == $"/v3/conversations/{SupportChannel}/activities");
    }

    /// <summary>Two customer kudos for Customer Care and one for Tom in the week whose digests are due now; returns its name.</summary>
    private async Task<string> SeedLastWeekAsync()
    {
        var schedule = new DigestSchedule(5, new TimeOnly(15, 0), TimeZoneInfo.Utc);
        var week = DigestScheduling.LatestDue(schedule, TimeProvider.System.GetUtcNow()).Week;
        var at = week.From.AddHours(10);
        await database.Db.WithConnectionAsync(async c =>
        {
            foreach (var (email, team, words) in new[]
            {
                ("ana@example.com", "care", "The roaming works again, and Ana called back to check. Thank you!"),
                ("ana@example.com", "care", "Patient and clear about the invoice."),
                ("tom@example.com", "support", "Tom set up the router over the phone in ten minutes."),
            })
            {
                var feedback = await c.QuerySingleAsync<long>("""
                    INSERT INTO feedback_items (source, external_id, received_at, agent_person_id, team_id, customer_name, redacted_text, status, created_at, updated_at)
                    VALUES ('survey', @ExternalId, @At, (SELECT id FROM people WHERE email = @Email), (SELECT id FROM teams WHERE team_key = @Team), 'Maria', @Words, 'relayed', @At, @At)
                    RETURNING id
                    """, new { ExternalId = Guid.NewGuid().ToString("N"), At = at, Email = email, Team = team, Words = words });
                await c.ExecuteAsync("""
                    INSERT INTO kudos (kind, feedback_item_id, recipient_person_id, team_id, text, cross_department, status, created_at)
                    VALUES ('customer', @Feedback, (SELECT id FROM people WHERE email = @Email), (SELECT id FROM teams WHERE team_key = @Team), @Words, 0, 'relayed', @At)
                    """, new { Feedback = feedback, Email = email, Team = team, Words = words, At = at });
            }
            return 0;
        }, CancellationToken.None);
        return week.Name;
    }

    /// <summary>What Slack documents as Block Kit's limits for a message: 50 blocks, 150 characters in a header, 3,000 in a section, 10 fields.</summary>
    private static void AssertBlockKitLimits(JsonArray blocks)
    {
        Assert.InRange(blocks.Count, 1, 50);
        foreach (var block in blocks.Select(b => b!.AsObject()))
        {
            var type = (string)block["type"]!;
            Assert.Contains(type, BlockTypes);
            if (type == "header")
                Assert.InRange(((string)block["text"]!["text"]!).Length, 1, 150);
            if (type == "section")
            {
                Assert.True(block["text"] is not null || block["fields"] is not null);
                if (block["text"] is { } text)
                    Assert.InRange(((string)text["text"]!).Length, 1, 3000);
                if (block["fields"] is JsonArray fields)
                    Assert.InRange(fields.Count, 1, 10);
            }
        }
    }

    private async Task<FakeBotFramework.ConnectorCall> TeamsPostAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!teams.Calls.Any(c => c.Path == $"/v3/conversations/{SupportChannel}/activities"))
            await Task.Delay(25, timeout.Token);
        return teams.Calls.Single(c => c.Path == $"/v3/conversations/{SupportChannel}/activities");
    }

    private async Task DrainedAsync(int sent)
    {
        var outbox = server.Services.GetRequiredService<OutboxStore>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        OutboxCounts counts;
        while ((counts = await outbox.CountAsync(CancellationToken.None)) is not { Pending: 0, Dead: 0 } || counts.Sent < sent)
        {
            Assert.Equal(0, counts.Dead);
            await Task.Delay(25, timeout.Token);
        }
        Assert.Equal(sent, counts.Sent);
    }
}
