using System.Globalization;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Kudos;

namespace KudosRelay.Core.Digests;

/// <summary>
/// Turns one week's facts into what the digest says: counts with the change from the week before, the most specific
/// customer quotes, shout-outs, thanks per department with its share within the agreed time and its median time to
/// resolve in business hours. Pure: the same facts always give the same content.
/// </summary>
internal static class DigestBuilder
{
    public const int MaxQuotes = 3;

    /// <summary>Quotes longer than this are cut at a word: a digest shows a glance, the agent's own message has the whole text.</summary>
    public const int MaxQuoteLength = 240;

    public static DigestContent Build(DigestFacts facts, bool late)
    {
        var week = facts.Week;
        var thisWeek = facts.Resolved.Where(r => r.ResolvedAt >= week.From && r.ResolvedAt < week.To).ToList();
        var lastWeek = facts.Resolved.Where(r => r.ResolvedAt < week.From).ToList();
        var departments = thisWeek
            .GroupBy(r => (r.DepartmentId, r.DepartmentName))
            .Select(group => new DepartmentThanks(
                group.Key.DepartmentName,
                group.Count(),
                lastWeek.Count(r => r.DepartmentId == group.Key.DepartmentId),
                group.Count(r => r.ResolvedAt <= r.DueAt),
                MedianBusinessTime(group.ToList()),
                SortedNames(group.Select(r => r.ResolverName).OfType<string>().Select(FirstName))))
            .OrderByDescending(thanks => thanks.Count).ThenBy(thanks => thanks.Department, StringComparer.CurrentCulture)
            .ToList();
        var trend = facts.KudosTrend;
        return new DigestContent
        {
            Scope = facts.Scope,
            Week = week,
            Late = late,
            KudosCount = facts.CustomerKudos.Count,
            KudosLastWeek = trend.Count > 1 ? trend[^2] : 0,
            KudosTrend = trend,
            Quotes = ChooseQuotes(facts.CustomerKudos),
            ShoutOuts = facts.CustomerKudos
                .Where(k => k.RecipientName is not null)
                .GroupBy(k => k.TeamName ?? "")
                .Select(group => new ShoutOutGroup(group.Key.Length > 0 ? group.Key : null, SortedNames(group.Select(k => k.RecipientName!))))
                .OrderBy(group => group.Group is null).ThenBy(group => group.Group, StringComparer.CurrentCulture)
                .ToList(),
            Departments = departments,
            Travelled = facts.Travelled.Count,
            TravelledTo = SortedNames(facts.Travelled.Select(t => FirstName(t.Name))),
            PeerReceived = facts.PeerKudos.Count(p => p.ToMember),
            PeerGiven = facts.PeerKudos.Count(p => p.FromMember),
            PeerRecipients = SortedNames(facts.PeerKudos.Where(p => p.ToMember && p.RecipientName is not null).Select(p => FirstName(p.RecipientName!))),
            StillOpen = facts.StillOpen,
            People = [.. facts.People.Where(p => p.Kudos.Sum() + p.Resolved.Sum() > 0).OrderBy(p => p.Name, StringComparer.CurrentCulture)],
        };
    }

    /// <summary>
    /// Up to three quotes, the most specific first: words that say what happened ("fixed my roaming in ten minutes")
    /// count, praise every quote shares ("great service, thanks") does not, and length beyond a glance counts against.
    /// A second quote about the same person waits until everyone else quoted had a turn.
    /// </summary>
    public static IReadOnlyList<DigestQuote> ChooseQuotes(IReadOnlyList<CustomerKudosRow> kudos)
    {
        var candidates = kudos
            .Where(k => !string.IsNullOrWhiteSpace(k.Words))
            .Select(k => (Row: k, Specificity: Specificity(k.Words!)))
            .OrderByDescending(c => c.Specificity).ThenByDescending(c => c.Row.Score ?? 0).ThenBy(c => c.Row.Id)
            .ToList();
        var chosen = new List<DigestQuote>();
        var quoted = new HashSet<long?>();
        while (chosen.Count < MaxQuotes && candidates.Count > 0)
        {
            var next = candidates.FindIndex(c => !quoted.Contains(c.Row.RecipientId));
            if (next < 0)
                next = 0;
            var (row, _) = candidates[next];
            candidates.RemoveAt(next);
            quoted.Add(row.RecipientId);
            chosen.Add(new DigestQuote(Shorten(row.Words!.Trim()), row.Customer is { Length: > 0 } customer ? customer : null, row.RecipientName));
        }
        return chosen;
    }

    /// <summary>
    /// How much a quote says about what happened: its distinct informative words (up to ten), how dense they are, a
    /// bonus for numbers (minutes, amounts, dates), and less for every word beyond a glance, so a long list of general
    /// praise loses to one sentence about the roaming that was fixed in ten minutes.
    /// </summary>
    public static double Specificity(string words)
    {
        // What was hidden says nothing about what happened.
        foreach (var marker in RedactionMarkers)
            words = words.Replace(marker, " ", StringComparison.Ordinal);
        var tokens = words.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
            return 0;
        var informative = tokens
            .Select(token => token.ToLower(CultureInfo.InvariantCulture))
            .Where(token => token.Length >= 4 && !GenericPraise.Contains(token))
            .Distinct().Count();
        var density = (double)informative / tokens.Length;
        var numbers = tokens.Any(token => token.Any(char.IsAsciiDigit)) ? 2 : 0;
        var overLength = Math.Max(0, words.Length - 160) / 20.0;
        return Math.Min(informative, 10) + 10 * density + numbers - overLength;
    }

