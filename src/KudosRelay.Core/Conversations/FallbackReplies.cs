using KudosRelay.Core.Messaging;

namespace KudosRelay.Core.Conversations;

/// <summary>
/// What a chat adapter says itself when no feature could answer: the bot is starting, an answer took too long,
/// a handler failed, a button is from an old message. In the language the platform reports for the person
/// (Teams sends it with every activity), English when it does not say.
/// </summary>
public static class FallbackReplies
{
    public static ChatMessage NotReady(string? locale) => ConversationMessages.Texts(locale).Answer("not-ready");

    public static ChatMessage TookTooLong(string? locale) => ConversationMessages.Texts(locale).Answer("too-slow");

    public static ChatMessage Failed(string? locale) => ConversationMessages.Texts(locale).Answer("failed");

    public static ChatMessage OldButton(string? locale) => ConversationMessages.Texts(locale).Answer("old-button");

    /// <summary>The short confirmation shown when an action succeeded and there is nothing else to say.</summary>
    public static string Done(string? locale) => ConversationMessages.Texts(locale)["done"];
}
