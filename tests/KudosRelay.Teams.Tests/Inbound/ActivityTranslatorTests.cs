using System.Text.Json;
using KudosRelay.Core.Conversations;
using KudosRelay.Teams.Inbound;
using Xunit;

namespace KudosRelay.Teams.Tests.Inbound;

public sealed class ActivityTranslatorTests
{
    private static Activity Message(string text, params Entity[] mentions) => new()
    {
        Type = "message",
        Text = text,
        From = new ChannelAccount { Id = "29:asker", Name = "Asker", AadObjectId = "aad-asker" },
        Recipient = new ChannelAccount { Id = "28:bot", Name = "KudosRelay" },
        Conversation = new ConversationAccount { Id = "19:c@thread.tacv2", TenantId = "tenant-1" },
        Entities = mentions,
    };

    private static Entity Mention(string id, string name, string? aad = null) => new()
    {
        Type = "mention",
        Text = $"<at>{name}</at>",
        Mentioned = new ChannelAccount { Id = id, Name = name, AadObjectId = aad },
    };

    [Fact]
    public void Kudos_names_the_mentioned_person_by_object_id_and_keeps_the_rest_as_text()
    {
        var activity = Message("<at>KudosRelay</at> kudos <at>Dana</at> for the release notes", Mention("28:bot", "KudosRelay"), Mention("29:dana", "Dana", "aad-dana"));

        var request = Assert.IsType<ChatRequest.PeerKudos>(ActivityTranslator.ToRequest(activity, _ => null));

        Assert.Equal(new ChatUser("teams", "tenant-1", "aad-asker", "Asker"), request.From);
        Assert.Equal(new ChatUser("teams", "tenant-1", "aad-dana", "Dana"), request.To);
        Assert.Equal("for the release notes", request.Text);
    }

    [Fact]
    public void A_mention_without_object_id_is_looked_up()
    {
        var activity = Message("kudos <at>Dana</at> thanks", Mention("29:dana", "Dana"));

        var request = Assert.IsType<ChatRequest.PeerKudos>(ActivityTranslator.ToRequest(activity, id => id == "29:dana" ? "aad-dana" : null));

        Assert.Equal("aad-dana", request.To.UserId);
    }

    [Theory]
    [InlineData("<at>KudosRelay</at> help")]
    [InlineData("HELP")]
    [InlineData("<at>KudosRelay</at>&nbsp;")]
    public void Help_in_any_form_is_help(string text) =>
        Assert.Equal(new ChatRequest.Help(new ChatUser("teams", "tenant-1", "aad-asker", "Asker")),
            ActivityTranslator.ToRequest(Message(text, Mention("28:bot", "KudosRelay")), _ => null));

    [Fact]
    public void Anything_else_is_help_carrying_what_was_not_understood()
    {
        var request = Assert.IsType<ChatRequest.Help>(ActivityTranslator.ToRequest(Message("<at>KudosRelay</at> dance <b>now</b>", Mention("28:bot", "KudosRelay")), _ => null));

        Assert.Equal("dance now", request.Unrecognised);
    }

    [Fact]
    public void The_payload_our_renderer_put_in_the_data_comes_back_as_it_was()
    {
        var activity = Message("") with
        {
            Type = "invoke",
            Name = "adaptiveCard/action",
            Value = JsonDocument.Parse("""{"action":{"type":"Action.Execute","verb":"nudge.snooze","data":{"payload":"{\"id\":12}"}},"trigger":"manual"}""").RootElement,
        };

        var pressed = ActivityTranslator.ToButtonPressed(activity)!;

        Assert.Equal("nudge.snooze", pressed.ActionId);
        Assert.Equal("""{"id":12}""", pressed.Payload);
    }

    [Fact]
    public void The_person_chosen_in_a_people_picker_comes_back_as_the_picked_user_in_the_tenant()
    {
        var activity = Message("") with
        {
            Type = "invoke",
            Name = "adaptiveCard/action",
            Value = JsonDocument.Parse("""{"action":{"type":"Action.Execute","verb":"kudos.pass","data":{"payload":"42","pickedPerson":"0c5e1a2b-3c4d-4e5f-8a9b-aabbccddeeff"}},"trigger":"manual"}""").RootElement,
        };

        var pressed = ActivityTranslator.ToButtonPressed(activity)!;

        Assert.Equal(("kudos.pass", "42"), (pressed.ActionId, pressed.Payload));
        Assert.Equal(new ChatUser("teams", activity.TenantId, "0c5e1a2b-3c4d-4e5f-8a9b-aabbccddeeff"), pressed.Picked);
    }

    [Fact]
    public void Escalate_asks_for_the_escalation_form() =>
        Assert.Equal(new ChatRequest.FormRequested(new ChatUser("teams", "tenant-1", "aad-asker", "Asker"), ChatForms.Escalate),
            ActivityTranslator.ToRequest(Message("<at>KudosRelay</at> escalate", Mention("28:bot", "KudosRelay")), _ => null));

    [Fact]
    public void A_card_action_carries_the_cards_inputs_and_the_id_of_the_card_it_came_from()
    {
        var invoke = Message("") with
        {
            Type = "invoke",
            Name = "adaptiveCard/action",
            ReplyToId = "1700000000001",
            Value = JsonDocument.Parse("""
                { "action": { "type": "Action.Execute", "verb": "escalation.reroute",
                  "data": { "payload": "42:0", "department": "it", "reason": "Their system", "empty": "" } } }
                """).RootElement,
        };

        var pressed = ActivityTranslator.ToButtonPressed(invoke)!;

        Assert.Equal(("escalation.reroute", "42:0", "1700000000001"), (pressed.ActionId, pressed.Payload, pressed.MessageId));
        Assert.Equal(new Dictionary<string, string> { ["department"] = "it", ["reason"] = "Their system" }, pressed.Inputs);
    }
}
