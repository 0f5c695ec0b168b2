using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using KudosRelay.Host.Tests.Intake;
using KudosRelay.Host.Tests.Slack;
using KudosRelay.Host.Tests.Teams;
using KudosRelay.Testing;
using Xunit;
using Rendering = KudosRelay.Teams.Rendering.AdaptiveCardRenderer;

namespace KudosRelay.Host.Tests.Kudos;

/// <summary>
/// A CSV import's summaries and their "See all thanks", end to end: the real import command and the real host on one
/// SQLite file, the outbox delivering to a fake Slack and a fake Bot Framework, and clicks and invokes signed as the
/// platforms sign them.
/// </summary>
public sealed class SummaryPageEndToEndTests : IAsyncLifetime
{
    private const string Tenant = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
    private const string SupportChannel = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";
    private const string TomAad = "7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f";
    private const string TomPersonalChat = "a:tom-personal-chat";
    private const string BenAad = "0c5e1a2b-3c4d-4e5f-8a9b-aabbccddeeff";
    private const string SeeAll = "kudos.summary.see-all";

    private const string Organisation = $$"""
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA }
          - { email: tom@example.com, name: Tom Baker, teams: {{TomAad}}, locale: ru }
          - { email: ben@example.com, name: Ben Carter, slack: UBEN, teams: {{BenAad}} }
        teams:
          - { key: care, name: Customer Care, members: [ana@example.com], channels: { slack: C0CARE } }
          - { key: support, name: Support, members: [tom@example.com], channels: { teams: "{{SupportChannel}}" } }
        departments:
          - { key: billing, name: Billing, members: [ben@example.com] }
        """;

    /// <summary>Long enough that forty of them would not fit a Teams card as written.</summary>
    private static readonly string TomsPraise = string.Concat(Enumerable.Repeat("Огромное спасибо, Том всё объяснил спокойно и понятно. ", 8));

    private PlatformsHost host = null!;
    private string folder = null!;

