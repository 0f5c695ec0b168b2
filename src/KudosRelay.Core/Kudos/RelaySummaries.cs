using System.Globalization;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Kudos;

/// <summary>
/// How an intake relays positive feedback. Live feedback (the webhook) is relayed item by item; a bulk import stores
/// what is older than <see cref="RelaySince"/> without telling anyone and gathers the rest into one message per agent
/// and one post per team channel, so that nobody is flooded.
/// </summary>
internal sealed record FeedbackRelayPlan
{
    /// <summary>A batch with more than this many positive items for one agent reaches that agent as one summary.</summary>
    public const int LiveSummaryThreshold = 20;

    /// <summary>Positive items received before this are stored and counted for digests, and relayed to nobody. Null: none are old.</summary>
    public DateTime? RelaySince { get; init; }

    /// <summary>Recent positive items go into this summary instead of a message each. Null: a message each (or see <see cref="SummariseAbovePerAgent"/>).</summary>
    public RelaySummary? Summary { get; init; }

    /// <summary>Live intake: an agent with more than this many new positive items in one batch gets them as one summary.</summary>
    public int? SummariseAbovePerAgent { get; init; }

    public static readonly FeedbackRelayPlan Live = new() { SummariseAbovePerAgent = LiveSummaryThreshold };

    public bool IsOld(DateTime receivedAt) => RelaySince is { } since && receivedAt < since;
}

/// <summary>
/// Positive feedback gathered for one summary: per agent, and per team with channel posting, how many customers said
/// thank you, since when, and the few most specific quotes. Its messages are keyed <c>{Key}:dm:{person id}</c> and
/// <c>{Key}:team:{team id}:{platform}</c>; each item relayed in it records <see cref="Key"/>, so that a withdrawn item's
/// summary can be rebuilt from the items that still count and updated in place.
/// </summary>
internal sealed class RelaySummary(string key)
{
    private readonly Dictionary<long, (Person Agent, ChatIdentity Identity, string? TeamName, SummaryTally Tally)> agents = [];
    private readonly Dictionary<long, (TeamInfo Team, IReadOnlyList<ChatChannel> Channels, SummaryTally Tally)> teams = [];

    public string Key { get; } = key;

    public static RelaySummary New(string kind) => new($"summary:{kind}:{Guid.NewGuid():N}");

    /// <summary>The people who get a summary by direct message.</summary>
    public int People => agents.Count;

    /// <summary>The channel posts the summary makes (a team with a Slack and a Teams channel posts twice).</summary>
    public int ChannelPosts => teams.Values.Sum(team => team.Channels.Count);

    public bool IsEmpty => agents.Count == 0 && teams.Count == 0;

    /// <summary>
    /// Listed as open in the database (see <see cref="OpenSummaryStore"/>): its items are stored batch by batch, each
    /// batch in its own transaction, and its messages are queued at the end.
    /// </summary>
    public bool IsOpen { get; set; }

    /// <summary>
    /// What it holds may differ from what is stored (an item of it changed after it was added, a batch ran twice, or
    /// the import stopped halfway): it is read back from the database before its messages are queued.
    /// </summary>
    public bool IsStale { get; private set; }

    public void MarkStale() => IsStale = true;

    public void Clear()
    {
        agents.Clear();
        teams.Clear();
    }

    public void AddForAgent(FeedbackItem item, Person agent, ChatIdentity identity, string? teamName)
    {
        if (!agents.TryGetValue(agent.Id, out var entry))
            agents[agent.Id] = entry = (agent, identity, teamName, new SummaryTally());
        entry.Tally.Add(item, null);
    }

    public void AddForTeam(FeedbackItem item, TeamInfo team, IReadOnlyList<ChatChannel> channels, Person? agent)
    {
        if (!teams.TryGetValue(team.Id, out var entry))
            teams[team.Id] = entry = (team, channels, new SummaryTally());
        entry.Tally.Add(item, agent?.DisplayName);
    }

