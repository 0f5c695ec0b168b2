using System.Text.Json;
using KudosRelay.Core.Messaging;
using KudosRelay.Teams.Inbound;
using KudosRelay.Teams.Rendering;
using Xunit;

namespace KudosRelay.Teams.Tests;

public sealed class OutgoingActivityTests
{
    private const string Conversation = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";
    private const string Bot = "28:00000000-1111-2222-3333-444444444444";

    /// <summary>10,000 characters of Cyrillic feedback, two bytes each in UTF-8: a card of its own would be 20 KB.</summary>
    private static readonly string Feedback = string.Concat(Enumerable.Repeat("Благодарим ви сърдечно! ", 417))[..10_000];

    [Fact]
    public void An_activity_carrying_10000_characters_of_cyrillic_feedback_stays_under_28_kb()
    {
        var message = new ChatMessage($"Мария благодари на Ива: {Feedback}",
        [
            new HeadingBlock("Клиент ви благодари"),
            new QuoteBlock(Feedback, "Мария"),
            new ContextBlock("★★★★★"),
            new PersonPickerBlock("Помогна ли ви колега?", "Изберете колега", new ChatButton("Предай нататък", "kudos.pass", "42")),
        ]);

        var activity = TeamsChatSender.ToActivity(message, Conversation, Bot);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(activity, ActivityJson.Options);

        Assert.True(bytes.Length < 28 * 1024, $"{bytes.Length} bytes");
        Assert.True(activity.Summary!.Length <= AdaptiveCardRenderer.PreviewLength, $"summary of {activity.Summary.Length} characters");
    }

    [Fact]
    public void An_outgoing_activity_names_its_channel_conversation_and_sender()
    {
        var activity = JsonSerializer.SerializeToNode(
            TeamsChatSender.ToActivity(new ChatMessage("Thanks", [new TextBlock("Thanks")]), Conversation, Bot), ActivityJson.Options)!;

        Assert.Equal("message", activity["type"]!.GetValue<string>());
        Assert.Equal("msteams", activity["channelId"]!.GetValue<string>());
        Assert.Equal(Conversation, activity["conversation"]!["id"]!.GetValue<string>());
        Assert.Equal(Bot, activity["from"]!["id"]!.GetValue<string>());
    }
}
