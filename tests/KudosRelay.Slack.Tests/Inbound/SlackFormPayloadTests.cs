using System.Text.Json;
using System.Text.Json.Nodes;
using KudosRelay.Core.Conversations;
using KudosRelay.Slack.Inbound;
using KudosRelay.Slack.WebApi;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Slack.Tests.Inbound;

public sealed class SlackFormPayloadTests
{
    private static SlackInteraction Parse(JsonNode json) => JsonSerializer.Deserialize<SlackInteraction>(json.ToJsonString(), SlackWebApiClient.Json)!;

    [Fact]
    public void A_view_submission_gives_the_form_its_view_id_metadata_and_values_by_action_id()
    {
        var example = SpecFiles.Load("examples", "slack", "bolt-python", "view_submission.payload.json");
        example["view"]!["state"]!["values"] = JsonNode.Parse("""
            { "case-ref~1a2b": { "case-ref": { "type": "plain_text_input", "value": "CASE-7" } },
              "department": { "department": { "type": "static_select", "selected_option": { "text": { "type": "plain_text", "text": "Billing" }, "value": "billing" } } },
              "owner": { "owner": { "type": "users_select", "selected_user": "UBEN" } },
              "due": { "due": { "type": "datepicker", "selected_date": "2026-12-03" } },
              "note": { "note": { "type": "plain_text_input", "value": null } } }
            """);

        var interaction = Parse(example);

        Assert.Equal(("view_submission", "V111", "view-id", "This is for you!"),
            (interaction.Type, interaction.View!.Id, interaction.View.CallbackId, interaction.View.PrivateMetadata));
        Assert.Equal(new Dictionary<string, string> { ["case-ref"] = "CASE-7", ["department"] = "billing", ["owner"] = "UBEN", ["due"] = "2026-12-03" },
            interaction.View.State!.ByActionId());
    }

    [Fact]
    public void A_button_under_input_blocks_carries_what_they_held()
    {
        var example = SpecFiles.Load("examples", "slack", "bolt-python", "block_actions.payload.json");
        example["state"] = JsonNode.Parse("""{ "values": { "note": { "note": { "type": "plain_text_input", "value": "Refunded today" } } } }""");
        var interaction = Parse(example);
        var from = new ChatUser("slack", "T111", "W111");

        var pressed = interaction.Actions![0]!.ToButtonPressed(from, interaction.State!.ByActionId());

        Assert.Equal("Refunded today", pressed.Input("note"));
        Assert.Equal("click_me_123", pressed.Payload);
    }

    [Fact]
    public void Escalate_opens_the_escalation_form()
    {
        var from = new ChatUser("slack", "T1", "UANA");

        Assert.Equal(new ChatRequest.FormRequested(from, ChatForms.Escalate), SlackCommandTable.Parse("/escalate", from, ""));
    }
}
