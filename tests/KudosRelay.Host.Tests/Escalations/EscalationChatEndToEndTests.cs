using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;
using KudosRelay.Host.Tests.Kudos;
using KudosRelay.Host.Tests.Slack;
using KudosRelay.Host.Tests.Teams;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Rendering = KudosRelay.Teams.Rendering.AdaptiveCardRenderer;

namespace KudosRelay.Host.Tests.Escalations;

/// <summary>
/// Escalations in chat, through the real host against the fake Slack Web API and Bot Framework: the answers on a nudge
/// (each updates the pressed message and every other copy in place, is recorded in the history, and a second press is
/// told it was already handled), and the escalation form (Slack modal, Teams card) from the command to the escalation.
/// </summary>
public sealed class EscalationChatEndToEndTests : IAsyncLifetime
{
    private const string Tenant = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
    private const string TomAad = "7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f";
    private const string TomPersonalChat = "a:tom-personal-chat";

    private const string Organisation = $$"""
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA, timeZone: Europe/Sofia }
          - { email: ben@example.com, name: Ben Carter, slack: UBEN, timeZone: Europe/Bucharest }
          - { email: tom@example.com, name: Tom Baker, teams: {{TomAad}} }
        teams:
          - { key: care, name: Customer Care, members: [ana@example.com, tom@example.com], channels: { slack: C0CARE } }
        departments:
          - { key: billing, name: Billing, members: [ben@example.com], channels: { slack: C0BILL } }
          - { key: refunds, name: Refunds, members: [tom@example.com] }
        """;

    private static readonly SpecSchema Card16 = SpecSchema.Load("adaptivecards/adaptive-card.schema.1.6.json");

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

    [Fact]
    public async Task Im_on_it_updates_the_pressed_nudge_and_its_other_copies_records_the_answer_and_a_second_press_is_already_handled()
    {
        var id = await RaiseAsync("CASE-1", "billing");
        await NudgeOnSlackAsync(id, ("UBEN", ChatTargetKind.Person), ("C0BILL", ChatTargetKind.Channel));
        await host.DrainedAsync(sent: 2);

        await PressOnSlackAsync("UBEN", NudgeButtons.OnIt, $"{id}");
        var replaced = Assert.Single(await slack.WaitForAsync("response_url"));
        await host.DrainedAsync(sent: 4);

        Assert.True(replaced.Json["replace_original"]!.GetValue<bool>());
        Assert.Contains("Ben Carter is on it", Plain(replaced.Json), StringComparison.Ordinal);
        Assert.DoesNotContain(NudgeButtons.OnIt, replaced.Body, StringComparison.Ordinal);
        Assert.Contains(NudgeButtons.Done, replaced.Body, StringComparison.Ordinal);
        // Both copies (Ben's direct message and the Billing channel) are updated in place, in their readers' words.
        var updates = slack.CallsTo("chat.update");
        Assert.Equal(["C0BILL", "D0DIRECT"], updates.Select(u => u.Json["channel"]!.GetValue<string>()).Order());
        Assert.All(updates, u => Assert.Contains("Ben Carter is on it", Plain(u.Json), StringComparison.Ordinal));
        Assert.All(updates, u => Assert.DoesNotContain(NudgeButtons.OnIt, u.Body, StringComparison.Ordinal));
        var acknowledged = Assert.Single(await EventsAsync(id), e => e.Kind == "acknowledged");
        Assert.Equal("ben@example.com", acknowledged.Actor);
        Assert.Equal("acknowledged", await StatusAsync(id));

        // The same button again (a stale copy, a double click): a kind word, nothing changes.
        await PressOnSlackAsync("UBEN", NudgeButtons.OnIt, $"{id}");
        var again = (await slack.WaitForAsync("response_url", 2))[1];
        Assert.False(again.Json["replace_original"]!.GetValue<bool>());
        Assert.Contains("Ben Carter already took care of this", Plain(again.Json), StringComparison.Ordinal);
        Assert.Single(await EventsAsync(id), e => e.Kind == "acknowledged");
    }

