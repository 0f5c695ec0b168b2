using System.Net;
using System.Text.Json.Nodes;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using Xunit;

namespace KudosRelay.Host.Tests.Slack;

/// <summary>
/// A page (a summary's full list) on the Home tab of whoever pressed for it: published through the outbox, kept and
/// rebuilt when the tab is opened again, and left by its button back to the usual Home.
/// </summary>
public sealed class SlackHomePageTests : IAsyncLifetime
{
    private const string Form = "application/x-www-form-urlencoded";
    private const string Json = "application/json";
    private SlackTestHost host = null!;

    public async Task InitializeAsync() => host = await SlackTestHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static ChatResponse PageAnswer(string heading) =>
        new(new ChatMessage("It is on your Home tab", [new TextBlock("It is on your Home tab")]))
        {
            Page = new ChatPage(new ChatMessage(heading, [new HeadingBlock(heading), new QuoteBlock("Ana found my parcel", "Maria · this morning")]), "Back to Home"),
        };

    private static string Interaction(string actionJson, string responseUrl) => "payload=" + Uri.EscapeDataString($$"""
        {"type":"block_actions","user":{"id":"U0ANA","username":"ana","team_id":"T111"},"team":{"id":"T111"},"trigger_id":"{{Guid.NewGuid():N}}",
         "response_url":"{{responseUrl}}","actions":[{{actionJson}}]}
        """);

    [Fact]
    public async Task A_press_answered_with_a_page_publishes_it_on_the_pressers_home_tab_and_says_where_it_is()
    {
        host.Handler.Answer = _ => PageAnswer("3 customers thanked you today");

        var response = await host.PostSignedAsync("/slack/interactions",
            Interaction("""{"type":"button","action_id":"kudos.summary.see-all","block_id":"b1","value":"summary:import:ab:dm:7"}""", host.Slack.HooksUrl + "actions/1"), Form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var publish = Assert.Single(await host.Slack.WaitForAsync("views.publish"));
        SlackOpenApi.AssertParametersMatch("views.publish", publish);
        Assert.Equal("U0ANA", (string?)publish.Json["user_id"]);
        var view = publish.Json["view"]!;
        Assert.Equal(("home", "kudosrelay.page"), ((string?)view["type"], (string?)view["callback_id"]));
        Assert.Equal(new JsonObject { ["action"] = "kudos.summary.see-all", ["payload"] = "summary:import:ab:dm:7" }.ToJsonString(), (string?)view["private_metadata"]);
        var blocks = view["blocks"]!.AsArray();
        // The way back comes first, then the page itself.
        Assert.Equal(("actions", "kudosrelay.home", "Back to Home"),
            ((string?)blocks[0]!["type"], (string?)blocks[0]!["elements"]![0]!["action_id"], (string?)blocks[0]!["elements"]![0]!["text"]!["text"]));
        Assert.Equal("3 customers thanked you today", (string?)blocks[1]!["text"]!["text"]);
        var hook = Assert.Single(await host.Slack.WaitForAsync("response_url"));
        Assert.Equal(("ephemeral", false), ((string?)hook.Json["response_type"], (bool)hook.Json["replace_original"]!));
        Assert.Equal("It is on your Home tab", (string?)hook.Json["text"]);
    }

    [Fact]
    public async Task Opening_the_home_tab_on_a_page_asks_for_it_afresh_and_a_page_that_is_gone_gives_way_to_the_usual_home()
    {
        var metadata = new JsonObject { ["action"] = "kudos.summary.see-all", ["payload"] = "summary:import:ab:dm:7" }.ToJsonString();
        var opened = JsonValue.Create(metadata)!.ToJsonString();
        var onPage = $$$"""{"type":"app_home_opened","user":"U0ANA","channel":"D0ANA","tab":"home","view":{"id":"V1","type":"home","callback_id":"kudosrelay.page","private_metadata":{{{opened}}},"blocks":[]}}""";
        host.Handler.Answer = request => request is ChatRequest.ButtonPressed ? PageAnswer("4 customers thanked you today") : new ChatResponse(new ChatMessage("Home", [new TextBlock("Home")]));

        await host.PostSignedAsync("/slack/events", SlackInboundTests.EventBody("Ev501", onPage), Json);
        var rebuilt = Assert.Single(await host.Slack.WaitForAsync("views.publish"));
        host.Handler.Answer = request => request is ChatRequest.ButtonPressed
            ? new ChatResponse(new ChatMessage("Nothing left", [new TextBlock("Nothing left")]))
            : new ChatResponse(new ChatMessage("Home", [new TextBlock("Home")]));
        await host.PostSignedAsync("/slack/events", SlackInboundTests.EventBody("Ev502", onPage), Json);
        var usual = (await host.Slack.WaitForAsync("views.publish", 2))[1];

        var press = Assert.IsType<ChatRequest.ButtonPressed>(host.Handler.Requests[0]);
        Assert.Equal(new ChatRequest.ButtonPressed(new ChatUser("slack", "T111", "U0ANA"), "kudos.summary.see-all", "summary:import:ab:dm:7"), press);
        Assert.Equal("kudosrelay.page", (string?)rebuilt.Json["view"]!["callback_id"]);
        Assert.Contains("4 customers thanked you today", rebuilt.Body, StringComparison.Ordinal);
        Assert.IsType<ChatRequest.Home>(host.Handler.Requests[^1]);
        Assert.Null(usual.Json["view"]!["callback_id"]);
        Assert.Contains("Home", usual.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pages_way_back_publishes_the_usual_home()
    {
        host.Handler.Answer = _ => new ChatResponse(new ChatMessage("Home", [new TextBlock("What I do")]));

        // A press on the Home tab carries no response URL.
        var response = await host.PostSignedAsync("/slack/interactions", "payload=" + Uri.EscapeDataString("""
            {"type":"block_actions","user":{"id":"U0ANA","team_id":"T111"},"team":{"id":"T111"},"trigger_id":"1.2.3","container":{"type":"view","view_id":"V1"},
             "view":{"id":"V1","type":"home","callback_id":"kudosrelay.page"},"actions":[{"type":"button","action_id":"kudosrelay.home","block_id":"b0"}]}
            """), Form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var publish = Assert.Single(await host.Slack.WaitForAsync("views.publish"));
        Assert.Equal(new ChatRequest.Home(new ChatUser("slack", "T111", "U0ANA")), Assert.Single(host.Handler.Requests));
        Assert.Null(publish.Json["view"]!["callback_id"]);
        Assert.Contains("What I do", publish.Body, StringComparison.Ordinal);
    }
}
