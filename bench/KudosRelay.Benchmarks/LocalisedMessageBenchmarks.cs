using BenchmarkDotNet.Attributes;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.Language;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;
using KudosRelay.Slack.Rendering;

namespace KudosRelay.Benchmarks;

/// <summary>
/// One kudos DM built from the message catalogue in the reader's language, with a counted line (plural rules) and
/// a moment in the reader's time zone, rendered to Block Kit: English against Russian.
/// </summary>
[MemoryDiagnoser]
public class LocalisedMessageBenchmarks
{
    private static readonly TimeZoneInfo Sofia = TimeZoneInfo.FindSystemTimeZoneById("Europe/Sofia");
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Received = new(2026, 12, 1, 7, 30, 0, TimeSpan.Zero);
    private const string Quote = "Ana sorted out my refund in five minutes and explained every step. Thank you!";

    private Person agent = new();

    [Params("en", "ru")]
    public string Locale { get; set; } = "en";

    [GlobalSetup]
    public void Setup() => agent = new Person { Id = 1, Email = "ana@example.com", DisplayName = "Ana Petrova", TimeZone = "Europe/Sofia", Locale = Locale };

    [Benchmark]
    public string Render_a_kudos_dm_with_a_count_and_a_moment()
    {
        var message = KudosMessages.CustomerKudosForAgent(agent, new Praise(Quote, "Maria", "csat5", 5, "CASE-42"), "Customer Care", KudosDmState.Fresh(42, canShare: true));
        var count = MessageCatalogue.Shipped.For("Kudos", Locale).Count("summary.customers-thanked", 21);
        var when = Moments.Describe(Received, Now, Sofia, Locale);
        return BlockKitRenderer.Render(message with { Blocks = [.. message.Blocks, new ContextBlock($"{count}, {when}")] }).Blocks.ToJsonString();
    }
}
