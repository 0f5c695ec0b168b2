using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using KudosRelay.Core.Language;
using KudosRelay.Host.Tests.Intake;
using KudosRelay.Host.Tests.Slack;
using KudosRelay.Host.Tests.Teams;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Kudos;

/// <summary>
/// The real host against a fake Slack and a fake Bot Framework: an agent who reads Bulgarian, on a team whose
/// Slack and Teams channels speak Russian, praised by a customer who wrote in Romanian. Each reader gets the
/// catalogue's words in their own language; the customer's words arrive as written.
/// </summary>
public sealed class ChannelLanguageEndToEndTests : IAsyncLifetime
{
    private const string Secret = PlatformsHost.Secret;
    private const string Channel = "C0SOFIA";

    // The channel of the Bot Framework's own example of a bot added to a team.
    private const string TeamsChannel = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";
    private const string DirectMessage = "D0DIRECT";
    private const string Quote = "Iva a fost minunată, vă mulțumesc din suflet!";

    // The organisation's default is English, so only the team's own locale can make its channel Russian.
    private const string Organisation = $$"""
        defaultLocale: en
        people:
          - { email: iva@example.com, name: Iva Dimitrova, locale: bg, slack: UIVA }
        teams:
          - { key: sofia, name: Sofia Desk, members: [iva@example.com], channels: { slack: {{Channel}}, teams: "{{TeamsChannel}}" }, locale: ru }
        """;

    private static readonly Texts English = MessageCatalogue.Shipped.For("Kudos", "en");
    private static readonly Texts Bulgarian = MessageCatalogue.Shipped.For("Kudos", "bg");
    private static readonly Texts Russian = MessageCatalogue.Shipped.For("Kudos", "ru");

    private PlatformsHost host = null!;
    private FakeSlackApi slack = null!;
    private FakeBotFramework teams = null!;
    private TestServer server = null!;

