using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using KudosRelay.Host.Tests.Intake;
using KudosRelay.Host.Tests.Slack;
using KudosRelay.Host.Tests.Teams;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Rendering = KudosRelay.Teams.Rendering.AdaptiveCardRenderer;

namespace KudosRelay.Host.Tests.Kudos;

/// <summary>
/// The real host with Slack and Teams configured at once, against a fake Slack Web API and a fake Bot
/// Framework on loopback: signed feedback in, and exactly what each platform received out.
/// </summary>
public sealed class KudosRelayEndToEndTests : IAsyncLifetime
{
    private const string Secret = PlatformsHost.Secret;

    // One tenant for every Teams activity, as in the Bot Framework's own example of a bot added to a team.
    private const string Tenant = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
    private const string SupportChannel = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";
    private const string TomAad = "7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f";
    private const string TomPersonalChat = "a:tom-personal-chat";
    private const string BenAad = "0c5e1a2b-3c4d-4e5f-8a9b-aabbccddeeff";

    private const string Organisation = $$"""
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA }
          - { email: tom@example.com, name: Tom Baker, teams: {{TomAad}} }
          - { email: lena@example.com, name: Lena Quiet, slack: ULENA }
          - { email: ben@example.com, name: Ben Carter, slack: UBEN, teams: {{BenAad}} }
        teams:
          - { key: care, name: Customer Care, members: [ana@example.com], channels: { slack: C0CARE } }
          - { key: support, name: Support, members: [tom@example.com], channels: { teams: "{{SupportChannel}}" } }
          - { key: quiet, name: Quiet Desk, members: [lena@example.com], channels: { slack: C0QUIET }, postKudos: false }
        departments:
          - { key: billing, name: Billing, members: [ben@example.com] }
        """;


    private PlatformsHost host = null!;
    private FakeSlackApi slack = null!;
    private FakeBotFramework teams = null!;
    private TestServer server = null!;

