using System.Text.Json;
using KudosRelay.Core.Conversations;
using KudosRelay.Slack.Inbound;
using KudosRelay.Slack.WebApi;
using Xunit;

namespace KudosRelay.Slack.Tests.Inbound;

public sealed class SlackActionTests
{
    private static readonly ChatUser Ana = new("slack", "T1", "UANA", "ana");

    private static SlackAction Parse(string json) => JsonSerializer.Deserialize<SlackAction>(json, SlackWebApiClient.Json)!;

    [Fact]
    public void A_button_press_carries_the_buttons_value()
    {
        var pressed = Parse("""{"type":"button","action_id":"review.approve","block_id":"x1Y","value":"42"}""").ToButtonPressed(Ana);

        Assert.Equal(new ChatRequest.ButtonPressed(Ana, "review.approve", "42"), pressed);
    }

    [Fact]
    public void A_user_picked_in_a_users_select_comes_back_with_the_block_id_as_payload()
    {
        var pressed = Parse("""{"type":"users_select","action_id":"kudos.pass","block_id":"42","selected_user":"UBEN","action_ts":"1.2"}""").ToButtonPressed(Ana);

        Assert.Equal(new ChatRequest.ButtonPressed(Ana, "kudos.pass", "42", new ChatUser("slack", "T1", "UBEN")), pressed);
    }
}
