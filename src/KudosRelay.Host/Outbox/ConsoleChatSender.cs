using System.Text;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;

namespace KudosRelay.Host.Outbox;

/// <summary>
/// The sender used when no chat platform is configured: it prints each message, as readable text,
/// to standard output, so a local run shows what the bot would say. The outbox records such a message
/// as <c>printed</c>, never <c>sent</c>. It writes synchronously, so a message recorded printed has been
/// printed even if the process dies right after.
/// </summary>
internal sealed class ConsoleChatSender(TextWriter output) : IChatSender
{
    private readonly Lock writing = new();

    public ConsoleChatSender() : this(Console.Out)
    {
    }

    public string Platform => OutboxDispatcher.ConsoleChatSenderName;

    public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var text = ConsoleTextRenderer.Render(message);
        lock (writing)
        {
            output.Write(text);
            output.Flush();
        }
        return Task.FromResult<SendResult>(new SendResult.Sent($"console:{message.Id}"));
    }
}

/// <summary>Renders a neutral message as plain text for a terminal.</summary>
internal static class ConsoleTextRenderer
{
    public static string Render(OutboundMessage message)
    {
        var target = message.Target;
        var text = new StringBuilder();
        text.Append("── outbox message ").Append(message.Id)
            .Append(message.ReplacesMessageRef is null ? " to " : $" (update of {message.ReplacesMessageRef}) to ")
            .Append(target.Platform).Append(' ').Append(target.Kind.ToString().ToLowerInvariant()).Append(' ').Append(target.Address)
            .AppendLine();
        foreach (var block in message.Message.Blocks)
            RenderBlock(block, message.Message.People, text);
        if (message.Message.Blocks.Count == 0)
            text.Append("  ").AppendLine(message.Message.Summary);
        return text.ToString();
    }

    private static void RenderBlock(MessageBlock block, IReadOnlyList<ChatPerson> people, StringBuilder text)
    {
        switch (block)
        {
            case HeadingBlock heading:
                text.Append("  ").AppendLine(Mention.Plain(heading.Text, people).ToUpperInvariant());
                break;
            case TextBlock paragraph:
                text.Append("  ").AppendLine(Mention.Plain(paragraph.Text, people));
                break;
            case QuoteBlock quote:
                text.Append("  > ").AppendLine(quote.Text);
                if (quote.Attribution is { } attribution)
                    text.Append("    — ").AppendLine(attribution);
                break;
            case FactsBlock facts:
                foreach (var fact in facts.Facts)
                    text.Append("  ").Append(fact.Label).Append(": ").AppendLine(fact.Value);
                break;
            case ContextBlock context:
                text.Append("  (").Append(Mention.Plain(context.Text, people)).AppendLine(")");
                break;
            case ButtonsBlock buttons:
                text.Append("  ").AppendLine(string.Join("  ", buttons.Buttons.Select(b => $"[{b.Label}]")));
                break;
            case PersonPickerBlock picker:
                text.Append("  ").Append(picker.Prompt).Append(" [").Append(picker.Placeholder).Append(" ▾] [").Append(picker.Submit.Label).AppendLine("]");
                break;
        }
    }
}
