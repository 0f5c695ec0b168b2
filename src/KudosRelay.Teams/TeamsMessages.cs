using KudosRelay.Core.Messaging;

namespace KudosRelay.Teams;

/// <summary>The few words the Teams adapter says itself; everything else comes from the features.</summary>
internal static class TeamsMessages
{
    public static ChatMessage UnknownAction { get; } = new(
        "That button no longer works.",
        [new HeadingBlock("That button no longer works"), new TextBlock("The card may be out of date. Ask me for help to see what I can do.")]);

    public static ChatMessage ActionFailed { get; } = new(
        "Something went wrong with that button.",
        [new HeadingBlock("Something went wrong"), new TextBlock("Please try again in a moment.")]);

    public const string Done = "Done.";
}
