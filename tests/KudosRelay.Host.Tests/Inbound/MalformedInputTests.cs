using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using KudosRelay.Core.Outbox;
using KudosRelay.Host.Tests.Kudos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace KudosRelay.Host.Tests.Inbound;

/// <summary>
/// Each known way a correctly signed request can be malformed, through the real host with both platforms and
/// the intake: a clear 4xx naming the field, or for a signed Slack event a 200 and a warning, never a 5xx.
/// </summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    internal const string Organisation = """
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA }
          - { email: tom@example.com, name: Tom Baker, teams: 7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f }
        teams:
          - { key: care, name: Customer Care, members: [ana@example.com, tom@example.com], channels: { slack: C0CARE } }
        """;

    /// <summary>Stands for bytes that are not text: written into a body after it is built.</summary>
    private const string Bad = "@BAD@";

    private static readonly byte[] InvalidUtf8 = [0xC3, 0x28, 0xFF, 0xFE];

    private readonly WarningLog log = new();
    private PlatformsHost host = null!;
    private SignedInbound send = null!;

    public async Task InitializeAsync()
    {
        host = await PlatformsHost.StartAsync(Organisation, builder => builder.Logging.AddProvider(log));
        send = new SignedInbound(host.Server.Client, host.Teams.Token());
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    /// <summary><paramref name="json"/> as UTF-8, with <see cref="Bad"/> (inside a string) replaced by bytes that are not UTF-8.</summary>
    private static byte[] WithInvalidUtf8(string json)
    {
        var at = json.IndexOf(Bad, StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(json[..at]), .. InvalidUtf8, .. Encoding.UTF8.GetBytes(json[(at + Bad.Length)..])];
    }

    private static string SlackEvent(string innerEvent, string eventTime = "1700000000") =>
        $$"""{"token":"x","team_id":"T111","api_app_id":"A111","type":"event_callback","event_id":"Ev{{Guid.NewGuid():N}}","event_time":{{eventTime}},"event":{{innerEvent}}}""";

    private const string Mention = """{"type":"app_mention","channel":"C0CARE","user":"UANA","text":"<@UBOT> help thanks from Maria Ivanova","ts":"1.5"}""";

    private async Task<int> OutboxRowsAsync()
    {
        var counts = await host.Server.Services.GetRequiredService<OutboxStore>().CountAsync(CancellationToken.None);
        return counts.Pending + counts.Sent + counts.Dead;
    }

    private async Task AssertSlackEventAcknowledgedUnusedAsync(byte[] body, string field)
    {
        var before = await OutboxRowsAsync();
        using var response = await send.SlackAsync("/slack/events", body, "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await OutboxRowsAsync());
        var warning = Assert.Single(log.Lines, l => l.Message.StartsWith("A signed Slack event could not be used", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(field, warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, l => l.Message.Contains("Maria", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slack_event_with_invalid_utf8_in_its_text_is_acknowledged_unused_with_a_warning_naming_the_field() =>
        await AssertSlackEventAcknowledgedUnusedAsync(
            WithInvalidUtf8(SlackEvent("""{"type":"app_mention","channel":"C0CARE","user":"UANA","text":"help from Maria @BAD@","ts":"1.5"}""")), "text");

    [Fact]
    public async Task A_slack_event_with_a_lone_surrogate_escape_is_acknowledged_unused_with_a_warning_naming_the_field() =>
        await AssertSlackEventAcknowledgedUnusedAsync(
            Encoding.UTF8.GetBytes(SlackEvent("""{"type":"app_mention","channel":"C0CARE","user":"U\ud800","text":"help from Maria","ts":"1.5"}""")), "user");

    [Theory]
    [InlineData("253402300800")]             // one second after 9999-12-31
    [InlineData("-62135596801")]             // one second before year 1
    [InlineData("9223372036854775808")]      // 2^63
    [InlineData("1.5")]
    [InlineData("\"1700000000\"")]
    [InlineData("-2208988801")]              // 1899-12-31
    public async Task A_slack_event_whose_event_time_is_out_of_range_is_acknowledged_unused_with_a_warning(string eventTime) =>
        await AssertSlackEventAcknowledgedUnusedAsync(Encoding.UTF8.GetBytes(SlackEvent(Mention, eventTime)), "event_time");

    [Fact]
    public async Task A_slack_event_two_days_ahead_of_our_clock_is_acknowledged_unused() =>
        await AssertSlackEventAcknowledgedUnusedAsync(
            Encoding.UTF8.GetBytes(SlackEvent(Mention, DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))), "event_time");

    [Fact]
    public async Task A_signed_slack_event_that_is_not_json_is_acknowledged_with_a_warning() =>
        await AssertSlackEventAcknowledgedUnusedAsync("{\"type\":\"event_callback\",\"event\":{"u8.ToArray(), "$");

    [Fact]
    public async Task A_slash_command_with_percent_encoded_invalid_utf8_is_answered_not_failed()
    {
        using var response = await send.SlackAsync("/slack/commands",
            "command=%2Fkudos&text=%FF%FE%C3%28&user_id=UANA&team_id=T111&trigger_id=1.2.3"u8.ToArray(), SignedInbound.Form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static byte[] Interaction(string payload) =>
        Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload));

    [Fact]
    public async Task A_button_click_whose_actions_are_null_is_acknowledged_and_does_nothing()
    {
        using var response = await send.SlackAsync("/slack/interactions",
            Interaction("""{"type":"block_actions","user":{"id":"UANA","team_id":"T111"},"team":{"id":"T111"},"trigger_id":"1.2.4","actions":[null]}"""), SignedInbound.Form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await OutboxRowsAsync());
    }

    [Theory]
    [InlineData("""{"type":"block_actions","user":{"id":"UANA"},"trigger_id":"1.2.5","actions":[{"action_id":"kudos.pass","value":"U\ud800"}]}""", "value")]
    [InlineData("""{"type":"block_actions","user":{"id":"UANA"},"trigger_id":"1.2.6","actions":[{"action_id":5,"value":"1"}]}""", "$.actions[0].action_id")]
    [InlineData("""{"type":"block_actions","user":"UANA","trigger_id":"1.2.7","actions":[]}""", "$.user")]
    public async Task A_button_click_with_unreadable_text_or_a_wrong_json_type_is_refused_naming_the_field(string payload, string field)
    {
        using var response = await send.SlackAsync("/slack/interactions", Interaction(payload), SignedInbound.Form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    private JsonObject TeamsMessage(string text)
    {
        var activity = host.Teams.Example("botbuilder-microsoftteams/SampleActivityAtMention.json");
        activity["text"] = text;
        return activity;
    }

    [Fact]
    public async Task A_teams_message_whose_entities_hold_null_is_handled_as_if_they_were_not_there()
    {
        var activity = TeamsMessage("<at>TestBot</at> help");
        activity["entities"]!.AsArray().Add(null);

        using var response = await send.TeamsAsync(Encoding.UTF8.GetBytes(activity.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_teams_conversation_update_whose_members_added_hold_null_is_acknowledged()
    {
        var activity = host.Teams.Example("msteams-docs/conversationUpdate.botAddedToTeam.json");
        activity["membersAdded"] = new JsonArray(null, activity["membersAdded"]![0]!.DeepClone());
        activity["membersRemoved"] = new JsonArray((JsonNode?)null);

        using var response = await send.TeamsAsync(Encoding.UTF8.GetBytes(activity.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_teams_card_action_whose_verb_is_a_number_answers_with_the_old_button_card()
    {
        var activity = host.Teams.Example("synthesized/invoke.adaptiveCard-action.json");
        activity["value"]!["action"]!["verb"] = 42;

        using var response = await send.TeamsAsync(Encoding.UTF8.GetBytes(activity.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("\"text\":\"help U\\ud800\"", "text")]
    [InlineData("\"text\":\"help @BAD@\"", "text")]
    [InlineData("\"text\":5", "$.text")]
    [InlineData("\"from\":\"someone\"", "$.from")]
    [InlineData("\"entities\":{\"type\":\"mention\"}", "$.entities")]
    public async Task A_teams_activity_with_unreadable_text_or_a_wrong_json_type_is_refused_naming_the_field(string replacement, string field)
    {
        var activity = TeamsMessage("PLACEHOLDER");
        var name = replacement[1..replacement.IndexOf('"', 1)];
        activity.Remove(name);
        activity["placeholder"] = 0;
        var json = activity.ToJsonString().Replace("\"placeholder\":0", replacement, StringComparison.Ordinal);
        var body = json.Contains(Bad, StringComparison.Ordinal) ? WithInvalidUtf8(json) : Encoding.UTF8.GetBytes(json);

        using var response = await send.TeamsAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    private static string Item(string externalId, string extra) =>
        $$"""{ "externalId": "{{externalId}}", "rating": { "scale": "csat5", "value": 5 }, "agentEmail": "ana@example.com"{{extra}} }""";

    [Theory]
    [InlineData(", \"text\": \"Great U\\ud800\"", "text")]
    [InlineData(", \"customer\": { \"name\": \"Maria @BAD@\" }", "customer.name")]
    [InlineData(", \"caseRef\": \"\\udfff\"", "caseRef")]
    [InlineData(", \"receivedAt\": \"01/02/2026\"", "receivedAt")]
    [InlineData(", \"receivedAt\": \"1899-12-31T23:59:59Z\"", "receivedAt")]
    [InlineData(", \"receivedAt\": \"2999-01-01T00:00:00Z\"", "receivedAt")]
    [InlineData(", \"receivedAt\": { \"date\": \"2026-11-23\" }", "receivedAt")]
    [InlineData(", \"receivedAt\": 1795430400", "receivedAt")]
    [InlineData(", \"team\": [\"care\"]", "team")]
    [InlineData(", \"customer\": \"Maria\"", "customer")]
    public async Task A_feedback_item_with_a_bad_field_is_rejected_naming_it_and_the_rest_of_the_batch_is_accepted(string extra, string field)
    {
        var json = $"[{Item("good", "")}, {Item("bad", extra)}]";
        var body = json.Contains(Bad, StringComparison.Ordinal) ? WithInvalidUtf8(json) : Encoding.UTF8.GetBytes(json);

        using var response = await send.FeedbackAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
        var bad = Assert.Single(items, i => i.GetProperty("externalId").GetString() == "bad");
        Assert.Equal(("rejected", field), (bad.GetProperty("result").GetString(), bad.GetProperty("field").GetString()));
        Assert.NotEqual("rejected", Assert.Single(items, i => i.GetProperty("externalId").GetString() == "good").GetProperty("result").GetString());
        var stored = await host.Database.Db.WithConnectionAsync(c => c.QueryAsync<string>(new CommandDefinition("SELECT external_id FROM feedback_items")), CancellationToken.None);
        Assert.Equal(["good"], stored);
    }

    [Fact]
    public async Task A_feedback_item_with_an_iso_8601_date_and_offset_is_stored_at_that_instant()
    {
        using var response = await send.FeedbackAsync(Encoding.UTF8.GetBytes(Item("iso", ", \"receivedAt\": \"2026-11-23T11:12:00+02:00\"")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var item = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
        Assert.NotEqual("rejected", item.GetProperty("result").GetString());
    }
}