    public async Task InitializeAsync()
    {
        host = await PlatformsHost.StartAsync(Organisation);
        (slack, teams, server) = (host.Slack, host.Teams, host.Server);
        await InstallTeamsAppAsync();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    /// <summary>Tom installs the app for himself and it is added to the Support channel: Teams then knows where both live.</summary>
    private async Task InstallTeamsAppAsync()
    {
        var personal = teams.Example("msteams-docs/conversationUpdate.botAddedToPersonalChat.json");
        personal["from"]!["aadObjectId"] = TomAad;
        personal["membersAdded"]![1]!["aadObjectId"] = TomAad;
        personal["conversation"]!["id"] = TomPersonalChat;
        personal["channelData"]!["tenant"]!["id"] = Tenant;
        personal["recipient"]!["id"] = personal["membersAdded"]![0]!["id"]!.DeepClone();
        foreach (var activity in new[] { personal, teams.Example("msteams-docs/conversationUpdate.botAddedToTeam.json") })
        {
            using var response = await teams.PostActivityAsync(server.Client, activity);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_signed_mixed_batch_reaches_each_agent_and_team_channel_once_on_slack_and_teams_redacted_and_says_why_per_item()
    {
        const string AnaPraise = """
            { "externalId": "m1", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "ana@example.com", "customer": { "name": "Maria Ivanova" },
              "text": "Ana was wonderful! Write me at maria.ivanova@mail.example or +359 88 123 4567. Card 4111 1111 1111 1111, IBAN BG80 BNBG 9661 1020 3456 78." }
            """;
        const string TomPraise = """
            { "externalId": "m2", "rating": { "scale": "stars5", "value": 5 }, "agentEmail": "tom@example.com", "customer": { "name": "Ion Popescu" },
              "text": "Tom fixed it in minutes. Reach me at ion.popescu@mail.example or +40 722 123 456, card 5555 5555 5555 4444, IBAN RO49 AAAA 1B31 0075 9384 0000." }
            """;
        const string Rest = """
            { "externalId": "m3", "rating": { "scale": "nps10", "value": 2 }, "agentEmail": "ana@example.com", "text": "Terrible wait, nobody called back." },
            { "externalId": "m4", "agentEmail": "tom@example.com", "text": "Awful service, I am very disappointed and angry." },
            { "externalId": "m5", "rating": { "scale": "stars5", "value": 9 }, "agentEmail": "tom@example.com" },
            { "externalId": "m6", "team": "support", "text": "Thank you so much, the support team was great!" }
            """;

        using var response = await SignedFeedback.PostAsync(server.Client, $"[{AnaPraise},{TomPraise},{Rest},{AnaPraise},{TomPraise}]", "survey", Secret);
        var answers = await AnswersAsync(response);
        await DrainedAsync(sent: 5);

        Assert.Equal(["relayed", "duplicate"], answers["m1"].Select(a => a.Result));
        Assert.Equal(["relayed", "duplicate"], answers["m2"].Select(a => a.Result));
        Assert.Equal(["not-positive"], answers["m3"].Select(a => a.Result));
        Assert.Equal(["not-positive"], answers["m4"].Select(a => a.Result));
        Assert.Equal(["rejected"], answers["m5"].Select(a => a.Result));
        Assert.Equal(["relayed"], answers["m6"].Select(a => a.Result));
        Assert.Equal("sent to Ana Petrova and the Customer Care channel", answers["m1"][0].Reason);
        Assert.Equal("sent to Tom Baker and the Support channel", answers["m2"][0].Reason);
        Assert.Equal("sent to the Support channel", answers["m6"][0].Reason);
        Assert.All([answers["m1"][1], answers["m2"][1]], a => Assert.Contains("already received", a.Reason));
        Assert.All([answers["m3"][0], answers["m4"][0]], a => Assert.False(string.IsNullOrWhiteSpace(a.Reason)));
        Assert.Equal("rating", answers["m5"][0].Field);
        Assert.False(string.IsNullOrWhiteSpace(answers["m5"][0].Reason));

        // Slack: Ana's direct message and one post in Customer Care, nothing else.
        var opened = Assert.Single(slack.CallsTo("conversations.open"));
        Assert.Equal("UANA", opened.Json["users"]!.GetValue<string>());
        var slackPosts = slack.CallsTo("chat.postMessage");
        Assert.Equal(["C0CARE", "D0DIRECT"], slackPosts.Select(c => c.Json["channel"]!.GetValue<string>()).Order());
        Assert.All(slackPosts, c => Assert.Contains("Ana was wonderful", c.Body));
        Assert.All(slackPosts, c => Assert.Contains("Maria", c.Body));
        Assert.Contains("users_select", Assert.Single(slackPosts, c => c.Json["channel"]!.GetValue<string>() == "D0DIRECT").Body);
        // The channel post mentions Ana, so Slack notifies her.
        Assert.Equal("*Kudos for <@UANA>*", Assert.Single(slackPosts, c => c.Json["channel"]!.GetValue<string>() == "C0CARE").Json["blocks"]![0]!["text"]!["text"]!.GetValue<string>());

        // Teams: Tom's card in the personal chat he installed the app in (no new 1:1), and two posts in the
        // Support channel (Tom's kudos, the team's kudos).
        var calls = teams.Calls.ToList();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, call => Assert.Empty(ConnectorSwagger.Check(call).Errors));
        Assert.DoesNotContain(calls, c => c.Path == "/v3/conversations");
        var dm = Assert.Single(calls, c => c.Path == $"/v3/conversations/{TomPersonalChat}/activities");
        Assert.Contains("Tom fixed it in minutes", dm.Body!.ToJsonString());
        Assert.Equal("1.6", Card(dm)["version"]!.GetValue<string>());
        Assert.Empty(TeamsCardSchema.ValidateDeclared(Card(dm)));
        Assert.Contains("Input.ChoiceSet", dm.Body!.ToJsonString());
        var channelPosts = calls.Where(c => c.Path == $"/v3/conversations/{SupportChannel}/activities").Select(c => c.Body!.ToJsonString()).ToList();
        Assert.Equal(2, channelPosts.Count);
        Assert.Single(channelPosts, body => body.Contains("Tom fixed it in minutes", StringComparison.Ordinal));
        Assert.Single(channelPosts, body => body.Contains("the support team was great", StringComparison.Ordinal));
        Assert.All(calls.Where(c => c.Path.StartsWith($"/v3/conversations/{SupportChannel}", StringComparison.Ordinal)), c => Assert.Empty(TeamsCardSchema.ValidateDeclared(Card(c))));
        // Tom's post mentions him by his Azure AD object id; the team's own post mentions nobody.
        var supportPosts = calls.Where(c => c.Path == $"/v3/conversations/{SupportChannel}/activities").ToList();
        var tomsPost = Card(Assert.Single(supportPosts, c => c.Body!.ToJsonString().Contains("Tom fixed it in minutes", StringComparison.Ordinal)));
        Assert.Equal("Kudos for <at>Tom Baker</at>", tomsPost["body"]![0]!["text"]!.GetValue<string>());
        var mention = Assert.Single(tomsPost["msteams"]!["entities"]!.AsArray())!;
        Assert.Equal(("mention", "<at>Tom Baker</at>", TomAad, "Tom Baker"),
            (mention["type"]!.GetValue<string>(), mention["text"]!.GetValue<string>(), mention["mentioned"]!["id"]!.GetValue<string>(), mention["mentioned"]!["name"]!.GetValue<string>()));
        Assert.Null(Card(Assert.Single(supportPosts, c => c.Body!.ToJsonString().Contains("the support team was great", StringComparison.Ordinal)))["msteams"]);

        var everything = slackPosts.Select(c => c.Body).Concat(calls.Select(c => c.Body?.ToJsonString() ?? "")).ToList();
        foreach (var secret in new[] { "mail.example", "123 4567", "4111", "BG80", "9661", "722 123 456", "5555 5555", "RO49", "1B31", "Ivanova", "Popescu" })
            Assert.All(everything, body => Assert.DoesNotContain(secret, body, StringComparison.Ordinal));
        foreach (var negative in new[] { "Terrible", "Awful", "disappointed" })
            Assert.All(everything, body => Assert.DoesNotContain(negative, body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pass_it_on_and_share_with_the_team_work_from_a_teams_card_and_a_slack_message()
    {
        const string Batch = """
            [ { "externalId": "q1", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "tom@example.com", "customer": { "name": "Ion Popescu" }, "text": "Tom and billing sorted my refund" },
              { "externalId": "q2", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "lena@example.com", "customer": { "name": "Eva Novak" }, "text": "Lena was so patient" } ]
            """;
        using var response = await SignedFeedback.PostAsync(server.Client, Batch, "survey", Secret);
        var answers = await AnswersAsync(response);
        await DrainedAsync(sent: 3);

        Assert.Contains("the Quiet Desk channel only if Lena shares it", answers["q2"][0].Reason);
        Assert.DoesNotContain(slack.CallsTo("chat.postMessage"), c => c.Json["channel"]!.GetValue<string>() == "C0QUIET");

        // Teams: Tom picks Ben in the people picker on his card and presses "Pass it on", twice.
        var tomCard = Card(Assert.Single(teams.Calls, c => c.Path == $"/v3/conversations/{TomPersonalChat}/activities"));
        var pass = tomCard["body"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "ActionSet")!["actions"]![0]!;
        var presses = new List<JsonNode>();
        for (var i = 0; i < 2; i++)
        {
            using var pressed = await teams.PostActivityAsync(server.Client, CardAction(pass["verb"]!.GetValue<string>(), pass["data"]![Rendering.PayloadKey]!.GetValue<string>(), BenAad));
            Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
            presses.Add((await pressed.Content.ReadFromJsonAsync<JsonNode>())!);
        }
        await DrainedAsync(sent: 4);

        Assert.All(presses, p => Assert.Equal("application/vnd.microsoft.card.adaptive", p["type"]!.GetValue<string>()));
        Assert.All(presses, p => Assert.Contains("Passed on to Ben Carter", Plain(p["value"]!), StringComparison.Ordinal));
        var toBen = teams.Calls.Where(c => c.Path == "/v3/conversations").ToList();
        Assert.Equal(BenAad, toBen[^1].Body!["members"]![0]!["aadObjectId"]!.GetValue<string>());
        var benCard = Plain(Card(teams.Calls.Last()));
        Assert.Contains("Tom Baker passed on a customer's thanks", benCard, StringComparison.Ordinal);
        Assert.Contains("Tom and billing sorted my refund", benCard, StringComparison.Ordinal);
        Assert.DoesNotContain("Popescu", benCard, StringComparison.Ordinal);

        // Slack: Lena presses "Share with the team" twice, then picks Ben in the users_select.
        var lenaDm = Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Body.Contains("Lena was so patient", StringComparison.Ordinal)).Json["blocks"]!.AsArray();
        var share = lenaDm.SelectMany(b => b!["elements"]?.AsArray() ?? []).Single(e => e!["action_id"]?.GetValue<string>() == "kudos.share")!;
        var picker = lenaDm.Single(b => b!["accessory"]?["type"]?.GetValue<string>() == "users_select")!;
        foreach (var action in new[] { ButtonAction(share), ButtonAction(share), $$"""{"type":"users_select","action_id":"{{picker["accessory"]!["action_id"]}}","block_id":"{{picker["block_id"]}}","selected_user":"UBEN"}""" })
        {
            using var pressed = await SlackTestHost.PostSignedAsync(server.Client, "/slack/interactions", Interaction("ULENA", action), "application/x-www-form-urlencoded");
            Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        }
        var replacements = await slack.WaitForAsync("response_url", 3);
        await DrainedAsync(sent: 6);

        Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Json["channel"]!.GetValue<string>() == "C0QUIET" && c.Body.Contains("Lena was so patient", StringComparison.Ordinal));
        Assert.All(replacements, r => Assert.True(r.Json["replace_original"]!.GetValue<bool>()));
        Assert.All(replacements, r => Assert.Contains("Shared with the team.", r.Body, StringComparison.Ordinal));
        Assert.All(replacements, r => Assert.DoesNotContain("kudos.share", r.Body, StringComparison.Ordinal));
        Assert.Single(replacements, r => Plain(r.Json).Contains("Passed on to Ben Carter", StringComparison.Ordinal));
        Assert.Equal(["ULENA", "UBEN"], slack.CallsTo("conversations.open").Select(c => c.Json["users"]!.GetValue<string>()));
        var toBenOnSlack = Assert.Single(slack.CallsTo("chat.postMessage"), c => Plain(c.Json).Contains("Lena Quiet passed on a customer's thanks", StringComparison.Ordinal));
        Assert.Equal("D0DIRECT", toBenOnSlack.Json["channel"]!.GetValue<string>());
    }

    /// <summary>An <c>Action.Execute</c> from Tom's 1:1 chat with the bot, carrying what the card's inputs held.</summary>
    private JsonObject CardAction(string verb, string payload, string pickedAad)
    {
        var invoke = teams.Example("synthesized/invoke.adaptiveCard-action.json");
        invoke["id"] = $"f:{Guid.NewGuid():N}";       // each press is an activity of its own; one id twice is a retry, handled once
        invoke["from"]!["aadObjectId"] = TomAad;
        invoke["conversation"]!["id"] = TomPersonalChat;
        invoke["conversation"]!["tenantId"] = Tenant;
        invoke["channelData"]!["tenant"]!["id"] = Tenant;
        invoke["value"]!["action"] = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["verb"] = verb,
            ["data"] = new JsonObject { [Rendering.PayloadKey] = payload, [Rendering.PickedPersonKey] = pickedAad },
        };
        return invoke;
    }

    private static string ButtonAction(JsonNode button) =>
        $$"""{"type":"button","action_id":"{{button["action_id"]}}","block_id":"b1","value":"{{button["value"]}}"}""";

    /// <summary>A <c>block_actions</c> interaction from a direct message, as Slack posts it (form-encoded <c>payload</c>).</summary>
    private string Interaction(string userId, string actionJson) => "payload=" + Uri.EscapeDataString($$"""
        {"type":"block_actions","user":{"id":"{{userId}}","username":"lena","team_id":"{{slack.AuthTestTeam}}"},"team":{"id":"{{slack.AuthTestTeam}}"},
         "response_url":"{{slack.HooksUrl}}actions/1","actions":[{{actionJson}}]}
        """);

    private sealed record Answer(string Result, string? Field, string? Reason);

    private static async Task<Dictionary<string, List<Answer>>> AnswersAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("items").EnumerateArray()
            .GroupBy(item => item.GetProperty("externalId").GetString()!)
            .ToDictionary(group => group.Key, group => group.Select(item => new Answer(
                item.GetProperty("result").GetString()!,
                item.TryGetProperty("field", out var field) ? field.GetString() : null,
                item.TryGetProperty("reason", out var reason) ? reason.GetString() : null)).ToList());
    }

    private Task DrainedAsync(int sent) => host.DrainedAsync(sent);

    /// <summary>JSON as written, without escaping apostrophes, so wording can be looked for.</summary>
    private static string Plain(JsonNode node) => node.ToJsonString(Rendering.Wire);

    private static JsonNode Card(FakeBotFramework.ConnectorCall call) => call.Body!["attachments"]![0]!["content"]!;
}
