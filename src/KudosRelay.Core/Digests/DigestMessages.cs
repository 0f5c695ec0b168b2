using KudosRelay.Core.Kudos;
using KudosRelay.Core.Language;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Digests;

/// <summary>
/// The weekly digest in its subscription's language (<c>Digests/Messages/{language}.yaml</c>): thanks by name, what went
/// well counted, trends as bars, what is still open in aggregate only. Renderers decide how it looks on each platform.
/// </summary>
internal static class DigestMessages
{
    /// <summary>A group of names longer than this ends in "and N more", so a big scope's list stays readable.</summary>
    public const int MaxNamesPerGroup = 12;

    public static ChatMessage Digest(DigestContent content, DigestSubscription subscription)
    {
        var t = MessageCatalogue.Current.For("Digests", subscription.Locale);
        var scope = content.Scope.Name ?? t["scope.organisation"];
        var blocks = new List<MessageBlock>();
        var context = new List<string> { Period(t, content.Week) };
        if (content.Late)
            context.Add(t["sent-after-usual-time"]);

        if (content.IsQuiet)
        {
            blocks.Add(new HeadingBlock(t.Format("quiet.heading", ("scope", scope))));
            blocks.Add(new ContextBlock(string.Join(" · ", context)));
            blocks.Add(new TextBlock(t["quiet.text"]));
            blocks.Add(new ContextBlock(Footer(t, subscription)));
            return new ChatMessage(t.Format("summary.quiet", ("scope", scope)), blocks);
        }

        blocks.Add(new HeadingBlock(t.Format("heading", ("scope", scope))));
        blocks.Add(new ContextBlock(string.Join(" · ", context)));
        if (content.KudosCount > 0)
            blocks.Add(new TextBlock(t.Format("headline", ("kudos", t.Count("kudos.headline", content.KudosCount)), ("change", Change(t, content.KudosCount, content.KudosLastWeek)))));
        blocks.Add(new FactsBlock([new Fact(t["trend.label"], DigestBuilder.Sparkline(content.KudosTrend))]));

        if (content.Quotes.Count > 0)
        {
            blocks.Add(new TextBlock(t["quotes.lead"]));
            foreach (var quote in content.Quotes)
                blocks.Add(new QuoteBlock(KudosMessages.Unmasked(subscription.Locale, quote.Words), Attribution(t, quote)));
        }

        if (content.ShoutOuts.Count > 0)
        {
            var lines = content.ShoutOuts.Select(group => content.ShoutOuts.Count == 1 && content.Scope.Kind == OrgScopeKinds.Team
                ? Names(t, group.Names)
                : t.Format("shout-outs.group", ("group", group.Group ?? t["shout-outs.elsewhere"]), ("names", Names(t, group.Names))));
            blocks.Add(new TextBlock(t["shout-outs.lead"] + "\n" + string.Join("\n", lines)));
        }

        if (content.Departments.Count > 0)
        {
            blocks.Add(new TextBlock(t["cross-team.lead"] + "\n" + string.Join("\n", content.Departments.Select(d => d.Resolvers.Count > 0
                ? t.Count("cross-team.helped", d.Count, ("department", d.Department), ("names", Names(t, d.Resolvers)))
                : t.Count("cross-team.helped.unnamed", d.Count, ("department", d.Department))))));
            blocks.Add(new FactsBlock([.. content.Departments.Select(d => new Fact(d.Department, DepartmentDetail(t, d)))]));
        }

        var travelling = new List<string>();
        if (content.Travelled > 0)
            travelling.Add(t.Count("travelled", content.Travelled, ("names", Names(t, content.TravelledTo))));
        if (content.PeerReceived > 0)
            travelling.Add(content.PeerRecipients.Count > 0
                ? t.Count("peer.received", content.PeerReceived, ("names", Names(t, content.PeerRecipients)))
                : t.Count("peer.received.unnamed", content.PeerReceived));
        if (content.PeerGiven > 0)
            travelling.Add(t.Count("peer.given", content.PeerGiven));
        if (travelling.Count > 0)
            blocks.Add(new TextBlock(string.Join("\n", travelling)));

        if (content.StillOpen > 0)
            blocks.Add(new TextBlock(t.Count("still-open", content.StillOpen)));

        if (subscription.IsManagerVariant && content.People.Count > 0)
        {
            blocks.Add(new TextBlock(t["manager.lead"]));
            blocks.Add(new FactsBlock([.. content.People.Select(person => new Fact(person.Name, PersonDetail(t, person)))]));
        }

        blocks.Add(new ContextBlock(Footer(t, subscription)));
        return new ChatMessage(t.Count("summary", content.KudosCount, ("scope", scope)), blocks);
    }

