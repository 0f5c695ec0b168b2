using System.Net;
using System.Text.Json.Nodes;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Slack.Inbound;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using KudosRelay.Testing;

namespace KudosRelay.Host.Tests.Slack;

/// <summary>The real host receiving real signed Slack requests built from Slack's example payloads.</summary>
public sealed class SlackInboundTests : IAsyncLifetime
{
    private const string Form = "application/x-www-form-urlencoded";
    private const string Json = "application/json";
    private SlackTestHost host = null!;

    public async Task InitializeAsync() => host = await SlackTestHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "/slack/events", SpecFiles.Read("examples", "slack", "bolt-python", "event_callback.app_mention.json"), Json },
        { "/slack/commands", SlackCommandBody("/kudos", "<@U0BOB|bob> thanks"), Form },
        { "/slack/interactions", (string)JsonNode.Parse(SpecFiles.Read("examples", "slack", "bolt-python", "block_actions.request.json"))!["body"]!, Form },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Forged_stale_replayed_and_unsigned_requests_are_refused_and_reach_nothing(string path, string body, string contentType)
    {
        var now = DateTimeOffset.UtcNow;
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var otherBody = body.Replace("U0BOB", "U0EVE", StringComparison.Ordinal).Replace("W222", "W333", StringComparison.Ordinal).Replace("click_me_123", "click_me_999", StringComparison.Ordinal);
        Assert.NotEqual(body, otherBody);

        HttpResponseMessage[] responses =
        [
            await host.PostSignedAsync(path, body, contentType, secret: "not-the-signing-secret"),                     // forged
            await host.PostSignedAsync(path, body, contentType, at: now.AddMinutes(-6)),                               // stale
            await host.PostSignedAsync(path, body, contentType, at: now.AddMinutes(6)),                                // from the future
            await host.PostAsync(path, otherBody, contentType, timestamp, SlackTestHost.Sign(SlackTestHost.SigningSecret, timestamp, body)), // replayed with another body
            await host.PostAsync(path, body, contentType, null, null),                                                 // unsigned
            await host.PostAsync(path, body, contentType, timestamp, null),                                            // no signature
            await host.PostAsync(path, body, contentType, null, SlackTestHost.Sign(SlackTestHost.SigningSecret, timestamp, body)), // no timestamp
        ];

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
        }
        // Requests are handled before they are answered, and all that can reach Slack later goes through the
        // outbox or the follow-up queue: with both empty after the answers, nothing leaked and nothing will.
        Assert.Empty(host.Handler.Requests);
        Assert.Empty(await SlackOutbox.EntriesAsync(host));
        Assert.Equal(0, host.Services.GetRequiredService<SlackFollowUps>().Queued);
        Assert.DoesNotContain(host.Slack.Calls, c => c.Method != "auth.test");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_before_its_signature_is_read()
    {
        var response = await host.PostSignedAsync("/slack/events", new string('x', 1024 * 1024 + 1), Json);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Url_verification_answers_the_challenge()
    {
        var body = SpecFiles.Read("examples", "slack", "bolt-python", "url_verification.json");

        var response = await host.PostSignedAsync("/slack/events", body, Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((string?)JsonNode.Parse(body)!["challenge"], (string?)answer["challenge"]);
    }

    [Fact]
    public async Task An_app_mention_reaches_the_product_once_however_often_slack_retries_it_and_the_reply_is_ephemeral()
    {
        var body = SpecFiles.Read("examples", "slack", "bolt-python", "event_callback.app_mention.json");

        var first = await host.PostSignedAsync("/slack/events", body, Json);
        var retry = await host.PostSignedAsync("/slack/events", body, Json, headers: new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" });
        var answer = Assert.Single(await SlackOutbox.EntriesAsync(host));          // one durable answer, whatever the retries
        await SlackOutbox.WaitForAsync(host, answer.Id, e => e.Status == OutboxStatus.Sent);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var request = Assert.Single(host.Handler.Requests);                       // handled before the answer, so final now
        Assert.Equal(new ChatRequest.Help(new ChatUser("slack", "T111", "W222"), "Hi there!"), request with { Origin = null });
        var call = Assert.Single(host.Slack.CallsTo("chat.postEphemeral"));       // sent once, and a sent row is never sent again
        Assert.Equal("C111", (string?)call.Json["channel"]);
        Assert.Equal("W222", (string?)call.Json["user"]);
        Assert.Equal($"Bearer {SlackTestHost.BotToken}", call.Authorization);
        SlackOpenApi.AssertParametersMatch("chat.postEphemeral", call);
        Assert.Equal("slack:event:Ev111:reply", answer.IdempotencyKey);
        Assert.Equal("ephemeral:C111:W222", answer.TargetAddress);
    }

    [Fact]
    public async Task A_mention_is_acknowledged_only_once_its_answer_is_in_the_outbox()
    {
        var body = EventBody("Ev150", """{"type":"app_mention","channel":"C0CARE","user":"U0ANA","text":"<@UBOT> settings","ts":"1.5"}""");

        var response = await host.PostSignedAsync("/slack/events", body, Json);
        var rows = await SlackOutbox.EntriesAsync(host);    // read right after the 200, before any wait

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(rows);
        Assert.Equal(("slack:event:Ev150:reply", "slack", "Channel", "ephemeral:C0CARE:U0ANA"), (row.IdempotencyKey, row.Platform, row.TargetKind, row.TargetAddress));
        var sent = Assert.Single(await host.Slack.WaitForAsync("chat.postEphemeral"));
        Assert.Equal(("C0CARE", "U0ANA", "Got Settings"), ((string?)sent.Json["channel"], (string?)sent.Json["user"], (string?)sent.Json["text"]));
        Assert.Equal(OutboxStatus.Sent, (await SlackOutbox.WaitForAsync(host, row.Id, e => e.Status == OutboxStatus.Sent)).Status);
    }

    [Fact]
    public async Task A_mention_the_product_does_not_answer_writes_nothing()
    {
        host.Handler.Answer = _ => new ChatResponse(null);

        var response = await host.PostSignedAsync("/slack/events", EventBody("Ev160", """{"type":"app_mention","channel":"C0","user":"U0","text":"hi"}"""), Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Handler.Requests);
        Assert.Empty(await SlackOutbox.EntriesAsync(host));
    }

    [Fact]
    public async Task A_direct_message_asking_for_kudos_reaches_the_product_and_is_answered_in_the_conversation()
    {
        var body = EventBody("Ev200", """{"type":"message","channel_type":"im","channel":"D0ANA","user":"U0ANA","text":"kudos <@U0BOB> thanks for the handover","ts":"1.2"}""");

        await host.PostSignedAsync("/slack/events", body, Json);
        await host.Handler.WaitForAsync(1);
        var posted = await host.Slack.WaitForAsync("chat.postMessage");

        var kudos = Assert.IsType<ChatRequest.PeerKudos>(Assert.Single(host.Handler.Requests));
        Assert.Equal("U0BOB", kudos.To.UserId);
        Assert.Equal("thanks for the handover", kudos.Text);
        Assert.Equal("D0ANA", (string?)Assert.Single(posted).Json["channel"]);
        Assert.Equal("slack:event:Ev200:reply", Assert.Single(await SlackOutbox.EntriesAsync(host)).IdempotencyKey);
    }

    [Fact]
    public async Task Messages_from_bots_and_edits_are_ignored()
    {
        await host.PostSignedAsync("/slack/events", EventBody("Ev301", """{"type":"message","channel_type":"im","channel":"D0","user":"U0","bot_id":"B0","text":"help"}"""), Json);
        await host.PostSignedAsync("/slack/events", EventBody("Ev302", """{"type":"message","subtype":"message_changed","channel_type":"im","channel":"D0","user":"U0","text":"help"}"""), Json);
        await host.PostSignedAsync("/slack/events", EventBody("Ev303", """{"type":"message","channel_type":"channel","channel":"C0","user":"U0","text":"help"}"""), Json);

        // Events are handled before they are answered: what the product was asked, and what it will send, is final.
        Assert.Empty(host.Handler.Requests);
        Assert.Empty(await SlackOutbox.EntriesAsync(host));
    }

    [Fact]
    public async Task Opening_the_home_tab_publishes_it()
    {
        await host.PostSignedAsync("/slack/events", EventBody("Ev400", """{"type":"app_home_opened","user":"U0ANA","channel":"D0ANA","tab":"home"}"""), Json);

        var call = Assert.Single(await host.Slack.WaitForAsync("views.publish"));
        Assert.Equal("U0ANA", (string?)call.Json["user_id"]);
        Assert.Equal("home", (string?)call.Json["view"]!["type"]);
        Assert.Equal("home:U0ANA", Assert.Single(await SlackOutbox.EntriesAsync(host)).TargetAddress);
        SlackOpenApi.AssertParametersMatch("views.publish", call);
    }

    [Fact]
    public async Task A_kudos_command_reaches_the_product_and_its_reply_is_ephemeral()
    {
        var response = await host.PostSignedAsync("/slack/commands", SlackCommandBody("/kudos", "<@U0BOB|bob> thanks for covering"), Form);

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)answer["response_type"]);
        Assert.Equal("Got PeerKudos", (string?)answer["text"]);
        var kudos = Assert.IsType<ChatRequest.PeerKudos>(Assert.Single(host.Handler.Requests));
        Assert.Equal(new ChatUser("slack", "T111", "W111", "primary-owner"), kudos.From);
        Assert.Equal(new ChatUser("slack", "T111", "U0BOB", "bob"), kudos.To);
        Assert.Equal("thanks for covering", kudos.Text);
    }

    [Theory]
    [InlineData("/hello-world", "Hi")]
    [InlineData("/kudos", "thanks everyone")]
    [InlineData("/kudosrelay", "launch")]
    public async Task Unknown_commands_and_bad_arguments_get_the_help_naming_what_was_typed(string command, string text)
    {
        var response = await host.PostSignedAsync("/slack/commands", SlackCommandBody(command, text), Form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)answer["response_type"]);
        var help = Assert.IsType<ChatRequest.Help>(Assert.Single(host.Handler.Requests));
        Assert.Equal($"{command} {text}", help.Unrecognised);
    }

    [Fact]
    public async Task A_failing_product_still_gets_a_friendly_answer_not_a_500()
    {
        host.Handler.Answer = _ => throw new InvalidOperationException("boom");

        var response = await host.PostSignedAsync("/slack/commands", SlackCommandBody("/kudosrelay", "settings"), Form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ephemeral", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response_type"]);
    }

    [Fact]
    public async Task A_button_press_reaches_the_product_and_its_replacement_goes_back_through_the_response_url()
    {
        host.Handler.Answer = _ => new ChatResponse(null, new ChatMessage("Done", [new TextBlock("Thanks, noted.")]));
        var payload = JsonNode.Parse(SpecFiles.Read("examples", "slack", "bolt-python", "block_actions.payload.json"))!;
        payload["response_url"] = host.Slack.HooksUrl + "actions/T111/111/random-value";
        var body = "payload=" + Uri.EscapeDataString(payload.ToJsonString());

        var response = await host.PostSignedAsync("/slack/interactions", body, Form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new ChatRequest.ButtonPressed(new ChatUser("slack", "T111", "W111", "primary-owner"), "a", "click_me_123"), Assert.Single(host.Handler.Requests) with { Origin = null });
        var hook = Assert.Single(await host.Slack.WaitForAsync("response_url"));
        Assert.True((bool)hook.Json["replace_original"]!);
        Assert.Equal("Done", (string?)hook.Json["text"]);
    }

    [Fact]
    public async Task A_response_url_on_a_foreign_host_is_never_called()
    {
        // The example's own response URL is Slack's hooks host, which is allowed: point it somewhere else.
        var example = (string)JsonNode.Parse(SpecFiles.Read("examples", "slack", "bolt-python", "block_actions.request.json"))!["body"]!;
        var payload = JsonNode.Parse(Uri.UnescapeDataString(example["payload=".Length..].Replace('+', ' ')))!;
        payload["response_url"] = "https://hooks.example.com/actions/T111/111/random-value";
        var body = "payload=" + Uri.EscapeDataString(payload.ToJsonString());

        var response = await host.PostSignedAsync("/slack/interactions", body, Form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Handler.Requests);
        Assert.Equal(0, host.Services.GetRequiredService<SlackFollowUps>().Queued);   // answers through a response URL are queued before the 200
        Assert.Empty(host.Slack.CallsTo("response_url"));
    }

    [Fact]
    public async Task A_view_submission_is_handed_to_the_product_and_its_answer_takes_the_modals_place()
    {
        var body = "payload=" + Uri.EscapeDataString(SpecFiles.Read("examples", "slack", "bolt-python", "view_submission.payload.json"));

        var response = await host.PostSignedAsync("/slack/interactions", body, Form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var submitted = Assert.IsType<ChatRequest.FormSubmitted>(Assert.Single(host.Handler.Requests));
        Assert.Equal(("view-id", "V111", "This is for you!"), (submitted.FormId, submitted.SubmissionId, submitted.State));
        Assert.Equal("test", submitted.Values["maBWU"]);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(("update", "modal"), (answer["response_action"]!.GetValue<string>(), answer["view"]!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Auth_test_at_start_makes_slack_ready()
    {
        await host.WaitUntilReadyAsync();

        var ready = await host.Client.GetAsync(new Uri("/slack/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal($"Bearer {SlackTestHost.BotToken}", host.Slack.CallsTo("auth.test")[0].Authorization);
    }

    [Fact]
    public async Task With_slack_configured_the_slack_sender_and_directory_are_registered()
    {
        Assert.Equal(["slack"], host.Services.GetServices<IChatSender>().Select(s => s.Platform));
        var directory = Assert.Single(host.Services.GetServices<KudosRelay.Core.People.IChatDirectory>());

        var entry = await directory.FindByEmailAsync("ana@example.com", CancellationToken.None);

        Assert.Equal(new KudosRelay.Core.People.ChatDirectoryEntry("U0ANA", "T111"), entry);
        var call = Assert.Single(host.Slack.CallsTo("users.lookupByEmail"));
        Assert.Equal("", call.Query);                       // the e-mail travels in the body, never in a URL
        Assert.Equal("email=ana%40example.com", call.Body);
        SlackOpenApi.AssertParametersMatch("users.lookupByEmail", call);
    }

    internal static string EventBody(string eventId, string innerEvent, DateTimeOffset? eventTime = null) =>
        $$"""{"token":"x","team_id":"T111","api_app_id":"A111","type":"event_callback","event_id":"{{eventId}}","event_time":{{(eventTime ?? DateTimeOffset.FromUnixTimeSeconds(1700000000)).ToUnixTimeSeconds()}},"event":{{innerEvent}}}""";

    private static string SlackCommandBody(string command, string text)
    {
        var example = JsonNode.Parse(SpecFiles.Read("examples", "slack", "bolt-python", "slash_command.request.json"))!["parsed"]!.AsObject();
        example["command"] = command;
        example["text"] = text;
        return string.Join('&', example.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString((string)p.Value!)}"));
    }
}
