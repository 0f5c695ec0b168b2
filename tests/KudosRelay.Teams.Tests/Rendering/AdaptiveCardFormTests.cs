using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Teams.Rendering;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Teams.Tests.Rendering;

public sealed class AdaptiveCardFormTests
{
    private static readonly TeamsCardSchema Card15 = new("adaptivecards", "adaptive-card.schema.1.5.json");

    // The people picker's Data.Query is an Adaptive Cards 1.6 element (Teams honours it in 1.5 cards).
    private static readonly SpecSchema Card16 = SpecSchema.Load("adaptivecards/adaptive-card.schema.1.6.json");

    private static readonly ChatForm Form = new("escalation.create", "Ask for help", "Next",
    [
        new TextBlock("Tell us what the customer is waiting for."),
        new InputBlock("case-ref", "Case reference") { Placeholder = "e.g. CASE-1042", MaxLength = 200, Error = "Could you fill this in?" },
        new InputBlock("summary", "What the customer is waiting for", InputKind.LongText) { Initial = "A refund" },
        new InputBlock("department", "Department", InputKind.Choice) { Options = [new("billing", "Billing"), new("it", "IT")], Initial = "it" },
        new InputBlock("owner", "Someone specific (optional)", InputKind.Person, Optional: true),
        new InputBlock("due", "Needed by (optional)", InputKind.Date, Optional: true) { Initial = "2026-12-03" },
    ], """{"step":"edit"}""");

    [Fact]
    public void A_form_is_a_card_of_inputs_whose_submit_sends_them_with_the_state()
    {
        var card = AdaptiveCardRenderer.Render(Form.AsMessage());

        Assert.Empty(Card16.Validate(card));
        var body = card["body"]!.AsArray();
        var inputs = body.Where(e => e!["type"]!.GetValue<string>().StartsWith("Input.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Input.Text", "Input.Text", "Input.ChoiceSet", "Input.ChoiceSet", "Input.Date"], inputs.Select(i => i!["type"]!.GetValue<string>()));
        Assert.Equal(["case-ref", "summary", "department", "owner", "due"], inputs.Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal([true, true, true, false, false], inputs.Select(i => i!["isRequired"]!.GetValue<bool>()));
        Assert.Equal("graph.microsoft.com/users", inputs[3]!["choices.data"]!["dataset"]!.GetValue<string>());
        // The error shows beside its field, in the attention colour.
        var error = body[body.IndexOf(inputs[0]) + 1]!;
        Assert.Equal(("Could you fill this in?", "attention"), (error["text"]!.GetValue<string>(), error["color"]!.GetValue<string>()));
        var submit = body.Last(e => e!["type"]!.GetValue<string>() == "ActionSet")!["actions"]![0]!;
        Assert.Equal(("Action.Execute", "escalation.create", "auto"),
            (submit["type"]!.GetValue<string>(), submit["verb"]!.GetValue<string>(), submit["associatedInputs"]!.GetValue<string>()));
        Assert.Equal("""{"step":"edit"}""", submit["data"]![AdaptiveCardRenderer.PayloadKey]!.GetValue<string>());
    }

    [Fact]
    public void A_step_of_an_answer_without_a_people_picker_is_a_valid_1_5_card_whose_buttons_send_its_inputs()
    {
        var message = new ChatMessage("Who could help instead?",
        [
            new HeadingBlock("Case CASE-7"),
            new InputBlock("department", "Department to ask instead", InputKind.Choice, Optional: true) { Options = [new("it", "IT")], Error = "Which department should we ask instead?" },
            new InputBlock("reason", "Why it belongs there", InputKind.LongText, Optional: true),
            new ButtonsBlock([new ChatButton("Pass it on", "escalation.reroute", "42:0", ButtonStyle.Primary), new ChatButton("Back", "escalation.back", "42:0")]),
        ]);

        var card = AdaptiveCardRenderer.Render(message);

        Assert.Empty(Card15.Validate(card));
        var actions = card["body"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "ActionSet")!["actions"]!.AsArray();
        Assert.All(actions, action => Assert.Equal("auto", action!["associatedInputs"]!.GetValue<string>()));
    }

    [Fact]
    public void Buttons_of_a_card_without_inputs_still_send_none() =>
        Assert.All(
            AdaptiveCardRenderer.Render(AdaptiveCardRendererTests.Nudge)["body"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "ActionSet")!["actions"]!.AsArray(),
            action => Assert.Equal("none", action!["associatedInputs"]!.GetValue<string>()));
}
