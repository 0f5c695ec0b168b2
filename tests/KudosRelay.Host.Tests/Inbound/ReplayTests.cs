using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using KudosRelay.Host.Tests.Intake;
using KudosRelay.Host.Tests.Kudos;
using KudosRelay.Host.Tests.Slack;
using KudosRelay.Slack.Inbound;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Inbound;

/// <summary>
/// The same signed invocation sent twice, as a replay within the signature window or a platform's retry
/// would send it, through the real host and features: acknowledged both times, done once.
/// </summary>
public sealed class ReplayTests : IAsyncLifetime
{
    private const string AnaAad = "5a3c9e1f-0000-4000-8000-00000000a0a0";
    private const string TomAad = "7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f";

    private const string Organisation = $$"""
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA, teams: {{AnaAad}} }
          - { email: tom@example.com, name: Tom Baker, slack: UTOM, teams: {{TomAad}} }
        teams:
          - { key: quiet, name: Quiet Desk, members: [ana@example.com, tom@example.com], channels: { slack: C0QUIET }, postKudos: false }
        """;

    private PlatformsHost host = null!;

    public async Task InitializeAsync() => host = await PlatformsHost.StartAsync(Organisation);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<T> QueryAsync<T>(string sql) =>
        host.Database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<T>(new CommandDefinition(sql))!, CancellationToken.None)!;

    private Task<long> KudosCountAsync() => QueryAsync<long>("SELECT COUNT(*) FROM kudos");

    private Task<long> OutboxCountAsync() => QueryAsync<long>("SELECT COUNT(*) FROM outbox_messages");

    [Fact]
    public async Task A_replayed_slash_command_kudos_is_acknowledged_and_gives_the_kudos_once()
    {
        var body = $"command=%2Fkudos&text={Uri.EscapeDataString("<@UTOM|tom> thanks for covering my shift")}&user_id=UANA&user_name=ana&team_id=T111&channel_id=C0QUIET&trigger_id=13345224609.738474920.8088930838d88f008e0";
        var at = DateTimeOffset.UtcNow;

        using var first = await SlackTestHost.PostSignedAsync(host.Server.Client, "/slack/commands", body, SignedInbound.Form, at);
        using var replay = await SlackTestHost.PostSignedAsync(host.Server.Client, "/slack/commands", body, SignedInbound.Form, at);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, replay.StatusCode));
        Assert.Contains("Thank you for thanking", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("", await replay.Content.ReadAsStringAsync());
        Assert.Equal(1, await KudosCountAsync());
        Assert.Equal(1, await OutboxCountAsync());                 // Tom's direct message, once
        await host.DrainedAsync(sent: 1);
    }

    [Fact]
    public async Task A_replayed_button_click_is_acknowledged_and_does_nothing_the_second_time()
    {
        using (var feedback = await SignedFeedback.PostAsync(host.Server.Client,
            """{ "externalId": "r1", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "ana@example.com", "text": "Ana was so patient" }""", "survey", PlatformsHost.Secret))
            Assert.Equal(HttpStatusCode.Accepted, feedback.StatusCode);
        await host.DrainedAsync(sent: 1);
        var dm = Assert.Single(host.Slack.CallsTo("chat.postMessage")).Json["blocks"]!.AsArray();
        var share = dm.SelectMany(b => b!["elements"]?.AsArray() ?? []).Single(e => e!["action_id"]?.GetValue<string>() == "kudos.share")!;
        var body = "payload=" + Uri.EscapeDataString($$"""
            {"type":"block_actions","trigger_id":"701.288.3c5f","user":{"id":"UANA","username":"ana","team_id":"T111"},"team":{"id":"T111"},
             "response_url":"{{host.Slack.HooksUrl}}actions/1","actions":[{"type":"button","action_id":"kudos.share","block_id":"b1","value":"{{share["value"]}}"}]}
            """);
        var followUps = host.Server.Services.GetRequiredService<SlackFollowUps>();
        var at = DateTimeOffset.UtcNow;

        using var first = await SlackTestHost.PostSignedAsync(host.Server.Client, "/slack/interactions", body, SignedInbound.Form, at);
        var answersToFirst = followUps.Queued;
        using var replay = await SlackTestHost.PostSignedAsync(host.Server.Client, "/slack/interactions", body, SignedInbound.Form, at);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, replay.StatusCode));
        Assert.True(answersToFirst > 0);
        Assert.Equal(answersToFirst, followUps.Queued);             // the replay queued no answer: it was not handled
        await host.DrainedAsync(sent: 2);                           // the DM and one post in the team's channel
        Assert.Single(host.Slack.CallsTo("chat.postMessage"), c => c.Json["channel"]!.GetValue<string>() == "C0QUIET");
        Assert.Equal(1, await QueryAsync<long>("SELECT COUNT(*) FROM inbound_requests WHERE request_key = 'slack:trigger:701.288.3c5f'"));
    }

    [Fact]
    public async Task A_teams_message_giving_kudos_sent_twice_with_one_activity_id_stores_the_kudos_and_its_reply_once()
    {
        var activity = host.Teams.Example("botbuilder-microsoftteams/SampleActivityAtMention.json");
        activity["from"] = new JsonObject { ["id"] = "29:tom", ["name"] = "Tom Baker", ["aadObjectId"] = TomAad };
        activity["text"] = "<at>TestBot</at> kudos <at>Ana Petrova</at> thanks for the handover";
        activity["entities"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = "<at>Ana Petrova</at>",
            ["mentioned"] = new JsonObject { ["id"] = "29:ana", ["name"] = "Ana Petrova", ["aadObjectId"] = AnaAad },
        });

        using var first = await host.Teams.PostActivityAsync(host.Server.Client, activity);
        using var retry = await host.Teams.PostActivityAsync(host.Server.Client, activity);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, retry.StatusCode));
        Assert.Equal(1, await KudosCountAsync());
        Assert.Equal(2, await OutboxCountAsync());                  // Ana's message and the reply to Tom, once each
        Assert.Equal(1, await QueryAsync<long>("SELECT COUNT(*) FROM outbox_messages WHERE idempotency_key LIKE 'teams:reply:%'"));
    }
}
