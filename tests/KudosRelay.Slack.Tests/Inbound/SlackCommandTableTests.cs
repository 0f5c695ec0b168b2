using KudosRelay.Core.Conversations;
using KudosRelay.Slack.Inbound;
using Xunit;

namespace KudosRelay.Slack.Tests.Inbound;

public sealed class SlackCommandTableTests
{
    private static readonly ChatUser Ana = new("slack", "T111", "U0ANA", "ana");

    [Fact]
    public void Kudos_with_an_escaped_mention_names_the_colleague_and_keeps_the_text()
    {
        var request = SlackCommandTable.Parse("/kudos", Ana, "<@U0BOB|bob> thanks for covering the Friday queue <3");

        var kudos = Assert.IsType<ChatRequest.PeerKudos>(request);
        Assert.Equal(new ChatUser("slack", "T111", "U0BOB", "bob"), kudos.To);
        Assert.Equal("thanks for covering the Friday queue <3", kudos.Text);
        Assert.Equal(Ana, kudos.From);
    }

    [Fact]
    public void Kudos_with_a_bare_mention_and_several_lines()
    {
        var kudos = Assert.IsType<ChatRequest.PeerKudos>(SlackCommandTable.Parse("/KUDOS", Ana, "  <@W0BOB>   line one\nline two "));

        Assert.Equal("W0BOB", kudos.To.UserId);
        Assert.Null(kudos.To.DisplayName);
        Assert.Equal("line one\nline two", kudos.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<@U0BOB|bob>")]
    [InlineData("@bob thanks")]
    [InlineData("thanks <@U0BOB|bob>")]
    [InlineData("<#C0123|general> thanks")]
    public void Kudos_without_a_mention_or_a_message_is_not_understood(string text)
    {
        Assert.Null(SlackCommandTable.Parse("/kudos", Ana, text));
    }

    [Theory]
    [InlineData("", typeof(ChatRequest.Help))]
    [InlineData("help", typeof(ChatRequest.Help))]
    [InlineData(" HELP ", typeof(ChatRequest.Help))]
    [InlineData("settings", typeof(ChatRequest.Settings))]
    public void Kudosrelay_help_and_settings(string text, Type expected)
    {
        Assert.IsType(expected, SlackCommandTable.Parse("/kudosrelay", Ana, text));
    }

    [Theory]
    [InlineData("/kudosrelay", "launch the rockets")]
    [InlineData("/nudge", "billing")]
    [InlineData("", "")]
    public void Unknown_commands_and_arguments_are_not_understood(string command, string text)
    {
        Assert.Null(SlackCommandTable.Parse(command, Ana, text));
    }

    [Fact]
    public void A_mention_of_the_bot_is_read_like_a_direct_message()
    {
        var kudos = Assert.IsType<ChatRequest.PeerKudos>(SlackCommandTable.ParseMessage(Ana, "<@W111> kudos <@U0BOB> great save"));

        Assert.Equal("U0BOB", kudos.To.UserId);
        Assert.Equal("great save", kudos.Text);
        Assert.IsType<ChatRequest.Settings>(SlackCommandTable.ParseMessage(Ana, "settings"));
        Assert.Equal(new ChatRequest.Help(Ana, "Hi there!"), SlackCommandTable.ParseMessage(Ana, "<@W111> Hi there!"));
        Assert.Equal(new ChatRequest.Help(Ana, "kudos to everyone"), SlackCommandTable.ParseMessage(Ana, "kudos to everyone"));
    }
}