    [Fact]
    public async Task Snooze_waits_an_hour_and_the_card_it_leaves_answers_again()
    {
        var id = await RaiseAsync("CASE-2", "billing");
        await NudgeOnSlackAsync(id, ("UBEN", ChatTargetKind.Person));
        await host.DrainedAsync(sent: 1);

        await PressOnSlackAsync("UBEN", NudgeButtons.SnoozeHour, $"{id}");
        var snoozed = Assert.Single(await slack.WaitForAsync("response_url"));
        Assert.Contains("Ben Carter asked for a little time", Plain(snoozed.Json), StringComparison.Ordinal);
        Assert.Equal("snoozed", await StatusAsync(id));
        var nextNudge = await ScalarAsync<DateTime>("SELECT next_nudge_at FROM escalations WHERE id = @Id", id);
        var snoozedUntil = await ScalarAsync<DateTime>("SELECT snoozed_until FROM escalations WHERE id = @Id", id);
        Assert.Equal(snoozedUntil, nextNudge);

        // The card's own "I'm on it" carries the answer it shows, so it is current.
        var onIt = Buttons(snoozed.Json).Single(b => b["action_id"]!.GetValue<string>() == NudgeButtons.OnIt);
        await PressOnSlackAsync("UBEN", NudgeButtons.OnIt, onIt["value"]!.GetValue<string>());
        var acknowledged = (await slack.WaitForAsync("response_url", 2))[1];
        Assert.True(acknowledged.Json["replace_original"]!.GetValue<bool>());
        Assert.Equal(["snoozed", "acknowledged"], (await EventsAsync(id)).Where(e => e.Kind != "created").Select(e => e.Kind));
    }

    [Fact]
    public async Task Not_ours_asks_where_and_why_then_moves_the_escalation_and_tells_the_requester()
    {
        var id = await RaiseAsync("CASE-3", "billing");
        await NudgeOnSlackAsync(id, ("UBEN", ChatTargetKind.Person));
        await host.DrainedAsync(sent: 1);

        await PressOnSlackAsync("UBEN", NudgeButtons.NotOurs, $"{id}");
        var step = Assert.Single(await slack.WaitForAsync("response_url"));
        var blocks = step.Json["blocks"]!.AsArray();
        Assert.Equal(2, blocks.Count(b => b!["type"]!.GetValue<string>() == "input"));
        var reroute = Buttons(step.Json).Single(b => b["action_id"]!.GetValue<string>() == AnswerButtons.Reroute);

        // Pass it on without saying why: the step comes back asking for it.
        await PressOnSlackAsync("UBEN", AnswerButtons.Reroute, reroute["value"]!.GetValue<string>(), new() { ["department"] = "refunds" });
        var missing = (await slack.WaitForAsync("response_url", 2))[1];
        Assert.Contains("A line on why would help", Plain(missing.Json), StringComparison.Ordinal);

        await PressOnSlackAsync("UBEN", AnswerButtons.Reroute, reroute["value"]!.GetValue<string>(), new() { ["department"] = "refunds", ["reason"] = "Refunds over 100 EUR are theirs" });
        var moved = (await slack.WaitForAsync("response_url", 3))[2];
        Assert.Contains("Ben Carter passed this on to Refunds", Plain(moved.Json), StringComparison.Ordinal);
        Assert.Empty(Buttons(moved.Json));
        await host.DrainedAsync(sent: 3);   // the nudge, its update, and the word to Ana

        var toAna = Assert.Single(slack.CallsTo("chat.postMessage"), c => Plain(c.Json).Contains("so we'll ask them next", StringComparison.Ordinal));
        Assert.Contains("Refunds over 100 EUR are theirs", Plain(toAna.Json), StringComparison.Ordinal);
        var (department, round) = await host.Database.Db.WithConnectionAsync(c => c.QuerySingleAsync<(string, int)>(
            "SELECT d.department_key, e.nudge_round FROM escalations e JOIN departments d ON d.id = e.department_id WHERE e.id = @Id", new { Id = id }), default);
        Assert.Equal(("refunds", 1), (department, round));
        var rerouted = Assert.Single(await EventsAsync(id), e => e.Kind == "rerouted");
        Assert.Equal("ben@example.com", rerouted.Actor);
    }

