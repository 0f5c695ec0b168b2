using KudosRelay.Core.Messaging;

namespace KudosRelay.Slack.Inbound;

/// <summary>The Home tab: what the bot does and how to use it.</summary>
internal static class SlackHome
{
    public static readonly ChatMessage Message = new(
        "KudosRelay",
        [
            new HeadingBlock("KudosRelay"),
            new TextBlock("I bring kind words from customers to the people who earned them, ask other teams for help with overdue escalations, and post a weekly appreciation digest."),
            new FactsBlock(
            [
                new Fact("/kudos @colleague …", "Thank a colleague in front of their team."),
                new Fact("/kudosrelay settings", "Choose what reaches you and when."),
                new Fact("/kudosrelay help", "Everything I can do."),
            ]),
            new ContextBlock("You can also write to me here: \"help\", \"settings\" or \"kudos @someone thanks for …\"."),
        ]);
}
