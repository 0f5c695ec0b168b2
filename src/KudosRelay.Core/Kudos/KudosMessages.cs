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

    public static ChatMessage PeerKudosSent(Person recipient, bool delivered) => Short(
        $"Thank you for thanking {recipient.FirstName}!",
        delivered
            ? $"Thank you for thanking {recipient.FirstName}! I've passed your kudos on, and it will be in this week's digest."
            : $"Thank you for thanking {recipient.FirstName}! I can't reach them in chat yet, but your kudos is saved and will be in this week's digest.");

    public static ChatMessage PeerKudosNeedsText() => Short(
        "Tell me what they did.",
        "Tell me what they did, so I can pass it on: kudos @someone thanks for sorting out the refund so quickly");

    public static ChatMessage RecipientNotKnown(string? name) => Short(
        "I couldn't find that colleague.",
        $"I couldn't find {(name is { Length: > 0 } ? name : "that colleague")} in KudosRelay yet, so I couldn't pass your kudos on. Your KudosRelay admin can add them to the organisation.");

    public static ChatMessage SelfKudos() => Short(
        "Kudos are for thanking others.",
        "I love the confidence! Kudos are for thanking colleagues, though — who helped you recently?");

    /// <summary>The agent's direct message; its buttons follow <paramref name="state"/>, so a replacement shows what was done.</summary>
    public static ChatMessage CustomerKudosForAgent(Person agent, string? customer, string quote, string? teamName, KudosDmState state) => new(
        $"{agent.FirstName}, {Who(customer)} praised you: {quote}",
        [
            new HeadingBlock($"{Capitalise(Who(customer))} said thank you"),
            new TextBlock($"{agent.FirstName}, this is about you:"),
            new QuoteBlock(quote, Capitalise(Who(customer))),
            new ContextBlock(teamName is null
                ? "Customer feedback relayed by KudosRelay. It counts towards this week's appreciation digest."
                : state.CanShare && !state.Shared
                    ? $"Customer feedback relayed by KudosRelay. Only you see it unless you share it with {teamName}; it counts towards this week's digest."
                    : $"Customer feedback relayed by KudosRelay; {teamName} sees it too, and it counts towards this week's digest."),
            .. state.PassedTo.Count > 0
                ? new MessageBlock[] { new ContextBlock($"You passed the customer's thanks on to {Names(state.PassedTo)}. Thank you for sharing the credit!") }
                : [],
            new PersonPickerBlock(
                state.PassedTo.Count > 0 ? "Did someone else help too? Pass it on to them as well." : "Did a colleague help you with this? Pass it on: they'll hear the customer's thanks from you.",
                "Choose a colleague",
                new ChatButton("Pass it on", KudosDmButtons.PassItOn, Id(state.FeedbackId), ButtonStyle.Primary)),
            .. state switch
            {
                { CanShare: true, Shared: false } => new MessageBlock[] { new ButtonsBlock([new ChatButton("Share with the team", KudosDmButtons.Share, Id(state.FeedbackId))]) },
                { CanShare: true, Shared: true } => [new ContextBlock("Shared with the team.")],
                _ => [],
            },
        ]);

    /// <summary>The colleague an agent passed a customer's thanks on to.</summary>
    public static ChatMessage PassedOn(Person colleague, Person agent, string? customer, string quote, bool crossDepartment) => new(
        $"{agent.DisplayName} passed on {Possessive(customer)} thanks to you: {quote}",
        [
            new HeadingBlock("Thanks passed on to you"),
            new TextBlock($"{colleague.FirstName}, {agent.DisplayName} says you helped with this, so {Possessive(customer)} thanks is yours too:"),
            new QuoteBlock(quote, Capitalise(Who(customer))),
            new ContextBlock(crossDepartment
                ? "Thanks from across the company. It will also appear in this week's appreciation digest."
                : "It will also appear in this week's appreciation digest."),
        ]);

    public static ChatMessage PassItOnNeedsColleague() => Short(
        "Choose the colleague who helped first.",
        "Choose the colleague who helped first, then I'll pass the customer's thanks on to them.");

    public static ChatMessage PassItOnToSelf() => Short(
        "That's you! The thanks is already yours.",
        "That's you! The customer's thanks is already yours — pick a colleague who helped, and I'll pass it on to them.");

    public static ChatMessage ColleagueNotKnown() => Short(
        "I couldn't find that colleague in KudosRelay yet.",
        "I couldn't find that colleague in KudosRelay yet, so the thanks wasn't passed on. Your KudosRelay admin can add them to the organisation; after that, try again.");

    public static ChatMessage AlreadyPassedOn(Person colleague) => Short(
        $"You already passed this on to {colleague.FirstName}.",
        $"You already passed this on to {colleague.DisplayName}, so I didn't send it twice.");

    public static ChatMessage NotYourKudos() => Short(
        "These kudos belong to a colleague.",
        "These kudos belong to a colleague, so only they can pass them on or share them. Nothing was changed.");

    public static ChatMessage KudosWithdrawn() => Short(
        "This customer feedback was withdrawn.",
        "This customer feedback was withdrawn after the customer updated their response, so it can't be passed on or shared any more.");

    public static ChatMessage NoTeamChannel() => Short(
        "Your team has no kudos channel.",
        "Your team has no kudos channel I can post to, so there is nowhere to share this yet. Your KudosRelay admin can add one in the organisation file.");

    public static ChatMessage CustomerKudosForTeam(Person? agent, string? customer, string quote, string teamName) => new(
        agent is null ? $"{Capitalise(Who(customer))} praised {teamName}: {quote}" : $"{Capitalise(Who(customer))} praised {agent.DisplayName}: {quote}",
        [
            new HeadingBlock(agent is null ? $"Kudos for {teamName}" : $"Kudos for {agent.DisplayName}"),
            new QuoteBlock(quote, Capitalise(Who(customer))),
            new ContextBlock("Customer feedback relayed by KudosRelay."),
        ]);

    public static ChatMessage ThanksThatTravel(Person resolver, string? customer, string quote, string caseRef, Person? agent) => new(
        $"{resolver.FirstName}, {Who(customer)} you helped on case {caseRef} wrote back: {quote}",
        [
            new HeadingBlock("Your help reached a customer"),
            new TextBlock($"{resolver.FirstName}, {Who(customer)} you helped on case {caseRef} wrote back{(agent is null ? "" : $" to {agent.DisplayName}")}:"),
            new QuoteBlock(quote, Capitalise(Who(customer))),
            new ContextBlock("You resolved the escalation behind this, so the thanks is yours too. It counts for your department in this week's digest."),
        ]);

    public static ChatMessage ReviewRequest(long feedbackId, Person? agent, string? customer, string quote, string reason) => new(
        $"Feedback for {agent?.DisplayName ?? "your team"} needs a quick look before it is shared.",
        [
            new HeadingBlock("Share this feedback?"),
            new TextBlock($"{Capitalise(Who(customer))} wrote about {agent?.DisplayName ?? "your team"}. I wasn't sure it is praise, so I'm checking with you first."),
            new QuoteBlock(quote, Capitalise(Who(customer))),
            new ContextBlock($"Why it is here: {reason}."),
            new ButtonsBlock([
                new ChatButton("Approve", ReviewButtons.Approve, feedbackId.ToString(System.Globalization.CultureInfo.InvariantCulture), ButtonStyle.Primary),
                new ChatButton("Decline", ReviewButtons.Decline, feedbackId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]),
        ]);

    public static ChatMessage ReviewDecided(bool approved, Person reviewer, string quote, string outcome) => new(
        approved ? $"Approved by {reviewer.DisplayName}." : $"Declined by {reviewer.DisplayName}.",
        [
            new HeadingBlock(approved ? "Feedback approved" : "Feedback declined"),
            new QuoteBlock(quote, null),
            new ContextBlock(approved ? $"Approved by {reviewer.DisplayName}: {outcome}." : $"Declined by {reviewer.DisplayName}; it was not shared."),
        ]);

    public static ChatMessage AlreadyReviewed() => Short(
        "This feedback was already reviewed.",
        "This feedback was already reviewed, so nothing changed.");

    public static ChatMessage OnlyTheLeadReviews() => Short(
        "Only the team lead reviews this feedback.",
        "Only the team lead can approve or decline this feedback. Nothing was changed.");

    public static ChatMessage Withdrawn() => new(
        "This customer feedback was withdrawn.",
        [new ContextBlock("This customer feedback was withdrawn after the customer updated their response.")]);

    public static string RatingOnly(string scale, double? value) => scale switch
    {
        "csat5" => $"Rated the service {value:0} out of 5.",
        "stars5" => $"Gave {value:0} stars out of 5.",
        "nps10" => $"Would recommend us: {value:0} out of 10.",
        "percent" => $"Satisfaction: {value:0}%.",
        "thumbs" => "Gave a thumbs up.",
        _ => "Rated the service highly.",
    };

    /// <summary>A one-paragraph answer: <paramref name="summary"/> for notifications, <paramref name="text"/> in the message.</summary>
    private static ChatMessage Short(string summary, string text) => new(summary, [new TextBlock(text)]);

    private static string Who(string? customer) => customer is { Length: > 0 } ? customer : "a customer";

    private static string Possessive(string? customer) => customer is { Length: > 0 } ? $"{customer}'s" : "a customer's";

    private static string Names(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
