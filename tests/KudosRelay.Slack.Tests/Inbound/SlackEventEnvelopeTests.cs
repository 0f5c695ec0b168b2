using System.Text;
using KudosRelay.Slack.Inbound;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Slack.Tests.Inbound;

public sealed class SlackEventEnvelopeTests
{
    [Fact]
    public void Slacks_app_mention_example_yields_the_fields_the_adapter_reads()
    {
        var envelope = Parse(SpecFiles.Read("examples", "slack", "bolt-python", "event_callback.app_mention.json"));

        Assert.NotNull(envelope);
        Assert.Equal(("event_callback", "T111", "Ev111", 1595926230L), (envelope.Type, envelope.TeamId, envelope.EventId, envelope.EventTime));
        var inner = Assert.IsType<SlackEvent>(envelope.Event);
        Assert.Equal(("app_mention", "W222", "<@W111> Hi there!", "C111", "T111"), (inner.Type, inner.User, inner.Text, inner.Channel, inner.Team));
        Assert.Null(inner.BotId);
        Assert.Null(inner.Subtype);
    }

    [Fact]
    public void Slacks_direct_message_example_keeps_its_channel_type()
    {
        var inner = Parse(SpecFiles.Read("examples", "slack", "bolt-python", "event_callback.message.json"))?.Event;

        Assert.Equal("message", inner?.Type);
        Assert.NotNull(inner?.ChannelType);
    }

    [Fact]
    public void Tokens_revoked_counts_the_bot_tokens_only()
    {
        var inner = Parse("""{"type":"event_callback","event_id":"Ev1","event":{"type":"tokens_revoked","tokens":{"oauth":["U1","U2","U3"],"bot":["B1"]}}}""")?.Event;

        Assert.Equal(1, inner?.RevokedBotTokens);
    }

    [Fact]
    public void An_app_home_opened_event_names_the_callback_id_and_metadata_of_the_view_the_tab_shows()
    {
        // The shape of Slack's AppHomeOpenedPayload (java-slack-sdk): the view last published there rides along.
        var inner = Parse("""
            {"type":"event_callback","team_id":"T1","event_id":"Ev3","event_time":1700000000,
             "event":{"type":"app_home_opened","user":"U1","channel":"D1","tab":"home","event_ts":"1.2",
                      "view":{"id":"V1","type":"home","title":{"type":"plain_text","text":"x"},"blocks":[{"type":"section","callback_id":"not-this"}],
                              "private_metadata":"{\"action\":\"kudos.summary.see-all\"}","callback_id":"kudosrelay.page","state":{},"hash":"h"}}}
            """)?.Event;

        Assert.Equal(("app_home_opened", "home", "U1"), (inner?.Type, inner?.Tab, inner?.User));
        Assert.Equal(("kudosrelay.page", """{"action":"kudos.summary.see-all"}"""), (inner?.ViewCallbackId, inner?.ViewPrivateMetadata));
    }

    [Fact]
    public void Url_verification_carries_its_challenge()
    {
        var envelope = Parse("""{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""");

        Assert.Equal(("url_verification", "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"), (envelope?.Type, envelope?.Challenge));
    }

    [Fact]
    public void A_field_of_an_unexpected_kind_is_skipped_rather_than_refused()
    {
        var envelope = Parse("""{"type":"event_callback","event_id":"Ev2","team_id":"T1","event":{"type":"team_join","user":{"id":"U1","name":"ana"},"text":null,"tokens":[1]}}""");

        Assert.Equal("team_join", envelope?.Event?.Type);
        Assert.Null(envelope?.Event?.User);
        Assert.Equal("Ev2", envelope?.EventId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"event_callback\"")]
    [InlineData("""{"type":"event_callback","event_id":""")]
    [InlineData("""{"type":"event_callback","event":{"type":"app_mention",}}""")]
    public void Anything_that_is_not_a_whole_json_object_is_refused(string body) =>
        Assert.Null(Parse(body));

    private static SlackEventEnvelope? Parse(string json) => SlackEventEnvelope.Parse(Encoding.UTF8.GetBytes(json));
}