    private static string Shorten(string words)
    {
        if (words.Length <= MaxQuoteLength)
            return words;
        var cut = words.LastIndexOf(' ', MaxQuoteLength - 1);
        return string.Concat(words.AsSpan(0, cut > MaxQuoteLength / 2 ? cut : MaxQuoteLength - 1).TrimEnd(), "…");
    }

    private static readonly string[] RedactionMarkers = [Redactor.Email, Redactor.Phone, Redactor.Card, Redactor.Iban, Redactor.Link, Redactor.Name];

    private static readonly char[] Separators = [.. " \t\r\n.,;:!?()[]\"'«»„“”—–-/…"];

    // Praise nearly every quote shares, in the four languages the bot speaks: it says the customer was happy, not why.
    private static readonly HashSet<string> GenericPraise = new(StringComparer.Ordinal)
    {
        "thank", "thanks", "great", "good", "very", "much", "really", "service", "excellent", "amazing", "awesome",
        "helpful", "friendly", "nice", "best", "wonderful", "perfect", "support", "team", "quick", "fast", "with", "your", "were", "that", "this", "have",
        "from", "will", "ever", "again", "they", "them", "what", "when", "just", "also", "been", "more", "some", "there", "their", "about", "would",
        "could", "everything", "anything", "help", "helped", "kind", "happy", "recommend", "friends", "appreciate", "everyone", "always",
        "благодаря", "много", "супер", "страхотно", "страхотен", "отлично", "добре", "обслужване", "бързо", "мерси",
        "спасибо", "большое", "очень", "отличный", "отличное", "хорошо", "прекрасно", "сервис", "быстро", "огромное",
        "mulțumesc", "multumesc", "foarte", "mult", "excelent", "super", "bine", "rapid", "serviciu", "minunat",
    };

    /// <summary>The middle time to resolve, counted in the department's working hours (an escalation raised on Friday evening and resolved on Monday morning took minutes, not a weekend).</summary>
    private static TimeSpan? MedianBusinessTime(List<Resolution> resolutions)
    {
        var calendar = new BusinessCalendar(resolutions[0].Hours);
        var sorted = resolutions
            .Select(r => calendar.BusinessTimeBetween(new DateTimeOffset(Utc(r.CreatedAt)), new DateTimeOffset(Utc(r.ResolvedAt))))
            .Order().ToList();
        if (sorted.Count == 0)
            return null;
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static IReadOnlyList<string> SortedNames(IEnumerable<string> names) =>
        [.. names.Distinct(StringComparer.CurrentCultureIgnoreCase).Order(StringComparer.CurrentCulture)];

    private static string FirstName(string displayName) =>
        displayName.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? first : displayName;

    /// <summary>Eight weeks as a line of bars, ▁ for none and █ for the busiest week: the trend at a glance, on every platform.</summary>
    public static string Sparkline(IReadOnlyList<int> counts)
    {
        const string Bars = "▁▂▃▄▅▆▇█";
        var max = counts.DefaultIfEmpty(0).Max();
        return string.Concat(counts.Select(count => max == 0 || count == 0 ? Bars[0] : Bars[Math.Max(1, (int)Math.Round(count * 7.0 / max))]));
    }
}

/// <summary>What a digest says, before it is put into words.</summary>
internal sealed record DigestContent
{
    public required DigestScope Scope { get; init; }
    public required Week Week { get; init; }
    public bool Late { get; init; }
    public int KudosCount { get; init; }
    public int KudosLastWeek { get; init; }
    public IReadOnlyList<int> KudosTrend { get; init; } = [];
    public IReadOnlyList<DigestQuote> Quotes { get; init; } = [];
    public IReadOnlyList<ShoutOutGroup> ShoutOuts { get; init; } = [];
    public IReadOnlyList<DepartmentThanks> Departments { get; init; } = [];
    public int Travelled { get; init; }
    public IReadOnlyList<string> TravelledTo { get; init; } = [];
    public int PeerReceived { get; init; }
    public int PeerGiven { get; init; }
    public IReadOnlyList<string> PeerRecipients { get; init; } = [];
    public int StillOpen { get; init; }
    public IReadOnlyList<PersonTrend> People { get; init; } = [];

    /// <summary>Nothing to thank anyone for this week: the digest says so warmly in a line instead of listing zeros.</summary>
    public bool IsQuiet => KudosCount == 0 && Departments.Count == 0 && Travelled == 0 && PeerReceived == 0 && PeerGiven == 0;
}

/// <summary>A customer's redacted words (redaction marks not yet put into the reader's language), who said them and about whom.</summary>
internal sealed record DigestQuote(string Words, string? Customer, string? About);

/// <summary>Praised agents of one team (null: kudos that named no team), by name.</summary>
internal sealed record ShoutOutGroup(string? Group, IReadOnlyList<string> Names);

/// <summary>
/// A department that resolved the scope's escalations this week: how many, how many the week before, how many within the
/// agreed time, the median time to resolve in its business hours, and who resolved them (first names).
/// </summary>
internal sealed record DepartmentThanks(string Department, int Count, int LastWeek, int WithinSla, TimeSpan? MedianBusinessTime, IReadOnlyList<string> Resolvers);
