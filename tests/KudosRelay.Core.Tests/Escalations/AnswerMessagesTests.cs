using KudosRelay.Core.Escalations;
using KudosRelay.Core.Messaging;
using Xunit;

namespace KudosRelay.Core.Tests.Escalations;

public sealed class AnswerMessagesTests
{
    private static readonly AnsweredEscalation Refund = new() { Id = 7, CaseRef = "CASE-7", Summary = "A refund", DepartmentName = "Billing", Status = EscalationStatus.Acknowledged };

    /// <summary>A nudge about two customers at once, as the sweeper batches them: a section and buttons for each.</summary>
    private static readonly ChatMessage Batch = new("Two customers are waiting on Billing",
    [
        new TextBlock("Hi Ben, two customers could use Billing's help."),
        new TextBlock("CASE-7: a refund"),
        new ButtonsBlock([new ChatButton("I'm on it", NudgeButtons.OnIt, "7"), new ChatButton("Done", NudgeButtons.Done, "7")]),
        new TextBlock("CASE-8: a card"),
        new ButtonsBlock([new ChatButton("I'm on it", NudgeButtons.OnIt, "8"), new ChatButton("Done", NudgeButtons.Done, "8")]),
        new ContextBlock("Why am I getting this?"),
    ]);

    [Fact]
    public void An_answer_replaces_only_its_escalations_buttons_in_a_batched_nudge()
    {
        var updated = AnswerMessages.Updated(Batch, new AnswerCardView(Refund, "en", "Ben Carter is on it", 41));

        Assert.Equal(
            ["text", "text", "context:Ben Carter is on it", "buttons:7:41", "text", "buttons:8", "context:Why am I getting this?"],
            updated.Blocks.Select(Describe));
        Assert.Equal(["escalation.done", "escalation.snooze-hour", "escalation.snooze-tomorrow", "escalation.not-ours"],
            ((ButtonsBlock)updated.Blocks[3]).Buttons.Select(b => b.ActionId));
    }

    [Fact]
    public void A_second_answer_replaces_the_line_and_buttons_the_first_one_left()
    {
        var once = AnswerMessages.Updated(Batch, new AnswerCardView(Refund, "en", "Ben Carter is on it", 41));

        var twice = AnswerMessages.Updated(once, new AnswerCardView(Refund with { Status = EscalationStatus.Resolved }, "en", "Ben Carter resolved this", 42));

        Assert.Equal(["text", "text", "context:Ben Carter resolved this", "text", "buttons:8", "context:Why am I getting this?"], twice.Blocks.Select(Describe));
    }

    private static string Describe(MessageBlock block) => block switch
    {
        ContextBlock context => $"context:{context.Text}",
        ButtonsBlock buttons => "buttons:" + string.Join(",", buttons.Buttons.Select(b => b.Payload).Distinct()),
        _ => "text",
    };
}
