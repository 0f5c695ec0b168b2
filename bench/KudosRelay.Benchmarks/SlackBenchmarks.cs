using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using KudosRelay.Core.Messaging;
using KudosRelay.Slack.Inbound;
using KudosRelay.Slack.Rendering;

namespace KudosRelay.Benchmarks;

/// <summary>The Slack adapter's hot paths: checking a request's signature, reading an event and rendering a message to Block Kit.</summary>
[MemoryDiagnoser]
public class SlackBenchmarks
{
    private static readonly ChatMessage Kudos = new(
        "A customer thanked you",
        [
            new HeadingBlock("A customer said thank you"),
            new TextBlock("<@U0ANA>, a customer wrote about your call on Tuesday & asked us to pass it on"),
            new QuoteBlock("You were patient & kind.\nThank you!", "Customer, order 1234"),
            new FactsBlock([new Fact("Channel", "Phone"), new Fact("Team", "Customer Care")]),
            new ButtonsBlock([new ChatButton("Say thanks back", "kudos.reply", "kudos:42", ButtonStyle.Primary)]),
        ]);

    private SlackSignature signature = null!;
    private byte[] body = [];
    private string timestamp = "";
    private string signed = "";

    [GlobalSetup]
    public void Setup()
    {
        signature = new SlackSignature("bench-signing-secret", TimeProvider.System);
        timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        body = Encoding.UTF8.GetBytes("""{"token":"x","team_id":"T111","api_app_id":"A111","type":"event_callback","event_id":"Ev1","event_time":1,"event":{"type":"app_mention","user":"U0ANA","text":"<@UBOT> help","ts":"1.1","channel":"C111","event_ts":"1.1"}}""");
        signed = signature.Sign(timestamp, body);
    }

    [Benchmark]
    public bool Verify_an_event_signature() => signature.IsValid(timestamp, signed, body);

    [Benchmark]
    public object? Parse_an_event_envelope() => SlackEventEnvelope.Parse(body);

    [Benchmark]
    public object Render_a_kudos_message() => BlockKitRenderer.Render(Kudos);
}
