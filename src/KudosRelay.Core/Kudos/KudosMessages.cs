using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Kudos;

/// <summary>The words of kudos messages. Renderers decide how they look on each platform.</summary>
internal static class KudosMessages
{
    public static ChatMessage PeerKudosReceived(Person giver, string text, bool crossDepartment) => new(
        $"{giver.DisplayName} sent you kudos: {text}",
        [
            new HeadingBlock($"Kudos from {giver.DisplayName}"),
            new QuoteBlock(text, giver.DisplayName),
            new ContextBlock(crossDepartment
                ? "Thanks from across the company. It will also appear in this week's appreciation digest."
                : "It will also appear in this week's appreciation digest."),
        ]);

    public static ChatMessage PeerKudosSent(Person recipient, bool delivered) => new(
        $"Thank you for thanking {recipient.FirstName}!",
        [new TextBlock(delivered
            ? $"Thank you for thanking {recipient.FirstName}! I've passed your kudos on, and it will be in this week's digest."
            : $"Thank you for thanking {recipient.FirstName}! I can't reach them in chat yet, but your kudos is saved and will be in this week's digest.")]);

    public static ChatMessage PeerKudosNeedsText() => new(
        "Tell me what they did.",
        [new TextBlock("Tell me what they did, so I can pass it on: kudos @someone thanks for sorting out the refund so quickly")]);

    public static ChatMessage RecipientNotKnown(string? name) => new(
        "I couldn't find that colleague.",
        [new TextBlock($"I couldn't find {(name is { Length: > 0 } ? name : "that colleague")} in KudosRelay yet, so I couldn't pass your kudos on. Your KudosRelay admin can add them to the organisation.")]);

    public static ChatMessage SelfKudos() => new(
        "Kudos are for thanking others.",
        [new TextBlock("I love the confidence! Kudos are for thanking colleagues, though — who helped you recently?")]);
}
