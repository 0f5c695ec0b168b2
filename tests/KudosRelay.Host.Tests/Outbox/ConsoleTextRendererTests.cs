using KudosRelay.Core.Messaging;
using KudosRelay.Host.Outbox;
using Xunit;

namespace KudosRelay.Host.Tests.Outbox;

public sealed class ConsoleTextRendererTests
{
    [Fact]
    public void A_terminal_shows_the_names_of_the_people_a_message_mentions()
    {
        var message = new ChatMessage("Maria praised Ana Petrova", [new HeadingBlock($"Kudos for {Mention.Of(0)}"), new ContextBlock(Mention.Literal("case {@0}-7"))])
        {
            People = [new ChatPerson("Ana Petrova", new Dictionary<string, string> { ["slack"] = "U0ANA" })],
        };

        var text = ConsoleTextRenderer.Render(new OutboundMessage(1, new ChatTarget("console", ChatTargetKind.Channel, "care"), message, null, 1));

        Assert.Contains("KUDOS FOR ANA PETROVA", text, StringComparison.Ordinal);
        Assert.Contains("(case {@0}-7)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("U0ANA", text, StringComparison.Ordinal);
    }
}