    public async Task InitializeAsync()
    {
        host = await PlatformsHost.StartAsync(Organisation);
        folder = Directory.CreateTempSubdirectory("kudosrelay-see-all-").FullName;
        await InstallTeamsAppAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task An_imported_summary_opens_its_full_list_for_whom_it_was_for_on_slack_and_teams_and_for_nobody_else()
    {
        var now = DateTime.UtcNow;
        string At(double hoursAgo) => now.AddHours(-hoursAgo).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var rows = new List<string>
        {
            $"A1,{At(30)},5,Ana found my lost parcel and called me back,ana@example.com,Maria Ivanova",
            $"A2,{At(20)},5,Ana fixed my bill in one call,ana@example.com,Elena Georgieva",
            $"A3,{At(10)},4,Ana explained the new tariff so clearly,ana@example.com,",
        };
        rows.AddRange(Enumerable.Range(1, 45).Select(i => $"T{i},{At(50 - i)},5,\"{TomsPraise}№{i}\",tom@example.com,Ivan"));
        var path = Path.Combine(folder, "survey.csv");
        await File.WriteAllTextAsync(path, "externalId,receivedAt,rating,text,agentEmail,customerName\n" + string.Join("\n", rows) + "\n", new UTF8Encoding(false));

        await using (var import = HostProcess.Start(["feedback", "import", path, "--source", "survey", "--scale", "csat5",
            $"--Database:ConnectionString={host.Database.ConnectionString}"]))
        {
            await import.WaitForExitAsync(TimeSpan.FromMinutes(5));
            Assert.True(import.ExitCode == 0, import.ErrorOutput);
        }

        // Ana's summary and Customer Care's post on Slack; Tom's summary and Support's post on Teams.
        await host.DrainedAsync(sent: 4);

        // The customer behind A2 changes their mind: the summary drops it in place, and no list shows it.
        using (var withdrawal = await SignedFeedback.PostAsync(host.Server.Client,
            """[{ "externalId": "A2", "rating": { "scale": "csat5", "value": 1 }, "agentEmail": "ana@example.com", "text": "Ana fixed my bill in one call" }]""",
            "survey", PlatformsHost.Secret))
            Assert.Equal(HttpStatusCode.Accepted, withdrawal.StatusCode);
        await host.DrainedAsync(sent: 6);

        // Slack: Ana's summary carries the button; her click publishes the full list on her Home tab and says where it is.
        var anaSummary = Assert.Single(host.Slack.CallsTo("chat.postMessage"), c => c.Json["channel"]!.GetValue<string>() == "D0DIRECT");
        var button = anaSummary.Json["blocks"]!.AsArray().SelectMany(b => b!["elements"]?.AsArray() ?? []).Single(e => e!["action_id"]?.GetValue<string>() == SeeAll)!;
        Assert.Equal("See all thanks", button["text"]!["text"]!.GetValue<string>());
        Assert.True((await ClickAsync("UANA", button)).IsSuccessStatusCode);
        await host.DrainedAsync(sent: 7);

        var publish = Assert.Single(host.Slack.CallsTo("views.publish"));
        SlackOpenApi.AssertParametersMatch("views.publish", publish);
        Assert.Equal("UANA", publish.Json["user_id"]!.GetValue<string>());
        var home = Plain(publish.Json["view"]!);
        Assert.Contains("2 customers thanked you", home, StringComparison.Ordinal);
        Assert.True(home.IndexOf("explained the new tariff", StringComparison.Ordinal) < home.IndexOf("found my lost parcel", StringComparison.Ordinal), "newest first");
        Assert.Contains("— Maria · ★★★★★", home, StringComparison.Ordinal);
        Assert.DoesNotContain("fixed my bill", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Ivanova", home, StringComparison.Ordinal);
        Assert.Contains("Back to Home", home, StringComparison.Ordinal);
        var pointer = Assert.Single(await host.Slack.WaitForAsync("response_url"));
        Assert.Contains("Home tab", pointer.Body, StringComparison.Ordinal);

        // Ben, in another department, clicks a forwarded copy: a kind word, nothing of the list, nothing published.
        Assert.True((await ClickAsync("UBEN", button)).IsSuccessStatusCode);
        var refusal = (await host.Slack.WaitForAsync("response_url", 2))[1];
        Assert.Equal("ephemeral", refusal.Json["response_type"]!.GetValue<string>());
        Assert.Contains("These customers thanked a colleague", refusal.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("parcel", refusal.Body, StringComparison.Ordinal);
        Assert.Single(host.Slack.CallsTo("views.publish"));

        // Teams: Tom's summary card carries an Action.Execute; invoking it answers with the list as a card, in Russian,
        // the forty newest and a line for the rest, within Teams' 28 KB and valid against the Adaptive Cards schema.
        var tomsCard = Card(Assert.Single(host.Teams.Calls, c => c.Path == $"/v3/conversations/{TomPersonalChat}/activities"));
        var action = Actions(tomsCard).Single(a => a["verb"]!.GetValue<string>() == SeeAll);
        Assert.Equal("Посмотреть все благодарности", action["title"]!.GetValue<string>());
        using var invoked = await host.Teams.PostActivityAsync(host.Server.Client, CardAction(TomAad, TomPersonalChat, action));
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        var answer = await invoked.Content.ReadAsStringAsync();
        Assert.True(Encoding.UTF8.GetByteCount(answer) <= 28 * 1024, $"{Encoding.UTF8.GetByteCount(answer)} bytes");
        var list = JsonNode.Parse(answer)!;
        Assert.Equal(Rendering.ContentType, list["type"]!.GetValue<string>());
        Assert.Empty(TeamsCardSchema.ValidateDeclared(list["value"]));
        var text = Plain(list["value"]!);
        Assert.Contains("45 клиентов поблагодарили вас", text, StringComparison.Ordinal);
        Assert.Contains("Последние 40 отзывов, сначала самые новые:", text, StringComparison.Ordinal);
        Assert.Contains("И ещё 5 клиентов сказали спасибо.", text, StringComparison.Ordinal);
        Assert.Equal(40, list["value"]!["body"]!.AsArray().Count(e => e!["type"]!.GetValue<string>() == "Container"));
        Assert.DoesNotContain("kudosrelay.home", text, StringComparison.Ordinal);

        // The Support channel's post opens the team's list for Tom, a member; Ben's invoke of Tom's card is refused kindly.
        var supportPost = Card(Assert.Single(host.Teams.Calls, c => c.Path == $"/v3/conversations/{SupportChannel}/activities"));
        using var teamList = await host.Teams.PostActivityAsync(host.Server.Client,
            CardAction(TomAad, SupportChannel, Actions(supportPost).Single(a => a["verb"]!.GetValue<string>() == SeeAll)));
        Assert.Contains("45 клиентов поблагодарили команду «Support»", Plain((await teamList.Content.ReadFromJsonAsync<JsonNode>())!), StringComparison.Ordinal);
        using var stranger = await host.Teams.PostActivityAsync(host.Server.Client, CardAction(BenAad, SupportChannel, action));
        var kindWord = (await stranger.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal(("application/vnd.microsoft.activity.message", "This list belongs to a colleague."),
            (kindWord["type"]!.GetValue<string>(), kindWord["value"]!.GetValue<string>()));
    }

    private Task<HttpResponseMessage> ClickAsync(string userId, JsonNode button) =>
        SlackTestHost.PostSignedAsync(host.Server.Client, "/slack/interactions", "payload=" + Uri.EscapeDataString($$"""
            {"type":"block_actions","user":{"id":"{{userId}}","team_id":"{{host.Slack.AuthTestTeam}}"},"team":{"id":"{{host.Slack.AuthTestTeam}}"},
             "trigger_id":"{{Guid.NewGuid():N}}","response_url":"{{host.Slack.HooksUrl}}actions/{{userId}}",
             "actions":[{"type":"button","action_id":"{{button["action_id"]}}","block_id":"b1","value":"{{button["value"]}}"}]}
            """), "application/x-www-form-urlencoded");

    /// <summary>An <c>Action.Execute</c> of <paramref name="action"/> by the person <paramref name="aad"/> in <paramref name="conversation"/>.</summary>
    private JsonObject CardAction(string aad, string conversation, JsonNode action)
    {
        var invoke = host.Teams.Example("synthesized/invoke.adaptiveCard-action.json");
        invoke["id"] = $"f:{Guid.NewGuid():N}";
        invoke["from"]!["aadObjectId"] = aad;
        invoke["conversation"]!["id"] = conversation;
        invoke["conversation"]!["conversationType"] = conversation.StartsWith("19:", StringComparison.Ordinal) ? "channel" : "personal";
        invoke["conversation"]!["tenantId"] = Tenant;
        invoke["channelData"]!["tenant"]!["id"] = Tenant;
        invoke["value"]!["action"] = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["verb"] = action["verb"]!.GetValue<string>(),
            ["data"] = action["data"]!.DeepClone(),
        };
        return invoke;
    }

    /// <summary>Tom installs the app for himself and it is added to the Support channel: Teams then knows where both live.</summary>
    private async Task InstallTeamsAppAsync()
    {
        var personal = host.Teams.Example("msteams-docs/conversationUpdate.botAddedToPersonalChat.json");
        personal["from"]!["aadObjectId"] = TomAad;
        personal["membersAdded"]![1]!["aadObjectId"] = TomAad;
        personal["conversation"]!["id"] = TomPersonalChat;
        personal["channelData"]!["tenant"]!["id"] = Tenant;
        personal["recipient"]!["id"] = personal["membersAdded"]![0]!["id"]!.DeepClone();
        foreach (var activity in new[] { personal, host.Teams.Example("msteams-docs/conversationUpdate.botAddedToTeam.json") })
        {
            using var response = await host.Teams.PostActivityAsync(host.Server.Client, activity);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static IEnumerable<JsonNode> Actions(JsonNode card) =>
        card["body"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "ActionSet").SelectMany(set => set!["actions"]!.AsArray())!;

    private static JsonNode Card(FakeBotFramework.ConnectorCall call) => call.Body!["attachments"]![0]!["content"]!;

    /// <summary>JSON as written, without escaping, so wording can be looked for.</summary>
    private static string Plain(JsonNode node) => node.ToJsonString(Rendering.Wire);
}
