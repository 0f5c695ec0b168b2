using System.Text.Json.Nodes;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Slack.Rendering;
using Xunit;

namespace KudosRelay.Slack.Tests.Rendering;

public sealed class BlockKitFormTests
{
    internal static readonly ChatForm Form = new("escalation.create", "Ask for help from another department", "Next",
    [
        new TextBlock("Tell us what the customer is waiting for."),
        new InputBlock("case-ref", "Case reference") { Placeholder = "e.g. CASE-1042", MaxLength = 200 },
        new InputBlock("summary", "What the customer is waiting for", InputKind.LongText) { Initial = "A refund" },
        new InputBlock("department", "Department", InputKind.Choice) { Options = [new("billing", "Billing"), new("it", "IT")], Initial = "it" },
        new InputBlock("owner", "Someone specific (optional)", InputKind.Person, Optional: true),
        new InputBlock("due", "Needed by (optional)", InputKind.Date, Optional: true) { Initial = "2026-12-03" },
    ], """{"step":"edit"}""")
    { CloseLabel = "Cancel" };

    [Fact]
    public void A_form_is_a_modal_whose_callback_id_is_the_form_and_whose_metadata_is_its_state()
    {
        var view = BlockKitRenderer.RenderModal(Form);

        Assert.Equal(("modal", "escalation.create", """{"step":"edit"}"""),
            (view["type"]!.GetValue<string>(), view["callback_id"]!.GetValue<string>(), view["private_metadata"]!.GetValue<string>()));
        Assert.Equal("Ask for help from anoth…", view["title"]!["text"]!.GetValue<string>());   // Slack allows 24 characters
        Assert.Equal(("Next", "Cancel"), (view["submit"]!["text"]!.GetValue<string>(), view["close"]!["text"]!.GetValue<string>()));
        var inputs = view["blocks"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "input").ToList();
        Assert.Equal(["plain_text_input", "plain_text_input", "static_select", "users_select", "datepicker"], inputs.Select(i => i!["element"]!["type"]!.GetValue<string>()));
        Assert.Equal(["case-ref", "summary", "department", "owner", "due"], inputs.Select(i => i!["element"]!["action_id"]!.GetValue<string>()));
        Assert.True(inputs[1]!["element"]!["multiline"]!.GetValue<bool>());
        Assert.Equal("it", inputs[2]!["element"]!["initial_option"]!["value"]!.GetValue<string>());
        Assert.Equal("2026-12-03", inputs[4]!["element"]!["initial_date"]!.GetValue<string>());
        Assert.Equal([false, false, false, true, true], inputs.Select(i => i!["optional"]!.GetValue<bool>()));
    }

    [Fact]
    public void A_last_step_without_a_submit_label_has_no_submit_button()
    {
        var view = BlockKitRenderer.RenderModal(new ChatForm("escalation.create", "Sent", null, [new TextBlock("Thank you!")]));

        Assert.Null(view["submit"]);
    }

    [Fact]
    public void A_field_filled_anew_comes_as_a_new_block_so_that_slack_shows_the_new_value()
    {
        var typed = BlockKitRenderer.RenderModal(Form with { Blocks = [new InputBlock("note", "Note", InputKind.LongText)] });
        var rewritten = BlockKitRenderer.RenderModal(Form with { Blocks = [new InputBlock("note", "Note", InputKind.LongText) { Initial = "Could you have a look?" }] });

        var before = typed["blocks"]![0]!;
        var after = rewritten["blocks"]![0]!;
        Assert.NotEqual(before["block_id"]!.GetValue<string>(), after["block_id"]!.GetValue<string>());
        Assert.Equal("note", after["element"]!["action_id"]!.GetValue<string>());
        Assert.Equal("Could you have a look?", after["element"]!["initial_value"]!.GetValue<string>());
    }

    [Fact]
    public void Errors_answer_a_submission_under_the_block_ids_of_the_fields()
    {
        var form = Form with
        {
            Blocks = [new InputBlock("case-ref", "Case") { Error = "Could you fill this in?" }, new InputBlock("summary", "Summary") { Initial = "x", Error = "Too long" }, new InputBlock("note", "Note")],
        };

        var answer = BlockKitRenderer.Errors(form);

        Assert.Equal("errors", answer["response_action"]!.GetValue<string>());
        var errors = answer["errors"]!.AsObject();
        Assert.Equal(["case-ref", BlockKitRenderer.InputBlockId((InputBlock)form.Blocks[1])], errors.Select(e => e.Key));
        Assert.Equal("Could you fill this in?", errors["case-ref"]!.GetValue<string>());
    }

    [Fact]
    public void Inputs_in_a_message_are_input_blocks_beside_its_buttons()
    {
        var message = new ChatMessage("Mark it as done",
        [
            new InputBlock("note", "Anything Ana should know? (optional)", InputKind.LongText, Optional: true),
            new ButtonsBlock([new ChatButton("Mark as done", "escalation.done-confirm", "42:0", ButtonStyle.Primary)]),
        ]);

        var blocks = BlockKitRenderer.Render(message).Blocks;

        Assert.Equal(["input", "actions"], blocks.Select(b => b!["type"]!.GetValue<string>()));
    }

    [Fact]
    public void A_state_slack_would_cut_is_refused()
    {
        var form = Form with { State = new string('s', BlockKitRenderer.MaxPrivateMetadataChars + 1) };

        Assert.Equal("private_metadata_too_long", Assert.Throws<SlackRenderException>(() => BlockKitRenderer.RenderModal(form)).Error);
    }

    internal static JsonObject Modal() => BlockKitRenderer.RenderModal(Form);
}
