using KudosRelay.Core.Messaging;

namespace KudosRelay.Testing;

/// <summary>Everything a reader of a neutral message would see, as plain lines, for assertions on wording.</summary>
public static class MessageText
{
    public static string Of(ChatMessage? message) => message is null ? "" : string.Join("\n",
        message.Blocks.SelectMany(block => block switch
        {
            HeadingBlock b => [Mention.Plain(b.Text, message.People)],
            TextBlock b => [Mention.Plain(b.Text, message.People)],
            QuoteBlock b => [b.Text],
            ContextBlock b => [Mention.Plain(b.Text, message.People)],
            FactsBlock b => b.Facts.Select(f => $"{f.Label}: {f.Value}"),
            PersonPickerBlock b => [b.Prompt],
            _ => Array.Empty<string>(),
        }).Prepend(message.Summary));
}