    public async Task InitializeAsync()
    {
        host = await PlatformsHost.StartAsync(Organisation);
        (slack, teams, server) = (host.Slack, host.Teams, host.Server);
        // The app is added to the team: from then on Teams tells the bot where the channel lives.
        using var added = await teams.PostActivityAsync(server.Client, teams.Example("msteams-docs/conversationUpdate.botAddedToTeam.json"));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_bulgarian_agent_on_a_russian_channel_gets_a_bulgarian_message_and_the_channel_a_russian_post_with_the_customers_own_words()
    {
        using var response = await SignedFeedback.PostAsync(server.Client, $$"""
            [ { "externalId": "b1", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "iva@example.com",
                "customer": { "name": "Elena Popa" }, "language": "ro", "text": "{{Quote}}" } ]
            """, "survey", Secret);
        Assert.Equal(["relayed"], await ResultsAsync(response));
        await DrainedAsync(sent: 3);

        var posts = slack.CallsTo("chat.postMessage");
        var dm = Words(Assert.Single(posts, c => c.Json["channel"]!.GetValue<string>() == DirectMessage).Json);
        var post = Words(Assert.Single(posts, c => c.Json["channel"]!.GetValue<string>() == Channel).Json);
        var card = Words(Assert.Single(teams.Calls, c => c.Path == $"/v3/conversations/{TeamsChannel}/activities").Body);

        Assert.Contains(Bulgarian.Format("dm.team-sees-it", ("team", "Sofia Desk")), dm, StringComparison.Ordinal);
        Assert.Contains(Bulgarian["dm.pick-colleague"], dm, StringComparison.Ordinal);
        Assert.DoesNotContain(English["dm.pick-colleague"], dm, StringComparison.Ordinal);
        // Slack mentions Iva; she has no Teams identity, so the Teams card names her.
        Assert.Contains(Russian.Format("team-post.heading", ("agent", "<@UIVA>")), post, StringComparison.Ordinal);
        Assert.Contains(Russian["team-post.footer"], post, StringComparison.Ordinal);
        Assert.DoesNotContain(English["team-post.footer"], post, StringComparison.Ordinal);
        Assert.DoesNotContain(Bulgarian["team-post.footer"], post, StringComparison.Ordinal);
        Assert.Contains(Russian.Format("team-post.heading", ("agent", "Iva Dimitrova")), card, StringComparison.Ordinal);
        Assert.DoesNotContain("<at>", card, StringComparison.Ordinal);
        Assert.Contains(Russian["team-post.footer"], card, StringComparison.Ordinal);
        Assert.All([dm, post, card], words => Assert.Contains(Quote, words, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_withdrawn_kudos_is_withdrawn_in_bulgarian_for_the_agent_and_in_russian_in_the_channels()
    {
        using (var praise = await SignedFeedback.PostAsync(server.Client, $$"""
            [ { "externalId": "b2", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "iva@example.com", "language": "ro", "text": "{{Quote}}" } ]
            """, "survey", Secret))
            Assert.Equal(["relayed"], await ResultsAsync(praise));
        await DrainedAsync(sent: 3);

        using var changedMind = await SignedFeedback.PostAsync(server.Client, """
            [ { "externalId": "b2", "rating": { "scale": "csat5", "value": 1 }, "agentEmail": "iva@example.com", "text": "Awful, nothing was solved and I am very disappointed." } ]
            """, "survey", Secret);
        Assert.Equal(["withdrawn"], await ResultsAsync(changedMind));
        await DrainedAsync(sent: 6);

        var updates = slack.CallsTo("chat.update");
        var dm = Words(Assert.Single(updates, c => c.Json["channel"]!.GetValue<string>() == DirectMessage).Json);
        var post = Words(Assert.Single(updates, c => c.Json["channel"]!.GetValue<string>() == Channel).Json);
        var card = Words(Assert.Single(teams.Calls, c => c.Method == "PUT" && c.Path.StartsWith($"/v3/conversations/{TeamsChannel}/activities/", StringComparison.Ordinal)).Body);
        Assert.Contains(Bulgarian["withdrawn.post"], dm, StringComparison.Ordinal);
        Assert.All([post, card], words => Assert.Contains(Russian["withdrawn.post"], words, StringComparison.Ordinal));
        Assert.All([post, card], words => Assert.DoesNotContain(English["withdrawn.post"], words, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kudos_withdrawn_and_then_positive_again_show_the_praise_again_in_place_on_slack_and_teams()
    {
        using (var praise = await SignedFeedback.PostAsync(server.Client, $$"""
            [ { "externalId": "b3", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "iva@example.com", "language": "ro", "text": "{{Quote}}" } ]
            """, "survey", Secret))
            Assert.Equal(["relayed"], await ResultsAsync(praise));
        await DrainedAsync(sent: 3);
        using (var changedMind = await SignedFeedback.PostAsync(server.Client, """
            [ { "externalId": "b3", "rating": { "scale": "csat5", "value": 1 }, "agentEmail": "iva@example.com", "text": "Awful, nothing was solved and I am very disappointed." } ]
            """, "survey", Secret))
            Assert.Equal(["withdrawn"], await ResultsAsync(changedMind));
        await DrainedAsync(sent: 6);

        using var changedBack = await SignedFeedback.PostAsync(server.Client, $$"""
            [ { "externalId": "b3", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "iva@example.com", "language": "ro", "text": "{{Quote}}" } ]
            """, "survey", Secret);
        var body = await changedBack.Content.ReadFromJsonAsync<JsonElement>();
        var item = body.GetProperty("items")[0];
        Assert.Equal("restored", item.GetProperty("result").GetString());
        Assert.DoesNotContain("sent to", item.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await DrainedAsync(sent: 9);

        // Nothing is posted anew: each of the three posts is updated a second time, now back to the praise.
        Assert.Equal(2, slack.CallsTo("chat.postMessage").Count);
        var updates = slack.CallsTo("chat.update");
        var dm = updates.Where(c => c.Json["channel"]!.GetValue<string>() == DirectMessage).Select(c => Words(c.Json)).ToList();
        var post = updates.Where(c => c.Json["channel"]!.GetValue<string>() == Channel).Select(c => Words(c.Json)).ToList();
        var cards = teams.Calls.Where(c => c.Method == "PUT" && c.Path.StartsWith($"/v3/conversations/{TeamsChannel}/activities/", StringComparison.Ordinal)).Select(c => Words(c.Body)).ToList();
        Assert.Single(teams.Calls, c => c.Method == "POST" && c.Path == $"/v3/conversations/{TeamsChannel}/activities");
        Assert.All([dm, post, cards], revisions => Assert.Equal(2, revisions.Count));
        Assert.All([dm[1], post[1], cards[1]], words => Assert.Contains(Quote, words, StringComparison.Ordinal));
        Assert.All([dm[1], post[1], cards[1]], words => Assert.DoesNotContain(Russian["withdrawn.post"], words, StringComparison.Ordinal));
        Assert.DoesNotContain(Bulgarian["withdrawn.post"], dm[1], StringComparison.Ordinal);
        Assert.Contains(Bulgarian["dm.pick-colleague"], dm[1], StringComparison.Ordinal);
        Assert.Contains(Russian["team-post.footer"], post[1], StringComparison.Ordinal);
        Assert.Contains(Russian["team-post.footer"], cards[1], StringComparison.Ordinal);
    }

    private static async Task<List<string>> ResultsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("result").GetString()!).ToList();
    }

    private Task DrainedAsync(int sent) => host.DrainedAsync(sent);

    /// <summary>Every text in a Slack request or a Teams activity, one per line, unescaped: what a reader of the message sees.</summary>
    private static string Words(JsonNode? node) => node switch
    {
        JsonObject fields => string.Join("\n", fields.Select(field => Words(field.Value))),
        JsonArray items => string.Join("\n", items.Select(Words)),
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => "",
    };
}
