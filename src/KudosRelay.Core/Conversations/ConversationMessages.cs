using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Conversations;

/// <summary>The bot's own words when people talk to it: help, settings, and the answers to misunderstandings.</summary>
internal static class ConversationMessages
{
    public static ChatMessage Help(string? unrecognised) => new(
        "Here is what KudosRelay can do for you.",
        [
            .. unrecognised is { Length: > 0 }
                ? new MessageBlock[] { new TextBlock($"Sorry, I didn't understand “{Shorten(unrecognised)}”. Here is what I can do:") }
                : [],
            new HeadingBlock("KudosRelay"),
            new TextBlock("I bring customers' praise to the people who earned it, ask colleagues for help with escalations kindly, and share a weekly digest of thanks."),
            new FactsBlock([
                new Fact("kudos @someone what they did", "Thank a colleague; they hear it from me and it shows up in the weekly digest."),
                new Fact("settings", "See what I know about you: your teams, time zone and language."),
                new Fact("help", "This message."),
            ]),
            new ContextBlock("Your organisation's KudosRelay admin can change teams, departments and schedules."),
        ]);

    public static ChatMessage Settings(Person person, IReadOnlyList<Membership> memberships, IReadOnlyList<ChatIdentity> identities) => new(
        $"Your KudosRelay settings, {person.FirstName}.",
        [
            new HeadingBlock("Your settings"),
            new FactsBlock([
                new Fact("Name", person.DisplayName),
                new Fact("Time zone", person.TimeZone),
                new Fact("Language", person.Locale),
                new Fact("Teams", Names(memberships, "team")),
                new Fact("Departments", Names(memberships, "department")),
                new Fact("Reachable on", string.Join(", ", identities.Select(i => i.Platform))),
            ]),
            new ContextBlock("To change any of these, ask your KudosRelay admin: they keep the organisation file."),
        ]);

    public static ChatMessage NotKnownYet() => new(
        "I don't know you yet.",
        [new TextBlock("I don't know you yet, so I can't do that for you. Your KudosRelay admin can add you to the organisation; after that, try again.")]);

    public static ChatMessage ButtonNoLongerActive() => new(
        "That button is no longer active.",
        [new TextBlock("That button is no longer active — the message may be out of date. Nothing was changed.")]);

    private static string Names(IReadOnlyList<Membership> memberships, string kind) =>
        memberships.Where(m => m.Kind == kind).Select(m => m.Name).DefaultIfEmpty("none").Aggregate((a, b) => $"{a}, {b}");

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 79), "…");
}