    [Fact]
    public async Task Done_with_a_note_resolves_through_the_close_use_case_and_a_later_press_is_already_handled()
    {
        var id = await RaiseAsync("CASE-4", "billing");
        await NudgeOnSlackAsync(id, ("UBEN", ChatTargetKind.Person));
        await host.DrainedAsync(sent: 1);

        await PressOnSlackAsync("UBEN", NudgeButtons.Done, $"{id}");
        var step = Assert.Single(await slack.WaitForAsync("response_url"));
        var confirm = Buttons(step.Json).Single(b => b["action_id"]!.GetValue<string>() == AnswerButtons.DoneConfirm);
        await PressOnSlackAsync("UBEN", AnswerButtons.DoneConfirm, confirm["value"]!.GetValue<string>(), new() { ["note"] = "Refunded today" });
        var done = (await slack.WaitForAsync("response_url", 2))[1];

        Assert.Contains("Ben Carter resolved this", Plain(done.Json), StringComparison.Ordinal);
        Assert.Contains("Refunded today", Plain(done.Json), StringComparison.Ordinal);
        Assert.Equal("resolved", await StatusAsync(id));
        Assert.Equal("ben@example.com", Assert.Single(await EventsAsync(id), e => e.Kind == "resolved").Actor);

        await PressOnSlackAsync("UBEN", NudgeButtons.OnIt, $"{id}");
        var late = (await slack.WaitForAsync("response_url", 3))[2];
        Assert.Contains("Ben Carter already took care of this", Plain(late.Json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_teams_an_answer_replaces_the_card_in_place_and_a_second_press_is_already_handled()
    {
        var id = await RaiseAsync("CASE-5", "refunds");
        await NudgeAsync(id, new ChatTarget("teams", ChatTargetKind.Person, TomAad, Tenant));
        await host.DrainedAsync(sent: 1);

        using var first = await teams.PostActivityAsync(server.Client, CardAction(NudgeButtons.OnIt, $"{id}", new JsonObject()));
        var card = (await first.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal(Rendering.ContentType, card["type"]!.GetValue<string>());
        Assert.Contains("Tom Baker is on it", Plain(card["value"]!), StringComparison.Ordinal);
        Assert.Empty(Card16.Validate(card["value"]));

        using var second = await teams.PostActivityAsync(server.Client, CardAction(NudgeButtons.OnIt, $"{id}", new JsonObject()));
        var answer = (await second.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal("application/vnd.microsoft.activity.message", answer["type"]!.GetValue<string>());
        Assert.Contains("Already handled", answer["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(await EventsAsync(id), e => e.Kind == "acknowledged");
    }

    [Fact]
    public async Task Slash_escalate_opens_a_modal_whose_steps_check_the_fields_preview_and_create_the_escalation_once()
    {
        using var command = await SlackTestHost.PostSignedAsync(server.Client, "/slack/commands",
            "command=%2Fescalate&text=&user_id=UANA&user_name=ana&team_id=T111&trigger_id=111.222.abc&response_url=" + Uri.EscapeDataString(slack.HooksUrl + "commands/1"),
            "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.OK, command.StatusCode);
        var opened = Assert.Single(slack.CallsTo("views.open"));
        SlackOpenApi.AssertParametersMatch("views.open", opened);
        Assert.Equal("111.222.abc", opened.Json["trigger_id"]!.GetValue<string>());
        var view = opened.Json["view"]!;
        Assert.Equal("escalation.create", view["callback_id"]!.GetValue<string>());
        var departments = view["blocks"]!.AsArray().Single(b => b!["element"]?["action_id"]?.GetValue<string>() == "department")!["element"]!["options"]!.AsArray();
        Assert.Equal(["billing", "refunds"], departments.Select(o => o!["value"]!.GetValue<string>()));

        // Nothing filled in: errors per field, as Slack wants them.
        var errors = await SubmitViewAsync("V0FORM", view["private_metadata"]!.GetValue<string>(), new());
        Assert.Equal("errors", errors["response_action"]!.GetValue<string>());
        Assert.Equal(["case-ref", "department", "summary"], errors["errors"]!.AsObject().Select(e => e.Key).Order());

        var filled = new Dictionary<string, string> { ["case-ref"] = "CASE-9", ["summary"] = "A refund for a double charge", ["department"] = "billing", ["owner"] = "UBEN" };
        var preview = await SubmitViewAsync("V0FORM", view["private_metadata"]!.GetValue<string>(), filled);
        Assert.Equal("update", preview["response_action"]!.GetValue<string>());
        Assert.Contains("This is what Billing will read", Plain(preview), StringComparison.Ordinal);
        Assert.Contains("Ben Carter, by direct message", Plain(preview), StringComparison.Ordinal);

        var state = preview["view"]!["private_metadata"]!.GetValue<string>();
        var sent = await SubmitViewAsync("V0FORM", state, new());
        Assert.Contains("Sent to Billing", Plain(sent), StringComparison.Ordinal);
        Assert.Null(sent["view"]!["submit"]);
        var again = await SubmitViewAsync("V0FORM", state, new());
        Assert.Contains("already sent", Plain(again), StringComparison.Ordinal);

        var created = await host.Database.Db.WithConnectionAsync(c => c.QueryAsync<(string, string, string)>(
            "SELECT source, external_id, case_ref FROM escalations", null), default);
        Assert.Equal([("slack", "V0FORM", "CASE-9")], created);
    }

    [Fact]
    public async Task A_note_the_tone_guard_flags_comes_back_with_the_phrase_and_a_softer_version_in_its_place()
    {
        var filled = new Dictionary<string, string> { ["case-ref"] = "CASE-10", ["summary"] = "A refund", ["department"] = "billing", ["note"] = "Could you do it ASAP!!" };

        var step = await SubmitViewAsync("V0TONE", """{"step":"edit","values":{}}""", filled);

        Assert.Equal("update", step["response_action"]!.GetValue<string>());
        Assert.Contains("might read as pressure", Plain(step), StringComparison.Ordinal);
        var note = step["view"]!["blocks"]!.AsArray().Single(b => b!["element"]?["action_id"]?.GetValue<string>() == "note")!["element"]!;
        var rewrite = note["initial_value"]!.GetValue<string>();
        Assert.NotEqual("Could you do it ASAP!!", rewrite);
        Assert.Empty(await host.Database.Db.WithConnectionAsync(c => c.QueryAsync<long>("SELECT id FROM escalations", null), default));

        // The agent keeps the rewrite: on to the preview.
        var withRewrite = new Dictionary<string, string>(filled) { ["note"] = rewrite };
        var next = await SubmitViewAsync("V0TONE", step["view"]!["private_metadata"]!.GetValue<string>(), withRewrite);
        Assert.Contains("This is what Billing will read", Plain(next), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_teams_escalate_answers_with_a_form_card_whose_round_trip_creates_the_escalation()
    {
        var message = teams.Example("botbuilder-microsoftteams/SampleActivityNoMentions.json");
        message["text"] = "escalate";
        message["from"]!["aadObjectId"] = TomAad;
        message["conversation"]!["id"] = TomPersonalChat;
        message["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Tenant } };
        using (var asked = await teams.PostActivityAsync(server.Client, message))
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        await host.DrainedAsync(sent: 1);
        var formCard = Card(teams.Calls.Last());
        Assert.Empty(Card16.Validate(formCard));
        var submit = formCard["body"]!.AsArray().Last(e => e!["type"]!.GetValue<string>() == "ActionSet")!["actions"]![0]!;
        Assert.Equal("escalation.create", submit["verb"]!.GetValue<string>());

        var inputs = new JsonObject { ["case-ref"] = "CASE-11", ["summary"] = "Card blocked abroad", ["department"] = "billing" };
        using var toPreview = await teams.PostActivityAsync(server.Client, CardAction("escalation.create", submit["data"]![Rendering.PayloadKey]!.GetValue<string>(), inputs, replyToId: "activity-1"));
        var preview = (await toPreview.Content.ReadFromJsonAsync<JsonNode>())!["value"]!;
        Assert.Contains("This is what Billing will read", Plain(preview), StringComparison.Ordinal);
        var send = preview["body"]!.AsArray().Last(e => e!["type"]!.GetValue<string>() == "ActionSet")!["actions"]![0]!;

        using var toSent = await teams.PostActivityAsync(server.Client, CardAction("escalation.create", send["data"]![Rendering.PayloadKey]!.GetValue<string>(), new JsonObject(), replyToId: "activity-1"));
        Assert.Contains("Sent to Billing", Plain((await toSent.Content.ReadFromJsonAsync<JsonNode>())!["value"]!), StringComparison.Ordinal);
        var created = await host.Database.Db.WithConnectionAsync(c => c.QueryAsync<(string, string, string)>("SELECT source, external_id, case_ref FROM escalations", null), default);
        Assert.Equal([("teams", "activity-1", "CASE-11")], created);
    }

    // ---- helpers ----

    private async Task<long> RaiseAsync(string caseRef, string department)
    {
        var outcome = await server.Services.GetRequiredService<RaiseEscalationHandler>().RaiseAsync(
            new RaiseEscalation("helpdesk", caseRef, caseRef, null, "The customer is waiting for a refund", "ana@example.com", department, null, null, null), default);
        return Assert.IsType<RaiseOutcome.Created>(outcome).Id;
    }

    private Task NudgeOnSlackAsync(long id, params (string Address, ChatTargetKind Kind)[] targets) =>
        NudgeAsync(id, [.. targets.Select(t => new ChatTarget("slack", t.Kind, t.Address, "T111"))]);

    /// <summary>A nudge as the sweeper sends it: its buttons carry the escalation id; the nudge row names the outbox message.</summary>
    private async Task NudgeAsync(long id, params ChatTarget[] targets)
    {
        var outbox = server.Services.GetRequiredService<OutboxStore>();
        var store = server.Services.GetRequiredService<EscalationStore>();
        var stage = 0;
        await host.Database.Db.InTransactionAsync(async (_, transaction) =>
        {
            foreach (var target in targets)
            {
                var message = new ChatMessage("Could you help with CASE?", [
                    new TextBlock("Hi, could you have a look?"),
                    new ButtonsBlock([
                        new ChatButton("I'm on it", NudgeButtons.OnIt, $"{id}"), new ChatButton("Snooze", NudgeButtons.SnoozeHour, $"{id}"),
                        new ChatButton("Done", NudgeButtons.Done, $"{id}"), new ChatButton("Not ours", NudgeButtons.NotOurs, $"{id}"),
                    ]),
                ]);
                var outboxId = await outbox.EnqueueAsync(transaction, new OutboxMessage($"test:nudge:{id}:{stage}", target, message), default);
                var person = target.Kind == ChatTargetKind.Person ? await PeopleLookup.FindByChatUserAsync(transaction, target.Platform, target.Address, default) : null;
                Assert.True(await store.TryRecordNudgeAsync(transaction, new NewNudge(id, 0, $"stage-{stage++}",
                    person is null ? NudgeRecipientKind.Channel : NudgeRecipientKind.Person, person?.Id, target.Platform, target.Address, outboxId, TimeProvider.System.GetUtcNow().UtcDateTime), default));
            }
            return 0;
        }, default);
    }

    private sealed record HistoryEvent(string Kind, string? Actor);

    private Task<List<HistoryEvent>> EventsAsync(long id) =>
        host.Database.Db.WithConnectionAsync(async c => (await c.QueryAsync<HistoryEvent>(
            "SELECT v.kind AS Kind, p.email AS Actor FROM escalation_events v LEFT JOIN people p ON p.id = v.actor_person_id WHERE v.escalation_id = @Id ORDER BY v.id",
            new { Id = id })).ToList(), default);

    private Task<string> StatusAsync(long id) => ScalarAsync<string>("SELECT status FROM escalations WHERE id = @Id", id);

    private Task<T> ScalarAsync<T>(string sql, long id) =>
        host.Database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<T>(sql, new { Id = id }), default)!;

    private async Task PressOnSlackAsync(string userId, string actionId, string value, Dictionary<string, string>? inputs = null)
    {
        var state = new JsonObject();
        foreach (var (key, text) in inputs ?? [])
            state[key] = new JsonObject { [key] = key == "department"
                ? new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = text } }
                : new JsonObject { ["type"] = "plain_text_input", ["value"] = text } };
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = userId, ["username"] = "ben", ["team_id"] = slack.AuthTestTeam },
            ["team"] = new JsonObject { ["id"] = slack.AuthTestTeam },
            ["response_url"] = slack.HooksUrl + "actions/1",
            ["state"] = new JsonObject { ["values"] = state },
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = actionId, ["block_id"] = "b1", ["value"] = value }),
        };
        using var response = await SlackTestHost.PostSignedAsync(server.Client, "/slack/interactions", "payload=" + Uri.EscapeDataString(payload.ToJsonString()), "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A <c>view_submission</c> of the escalation modal by Ana, with its fields as Slack reports them.</summary>
    private async Task<JsonObject> SubmitViewAsync(string viewId, string metadata, Dictionary<string, string> values)
    {
        var state = new JsonObject();
        foreach (var (key, text) in values)
            state[key] = new JsonObject { [key] = key switch
            {
                "department" => new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = text } },
                "owner" => new JsonObject { ["type"] = "users_select", ["selected_user"] = text },
                "due" => new JsonObject { ["type"] = "datepicker", ["selected_date"] = text },
                _ => new JsonObject { ["type"] = "plain_text_input", ["value"] = text },
            } };
        var payload = SpecFiles.Example("examples", "slack", "bolt-python", "view_submission.payload.json");
        payload["user"] = new JsonObject { ["id"] = "UANA", ["username"] = "ana", ["team_id"] = "T111" };
        payload["view"]!["id"] = viewId;
        payload["view"]!["callback_id"] = "escalation.create";
        payload["view"]!["private_metadata"] = metadata;
        payload["view"]!["state"] = new JsonObject { ["values"] = state };
        using var response = await SlackTestHost.PostSignedAsync(server.Client, "/slack/interactions", "payload=" + Uri.EscapeDataString(payload.ToJsonString()), "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static List<JsonNode> Buttons(JsonNode message) =>
        [.. message["blocks"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "actions").SelectMany(b => b!["elements"]!.AsArray()).Select(e => e!)];

    /// <summary>Tom installs the app for himself: Teams then knows his personal chat.</summary>
    private async Task InstallTeamsAppAsync()
    {
        var personal = teams.Example("msteams-docs/conversationUpdate.botAddedToPersonalChat.json");
        personal["from"]!["aadObjectId"] = TomAad;
        personal["membersAdded"]![1]!["aadObjectId"] = TomAad;
        personal["conversation"]!["id"] = TomPersonalChat;
        personal["channelData"]!["tenant"]!["id"] = Tenant;
        personal["recipient"]!["id"] = personal["membersAdded"]![0]!["id"]!.DeepClone();
        using var response = await teams.PostActivityAsync(server.Client, personal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private int presses;

    /// <summary>An <c>Action.Execute</c> from Tom's 1:1 chat, carrying what the card's inputs held.</summary>
    private JsonObject CardAction(string verb, string payload, JsonObject inputs, string? replyToId = null)
    {
        var invoke = teams.Example("synthesized/invoke.adaptiveCard-action.json");
        invoke["from"]!["aadObjectId"] = TomAad;
        invoke["conversation"]!["id"] = TomPersonalChat;
        invoke["conversation"]!["tenantId"] = Tenant;
        invoke["channelData"]!["tenant"]!["id"] = Tenant;
        // Every press is its own activity; Teams resends only a retry with the same id.
        invoke["id"] = $"press-{Interlocked.Increment(ref presses)}";
        if (replyToId is not null)
            invoke["replyToId"] = replyToId;
        var data = inputs.DeepClone().AsObject();
        data[Rendering.PayloadKey] = payload;
        invoke["value"]!["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data };
        return invoke;
    }

    private static string Plain(JsonNode node) => node.ToJsonString(Rendering.Wire);

    private static JsonNode Card(FakeBotFramework.ConnectorCall call) => call.Body!["attachments"]![0]!["content"]!;
}