    private static string Period(Texts t, Week week) => t.Format("period",
        ("week", week.Name),
        ("from", week.Monday.ToString("d MMMM", t.Culture)),
        ("to", week.Monday.AddDays(6).ToString("d MMMM", t.Culture)));

    /// <summary>Up is news; the same is steady; down is shown as last week's number, without a minus or a word that blames.</summary>
    private static string Change(Texts t, int count, int lastWeek) => (count - lastWeek) switch
    {
        > 0 and var more => t.Count("change.more", more),
        0 => t["change.same"],
        _ => t.Count("change.last-week", lastWeek),
    };

    /// <summary>Only what a person did: a count of nothing is left out rather than shown as a zero beside their name.</summary>
    private static string PersonDetail(Texts t, PersonTrend person)
    {
        var parts = new List<string>();
        if (person.Kudos.Sum() is var kudos and > 0)
            parts.Add(t.Count("manager.kudos", kudos, ("trend", DigestBuilder.Sparkline(person.Kudos))));
        if (person.Resolved.Sum() is var resolved and > 0)
            parts.Add(t.Count("manager.resolved", resolved, ("trend", DigestBuilder.Sparkline(person.Resolved))));
        return string.Join(" · ", parts);
    }

    private static string DepartmentDetail(Texts t, DepartmentThanks d)
    {
        var parts = new List<string>
        {
            t.Format("cross-team.within-agreed-time", ("within", Number(t, d.WithinSla)), ("count", Number(t, d.Count))),
        };
        if (d.MedianBusinessTime is { } median)
            parts.Add(t.Format("cross-team.median", ("duration", Duration(t, median))));
        return string.Join(" · ", parts);
    }

    private static string Duration(Texts t, TimeSpan duration)
    {
        var minutes = (int)Math.Round(duration.TotalMinutes);
        var (hours, rest) = (minutes / 60, minutes % 60);
        return (hours, rest) switch
        {
            (0, _) => t.Format("duration.minutes", ("minutes", Number(t, rest))),
            (_, 0) => t.Format("duration.hours", ("hours", Number(t, hours))),
            _ => t.Format("duration.hours-minutes", ("hours", Number(t, hours)), ("minutes", Number(t, rest))),
        };
    }

    private static string Attribution(Texts t, DigestQuote quote) => (quote.Customer, quote.About) switch
    {
        ({ } customer, { } about) => t.Format("quote.about", ("customer", customer), ("agent", about)),
        (null, { } about) => t.Format("quote.about.anonymous", ("agent", about)),
        ({ } customer, null) => customer,
        _ => t["quote.anonymous"],
    };

    private static string Names(Texts t, IReadOnlyList<string> names)
    {
        if (names.Count > MaxNamesPerGroup)
            return t.Count("names.more", names.Count - MaxNamesPerGroup, ("names", string.Join(", ", names.Take(MaxNamesPerGroup))));
        return names.Count <= 1
            ? string.Concat(names)
            : t.Format("names.and", ("first", string.Join(", ", names.Take(names.Count - 1))), ("last", names[^1]));
    }

    private static string Footer(Texts t, DigestSubscription subscription) => t.Format("footer",
        ("day", t.Culture.DateTimeFormat.GetDayName(OrgValues.FromIsoDayNumber(subscription.IsoDay))),
        ("time", subscription.LocalTime),
        ("zone", subscription.TimeZone));

    private static string Number(Texts t, int value) => value.ToString("N0", t.Culture);
}