    /// <summary>The messages to queue: one per agent, one per team channel, written as of <paramref name="now"/>.</summary>
    public IReadOnlyList<OutboxMessage> Messages(DateTimeOffset now)
    {
        var messages = new List<OutboxMessage>(agents.Count + teams.Count);
        foreach (var (agent, identity, teamName, tally) in agents.Values.OrderBy(entry => entry.Agent.Id))
            messages.Add(new OutboxMessage(AgentKey(Key, agent.Id),
                new ChatTarget(identity.Platform, ChatTargetKind.Person, identity.UserId, identity.Workspace),
                KudosMessages.SummaryForAgent(agent, tally, teamName, now, SummaryPageRef.ForAgent(Key, agent.Id))));
        foreach (var (team, channels, tally) in teams.Values.OrderBy(entry => entry.Team.Id))
            foreach (var channel in channels)
                messages.Add(new OutboxMessage(TeamKey(Key, team.Id, channel.Platform),
                    new ChatTarget(channel.Platform, ChatTargetKind.Channel, channel.ChannelId),
                    KudosMessages.SummaryForTeam(team, tally, now, SummaryPageRef.ForTeam(Key, team.Id))));
        return messages;
    }

    public static string AgentKey(string summaryKey, long personId) => string.Create(CultureInfo.InvariantCulture, $"{summaryKey}:dm:{personId}");

    public static string TeamKey(string summaryKey, long teamId, string platform) => string.Create(CultureInfo.InvariantCulture, $"{summaryKey}:team:{teamId}:{platform}");

    public static string TeamKeyPrefix(string summaryKey, long teamId) => string.Create(CultureInfo.InvariantCulture, $"{summaryKey}:team:{teamId}:");
}

/// <summary>
/// What a summary says: how many customers said thank you, the earliest moment, the agents praised (for a team) and
/// the three most specific quotes. Kept small however many items it counts.
/// </summary>
internal sealed class SummaryTally
{
    public const int QuotesShown = 3;

    private readonly List<(FeedbackItem Item, int Specificity, string? Agent)> best = new(QuotesShown + 1);
    private readonly List<string> praised = [];
    private readonly HashSet<string> praisedSet = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    public DateTime Earliest { get; private set; } = DateTime.MaxValue;

    /// <summary>The agents praised, in the order they first appear.</summary>
    public IReadOnlyList<string> Praised => praised;

    /// <summary>The quotes to show, most specific first, as praise with the agent it was for.</summary>
    public IReadOnlyList<(Praise Praise, string? Agent)> Quotes => best.Select(entry => (Praise.Of(entry.Item), entry.Agent)).ToList();

    public void Add(FeedbackItem item, string? agent)
    {
        Count++;
        if (item.ReceivedAt < Earliest)
            Earliest = item.ReceivedAt;
        if (agent is not null && praisedSet.Add(agent))
            praised.Add(agent);
        if (item.RedactedText is not { Length: > 0 } words)
            return;
        var specificity = Specificity(words);
        if (best.Count == QuotesShown && specificity <= best[^1].Specificity)
            return;
        var at = best.FindIndex(entry => entry.Specificity < specificity);
        best.Insert(at < 0 ? best.Count : at, (item, specificity, agent));
        if (best.Count > QuotesShown)
            best.RemoveAt(QuotesShown);
    }

    /// <summary>
    /// How much a quote says about what was done: its distinct words of four letters or more, up to forty
    /// ("Thanks!" says little; "sorted out my refund in five minutes after two weeks" says what happened).
    /// Redaction marks do not count.
    /// </summary>
    internal static int Specificity(string words)
    {
        // Words are told apart by a case-blind hash of their letters rather than kept as strings: a score needs no more.
        var distinct = seen ??= new HashSet<int>();
        distinct.Clear();
        var start = -1;
        for (var index = 0; index <= words.Length; index++)
        {
            var letter = index < words.Length && char.IsLetter(words[index]);
            if (letter && start < 0)
                start = index;
            else if (!letter && start >= 0)
            {
                if (index - start >= 4 && (start == 0 || words[start - 1] != '['))
                    distinct.Add(string.GetHashCode(words.AsSpan(start, index - start), StringComparison.OrdinalIgnoreCase));
                start = -1;
            }
        }
        return Math.Min(distinct.Count, 40);
    }

    [ThreadStatic]
    private static HashSet<int>? seen;
}
