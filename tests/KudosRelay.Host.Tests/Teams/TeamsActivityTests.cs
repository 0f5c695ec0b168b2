using System.Net;
using System.Text.Json.Nodes;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace KudosRelay.Host.Tests.Teams;

/// <summary>Example activities from the specification folder go in; what reaches the fake Connector comes out.</summary>
public sealed class TeamsActivityTests : IAsyncLifetime
{
    private const string Tenant = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
    private const string UserAadId = "eddfa9d4-346e-4cce-a18f-fa6261ad776b";

    private static readonly SpecSchema CardSchema = AdaptiveCardSchema();

    private TestDatabase database = null!;
    private FakeBotFramework fake = null!;
    private TeamsHost host = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        fake = await FakeBotFramework.StartAsync();
        host = await TeamsHost.StartAsync(database, fake);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await fake.DisposeAsync();
        await database.DisposeAsync();
    }

    private JsonObject Example(string name) => fake.Example(name);

    [Fact]
    public async Task Help_addressed_to_the_bot_is_answered_through_the_connector_with_the_bot_token()
    {
        var activity = Example("botbuilder-microsoftteams/SampleActivityAtMention.json");
        activity["text"] = "<at>TestBot</at> help";

        using var response = await host.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.IsType<ChatRequest.Help>(Assert.Single(host.Handler.Requests));
        Assert.Null(request.Unrecognised);
        Assert.Equal("teams", request.From.Platform);
        Assert.Equal("3b9e9fbb-ed2f-415b-b776-cf788e573366", request.From.Workspace);
        var call = Assert.Single(await host.ConnectorCallsAsync(1));
        Assert.Equal("POST", call.Method);
        Assert.Equal("/v3/conversations/19:ThreadID@thread.skype;messageid=1400900100700/activities", call.Path);
        AssertConnectorCall(call, "Conversations_SendToConversation");
        Assert.Equal("message", call.Body!["type"]!.GetValue<string>());
        Assert.Equal("Help", call.Body!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kudos_takes_the_person_from_the_mention_that_is_not_the_bot()
    {
        var activity = Example("botbuilder-microsoftteams/SampleActivity2AtMentions.json");
        activity["text"] = "<at>TestBot2</at> kudos <at>Test Bot 1</at> for the &quot;calm&quot; release notes";

        using var response = await host.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var kudos = Assert.IsType<ChatRequest.PeerKudos>(Assert.Single(host.Handler.Requests));
        Assert.Equal("28:e2f318df-469d-4494-8efd-d6e16da873be", kudos.To.UserId);
        Assert.Equal("Test Bot 1", kudos.To.DisplayName);
        Assert.Equal("for the \"calm\" release notes", kudos.Text);
        var call = Assert.Single(await host.ConnectorCallsAsync(1));
        AssertConnectorCall(call, "Conversations_SendToConversation");
        var card = call.Body!["attachments"]![0]!["content"]!;
        Assert.Equal("kudos.undo", card["body"]![1]!["actions"]![0]!["verb"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kudos_for_a_mention_without_an_object_id_asks_the_connector_once_for_the_member()
    {
        fake.Members["29:1-mentioned-user"] = new JsonObject
        {
            ["id"] = "29:1-mentioned-user",
            ["name"] = "Ana Pop",
            ["aadObjectId"] = "5a3c9e1f-0000-4000-8000-00000000abcd",
            ["email"] = "ana.pop@example.com",
            ["userPrincipalName"] = "ana.pop@example.com",
        };
        var first = KudosToAnaWithoutObjectId("kudos-1");
        var second = KudosToAnaWithoutObjectId("kudos-2");

        using var firstResponse = await host.PostAsync(first);
        using var secondResponse = await host.PostAsync(second);

        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondResponse.StatusCode);
        Assert.All(host.Handler.Requests, request =>
            Assert.Equal("5a3c9e1f-0000-4000-8000-00000000abcd", Assert.IsType<ChatRequest.PeerKudos>(request).To.UserId));
        Assert.Equal(2, host.Handler.Requests.Count);
        var lookup = Assert.Single(fake.Calls, call => call.Method == "GET");
        AssertConnectorCall(lookup, "Conversations_GetConversationMember");
        Assert.Equal("/v3/conversations/19:ThreadID@thread.skype/members/29:1-mentioned-user", lookup.Path);
    }

    [Fact]
    public async Task Kudos_for_a_member_the_connector_does_not_know_keeps_the_teams_user_id()
    {
        using var response = await host.PostAsync(KudosToAnaWithoutObjectId("kudos-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var kudos = Assert.IsType<ChatRequest.PeerKudos>(Assert.Single(host.Handler.Requests));
        Assert.Equal("29:1-mentioned-user", kudos.To.UserId);
        Assert.Single(fake.Calls, call => call.Method == "GET");
    }

    [Fact]
    public async Task A_message_without_a_kudos_mention_makes_no_member_lookup()
    {
        var activity = KudosToAnaWithoutObjectId("help-1");
        activity["text"] = "<at>TestBot</at> help <at>Ana Pop</at>";

        using var response = await host.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.IsType<ChatRequest.Help>(Assert.Single(host.Handler.Requests));
        await host.ConnectorCallsAsync(1);
        Assert.DoesNotContain(fake.Calls, call => call.Method == "GET");
    }

    /// <summary>Teams often mentions a person by their 29: id alone, with no aadObjectId.</summary>
    private JsonObject KudosToAnaWithoutObjectId(string id)
    {
        var activity = Example("botbuilder-microsoftteams/SampleActivityAtMention.json");
        activity["id"] = id;
        activity["text"] = "<at>TestBot</at> kudos <at>Ana Pop</at> for the calm release notes";
        activity["entities"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = "<at>Ana Pop</at>",
            ["mentioned"] = new JsonObject { ["id"] = "29:1-mentioned-user", ["name"] = "Ana Pop" },
        });
        return activity;
    }

    [Theory]
    [InlineData("settings", typeof(ChatRequest.Settings))]
    [InlineData("what is the weather", typeof(ChatRequest.Help))]
    [InlineData("kudos nobody in particular", typeof(ChatRequest.Help))]
    public async Task Other_texts_become_settings_or_help(string text, Type expected)
    {
        var activity = Example("botbuilder-microsoftteams/SampleActivityNoMentions.json");
        activity["text"] = text;

        using var response = await host.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.IsType(expected, Assert.Single(host.Handler.Requests));
    }

    [Fact]
    public async Task Teams_retrying_an_activity_does_not_make_the_bot_answer_twice()
    {
        var activity = Example("botbuilder-microsoftteams/SampleActivityAtMention.json");
        activity["text"] = "<at>TestBot</at> help";

        (await host.PostAsync(activity)).Dispose();
        (await host.PostAsync(activity)).Dispose();
        await host.ConnectorCallsAsync(1);
        var outbox = host.Services.GetRequiredService<OutboxStore>();

        Assert.Equal(1, (await outbox.CountAsync(CancellationToken.None)) is var counts ? counts.Pending + counts.Sent : 0);
    }

    [Fact]
    public async Task A_user_who_installed_the_app_gets_proactive_messages_in_their_personal_chat_without_a_new_conversation()
    {
        await InstallForUserAsync();

        await EnqueueAsync("nudge-1", new ChatTarget("teams", ChatTargetKind.Person, UserAadId, Tenant));
        var call = Assert.Single(await host.ConnectorCallsAsync(1));

        AssertConnectorCall(call, "Conversations_SendToConversation");
        Assert.Equal("/v3/conversations/a:1-personal-conversation/activities", call.Path);
        Assert.Equal(1, fake.TokenRequests);
    }

    [Fact]
    public async Task A_personal_chat_that_Teams_no_longer_knows_is_opened_again_with_the_user_id()
    {
        await InstallForUserAsync();
        fake.NextStatuses.Enqueue(404);

        await EnqueueAsync("nudge-1", new ChatTarget("teams", ChatTargetKind.Person, UserAadId, Tenant));
        var calls = await host.ConnectorCallsAsync(3);

        Assert.Equal(3, calls.Count);
        Assert.Equal("/v3/conversations/a:1-personal-conversation/activities", calls[0].Path);
        AssertConnectorCall(calls[1], "Conversations_CreateConversation");
        Assert.Equal("29:<USERID>", calls[1].Body!["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("28:f5d48856-5b42-41a0-8c3a-c5f944b679b0", calls[1].Body!["bot"]!["id"]!.GetValue<string>());
        Assert.False(calls[1].Body!["isGroup"]!.GetValue<bool>());
        AssertConnectorCall(calls[2], "Conversations_SendToConversation");
        Assert.Equal("/v3/conversations/a:created-1to1-conversation/activities", calls[2].Path);
    }

    [Fact]
    public async Task Two_proactive_messages_to_a_colleague_open_the_1to1_once()
    {
        await InstallInTeamAsync();
        var colleague = new ChatTarget("teams", ChatTargetKind.Person, "0c5e1a2b-3c4d-4e5f-8a9b-aabbccddeeff", Tenant);

        await WaitUntilSentAsync(await EnqueueAsync("nudge-colleague-1", colleague));
        await EnqueueAsync("nudge-colleague-2", colleague);
        var calls = await host.ConnectorCallsAsync(3);

        Assert.Single(calls, call => ConnectorSwagger.Check(call).OperationId == "Conversations_CreateConversation");
        var sends = calls.Where(call => ConnectorSwagger.Check(call).OperationId == "Conversations_SendToConversation").ToList();
        Assert.Equal(2, sends.Count);
        Assert.All(sends, send => Assert.Equal("/v3/conversations/a:created-1to1-conversation/activities", send.Path));
    }

    [Fact]
    public async Task A_channel_the_bot_was_used_in_can_receive_messages_later()
    {
        var activity = Example("botbuilder-microsoftteams/SampleActivityAtMention.json");
        activity["text"] = "<at>TestBot</at> settings";
        (await host.PostAsync(activity)).Dispose();

        await EnqueueAsync("digest-channel", new ChatTarget("teams", ChatTargetKind.Channel, "19:ThreadID@thread.skype", "3b9e9fbb-ed2f-415b-b776-cf788e573366"));
        var calls = await host.ConnectorCallsAsync(2);

        var call = Assert.Single(calls, c => c.Path == "/v3/conversations/19:ThreadID@thread.skype/activities");
        AssertConnectorCall(call, "Conversations_SendToConversation");
    }

    [Fact]
    public async Task A_colleague_who_never_installed_the_app_is_reached_through_their_tenants_service_url()
    {
        await InstallInTeamAsync();

        await EnqueueAsync("nudge-colleague", new ChatTarget("teams", ChatTargetKind.Person, "0c5e1a2b-3c4d-4e5f-8a9b-aabbccddeeff", Tenant));
        var calls = await host.ConnectorCallsAsync(2);

        AssertConnectorCall(calls[0], "Conversations_CreateConversation");
        Assert.Equal("0c5e1a2b-3c4d-4e5f-8a9b-aabbccddeeff", calls[0].Body!["members"]![0]!["aadObjectId"]!.GetValue<string>());
        Assert.Equal(Tenant, calls[0].Body!["tenantId"]!.GetValue<string>());
        AssertConnectorCall(calls[1], "Conversations_SendToConversation");
    }

    [Fact]
    public async Task A_person_in_a_tenant_the_app_was_never_installed_in_is_dead_lettered_with_the_reason()
    {
        var id = await EnqueueAsync("nudge-stranger", new ChatTarget("teams", ChatTargetKind.Person, "0c5e1a2b-3c4d-4e5f-8a9b-aabbccddeeff", "other-tenant"));
        var outbox = host.Services.GetRequiredService<OutboxStore>();

        await WaitUntilAsync(async () => (await outbox.CountAsync(CancellationToken.None)).Dead == 1);

        var entry = Assert.Single(await outbox.ListAsync(OutboxStatus.Dead, 10, CancellationToken.None));
        Assert.Equal(id, entry.Id);
        Assert.Contains("installed", entry.LastError, StringComparison.Ordinal);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task A_sent_card_is_updated_in_place_with_put()
    {
        await InstallInTeamAsync();
        var first = await EnqueueAsync("digest-1", new ChatTarget("teams", ChatTargetKind.Channel, "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2", Tenant));
        await host.ConnectorCallsAsync(1);
        await WaitUntilSentAsync(first);

        await EnqueueAsync("digest-1-update", new ChatTarget("teams", ChatTargetKind.Channel, "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2", Tenant), replaces: first);
        var calls = await host.ConnectorCallsAsync(2);

        Assert.Equal(2, calls.Count);
        AssertConnectorCall(calls[1], "Conversations_UpdateActivity");
        Assert.Equal("PUT", calls[1].Method);
        Assert.Equal("/v3/conversations/19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2/activities/activity-1", calls[1].Path);
    }

    [Fact]
    public async Task After_uninstall_nothing_more_is_sent_to_that_team()
    {
        await InstallInTeamAsync();
        var removed = Example("msteams-docs/conversationUpdate.botAddedToTeam.json");
        removed["membersRemoved"] = removed["membersAdded"]!.DeepClone();
        removed.Remove("membersAdded");
        (await host.PostAsync(removed)).Dispose();

        var id = await EnqueueAsync("late", new ChatTarget("teams", ChatTargetKind.Channel, "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2", Tenant));
        var outbox = host.Services.GetRequiredService<OutboxStore>();
        await WaitUntilAsync(async () => (await outbox.CountAsync(CancellationToken.None)).Dead == 1);

        Assert.Empty(fake.Calls);
        var entry = Assert.Single(await outbox.ListAsync(OutboxStatus.Dead, 10, CancellationToken.None));
        Assert.Equal(id, entry.Id);
        Assert.Contains("removed", entry.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_action_execute_answers_with_the_replacement_card()
    {
        var invoke = Example("synthesized/invoke.adaptiveCard-action.json");

        using var response = await host.PostAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pressed = Assert.IsType<ChatRequest.ButtonPressed>(Assert.Single(host.Handler.Requests));
        Assert.Equal("approve", pressed.ActionId);
        Assert.Equal("""{"requestId":"42","comment":"looks good"}""", JsonNode.Parse(pressed.Payload)!.ToJsonString());
        Assert.Equal("7f8e9d0c-1b2a-4354-8758-9a0b1c2d3e4f", pressed.From.UserId);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.Equal("Approved", body["value"]!["fallbackText"]!.GetValue<string>());
        Assert.Empty(CardSchema.Validate(body["value"]));
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task An_action_execute_answered_with_a_page_shows_the_page_as_the_card()
    {
        var invoke = Example("synthesized/invoke.adaptiveCard-action.json");
        invoke["value"]!["action"]!["verb"] = "see-all";

        using var response = await host.PostAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.Equal("3 customers thanked you", body["value"]!["fallbackText"]!.GetValue<string>());
        Assert.DoesNotContain("Back to Home", body.ToJsonString(), StringComparison.Ordinal);   // Teams has no Home tab to go back to
        Assert.Empty(CardSchema.Validate(body["value"]));
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task An_unknown_verb_gets_an_error_card_not_an_exception()
    {
        var invoke = Example("synthesized/invoke.adaptiveCard-action.json");
        invoke["value"]!["action"]!["verb"] = "no.such.verb";

        using var response = await host.PostAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.Empty(CardSchema.Validate(body["value"]));
    }

    [Fact]
    public async Task An_invoke_without_a_verb_gets_an_error_card()
    {
        var invoke = Example("synthesized/invoke.adaptiveCard-action.json");
        invoke["value"]!["action"]!.AsObject().Remove("verb");

        using var response = await host.PostAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(host.Handler.Requests);
        Assert.Equal("application/vnd.microsoft.card.adaptive", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_connector_429_is_retried_later_by_the_outbox()
    {
        await InstallInTeamAsync();
        fake.NextStatuses.Enqueue(429);
        var id = await EnqueueAsync("throttled", new ChatTarget("teams", ChatTargetKind.Channel, "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2", Tenant));
        var outbox = host.Services.GetRequiredService<OutboxStore>();

        await WaitUntilAsync(async () => (await outbox.AttemptsAsync(id, CancellationToken.None)).Count >= 1);

        var attempt = (await outbox.AttemptsAsync(id, CancellationToken.None))[0];
        Assert.True(attempt.Outcome == "retry", attempt.Error);
    }

    [Fact]
    public async Task A_connector_401_fetches_a_new_bot_token_and_delivers_on_the_same_attempt()
    {
        await InstallInTeamAsync();
        fake.NextStatuses.Enqueue(401);
        var id = await EnqueueAsync("token-rotated", new ChatTarget("teams", ChatTargetKind.Channel, "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2", Tenant));

        await WaitUntilSentAsync(id);

        var outbox = host.Services.GetRequiredService<OutboxStore>();
        var attempt = Assert.Single(await outbox.AttemptsAsync(id, CancellationToken.None));
        Assert.Equal("sent", attempt.Outcome);
        Assert.Equal(2, fake.Calls.Count(c => c.Method == "POST"));
        Assert.Equal(2, fake.TokenRequests);
    }

    [Fact]
    public async Task Outgoing_activities_carry_the_channel_the_conversation_and_the_bot_as_sender()
    {
        await InstallInTeamAsync();
        var id = await EnqueueAsync("spec-fields", new ChatTarget("teams", ChatTargetKind.Channel, "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2", Tenant));
        await WaitUntilSentAsync(id);

        var activity = Assert.Single(fake.Calls).Body!;
        Assert.Equal("msteams", activity["channelId"]!.GetValue<string>());
        Assert.Equal("19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2", activity["conversation"]!["id"]!.GetValue<string>());
        Assert.StartsWith("28:", activity["from"]!["id"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_outside_the_allow_list_gets_403()
    {
        await using var strict = await TeamsHost.StartAsync(database, fake, "--Teams:AllowedTenants:0=11111111-2222-3333-4444-555555555555");
        var activity = Example("botbuilder-microsoftteams/SampleActivityAtMention.json");

        using var response = await strict.PostAsync(activity);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(strict.Handler.Requests);
    }

    /// <summary>The user adds the app in personal scope: the bot learns their 1:1 conversation.</summary>
    private async Task InstallForUserAsync()
    {
        var install = Example("msteams-docs/conversationUpdate.botAddedToPersonalChat.json");
        install["from"]!["aadObjectId"] = UserAadId;
        install["membersAdded"]![1]!["aadObjectId"] = UserAadId;
        install["conversation"]!["id"] = "a:1-personal-conversation";
        install["channelData"]!["tenant"]!["id"] = Tenant;
        // The docs example names the bot "28:<BOT ID>" as recipient but adds "28:f5d4…"; real Teams uses one id for both.
        install["recipient"]!["id"] = install["membersAdded"]![0]!["id"]!.DeepClone();
        using var response = await host.PostAsync(install);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task InstallInTeamAsync()
    {
        using var response = await host.PostAsync(Example("msteams-docs/conversationUpdate.botAddedToTeam.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<long> EnqueueAsync(string key, ChatTarget target, long? replaces = null)
    {
        var message = new OutboxMessage(key, target,
            new ChatMessage($"Message {key}", [new HeadingBlock("Thanks"), new TextBlock($"Body of {key}"), new ButtonsBlock([new ChatButton("Done", "nudge.done", "42")])]),
            replaces, null);
        return (await OutboxTestData.EnqueueAsync(database.Db, host.Services.GetRequiredService<OutboxStore>(), message))!.Value;
    }

    private async Task WaitUntilSentAsync(long id)
    {
        var outbox = host.Services.GetRequiredService<OutboxStore>();
        await WaitUntilAsync(async () => (await outbox.ListAsync(OutboxStatus.Sent, 100, CancellationToken.None)).Any(e => e.Id == id));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
            await Task.Delay(20, timeout.Token);
    }

    private static void AssertConnectorCall(FakeBotFramework.ConnectorCall call, string operationId)
    {
        Assert.Equal($"Bearer {FakeBotFramework.BotToken}", call.Authorization);
        var (operation, errors) = ConnectorSwagger.Check(call);
        Assert.Equal(operationId, operation);
        Assert.Empty(errors);
        foreach (var attachment in call.Body?["attachments"]?.AsArray() ?? [])
        {
            Assert.Equal("application/vnd.microsoft.card.adaptive", attachment!["contentType"]!.GetValue<string>());
            Assert.Empty(CardSchema.Validate(attachment["content"]));
        }
    }

    private static SpecSchema AdaptiveCardSchema() => SpecSchema.Load("adaptivecards/adaptive-card.schema.1.5.json");
}
