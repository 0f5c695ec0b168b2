using Xunit;

namespace KudosRelay.Teams.Tests;

public sealed class TeamsMessageRefTests
{
    [Fact]
    public void A_message_ref_keeps_conversation_ids_with_semicolons_and_colons_intact()
    {
        var reference = TeamsChatSender.MessageRef("19:abc@thread.tacv2;messageid=1493158451000", "1:xyz");

        Assert.Equal(("19:abc@thread.tacv2;messageid=1493158451000", "1:xyz"), TeamsChatSender.ParseMessageRef(reference));
    }

    [Theory]
    [InlineData("no-separator")]
    [InlineData("#only-activity")]
    [InlineData("conversation#")]
    public void Something_else_is_not_a_message_ref(string value) => Assert.Null(TeamsChatSender.ParseMessageRef(value));
}
