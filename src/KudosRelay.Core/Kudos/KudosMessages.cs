using KudosRelay.Core.Language;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Kudos;

/// <summary>
/// Kudos messages, each in its reader's language (<c>Kudos/Messages/{language}.yaml</c>). Renderers decide how
/// they look on each platform. A customer's own words are relayed as written, never translated.
/// </summary>
internal static class KudosMessages
{
    public static ChatMessage PeerKudosReceived(Person recipient, Person giver, string text, bool crossDepartment)
    {
        var t = Texts(recipient.Locale);
        return new(
            t.Format("peer-kudos.received.summary", ("giver", giver.DisplayName), ("text", text)),
            [
                new HeadingBlock(t.Format("peer-kudos.received.heading", ("giver", giver.DisplayName))),
                new QuoteBlock(text, giver.DisplayName),
                new ContextBlock(t[crossDepartment ? "peer-kudos.in-digest.cross-department" : "peer-kudos.in-digest"]),
            ]);
    }

    public static ChatMessage PeerKudosSent(string? locale, Person recipient, bool delivered)
    {
        var t = Texts(locale);
        return Short(
            t.Format("peer-kudos.sent.summary", ("name", recipient.FirstName)),
            t.Format(delivered ? "peer-kudos.sent.delivered" : "peer-kudos.sent.saved", ("name", recipient.FirstName)));
    }

    public static ChatMessage PeerKudosNeedsText(string? locale) => Texts(locale).Answer("peer-kudos.needs-text");

    public static ChatMessage RecipientNotKnown(string? locale, string? name)
    {
        var t = Texts(locale);
        return Short(
            t["peer-kudos.recipient-unknown.summary"],
            name is { Length: > 0 } ? t.Format("peer-kudos.recipient-unknown", ("name", name)) : t["peer-kudos.recipient-unknown.unnamed"]);
    }

    public static ChatMessage SelfKudos(string? locale) => Texts(locale).Answer("peer-kudos.self");

    /// <summary>The agent's direct message; its buttons follow <paramref name="state"/>, so a replacement shows what was done.</summary>
    public static ChatMessage CustomerKudosForAgent(Person agent, Praise praise, string? teamName, KudosDmState state)
    {
        var t = Texts(agent.Locale);
        return new(
            Named(t, "customer.praised-you.summary", praise.Customer, ("agent", agent.FirstName), ("quote", Glance(t, praise))),
            [
                new HeadingBlock(Named(t, "customer.said-thank-you", praise.Customer)),
                .. PraiseBlocks(t, praise),
                new ContextBlock(teamName is null
                    ? t["dm.counts-for-digest"]
                    : t.Format(state.CanShare && !state.Shared ? "dm.only-you-see-it" : "dm.team-sees-it", ("team", teamName))),
                .. state.PassedTo.Count > 0
                    ? new MessageBlock[] { new TextBlock(t.Format("dm.passed-on-to", ("names", Names(t, state.PassedTo)))) }
                    : [],
                new PersonPickerBlock(
                    t[state.PassedTo.Count > 0 ? "dm.pick-another-colleague" : "dm.pick-colleague"],
                    t["dm.pick-colleague.placeholder"],
                    new ChatButton(t["dm.pass-it-on.button"], KudosDmButtons.PassItOn, Id(state.FeedbackId), ButtonStyle.Primary)),
                .. state switch
                {
                    { CanShare: true, Shared: false } => new MessageBlock[] { new ButtonsBlock([new ChatButton(t["dm.share.button"], KudosDmButtons.Share, Id(state.FeedbackId))]) },
                    { CanShare: true, Shared: true } => [new TextBlock(t["dm.shared"])],
                    _ => [],
                },
            ]);
    }

    /// <summary>
    /// The colleague an agent passed a customer's thanks on to: who passed it and from which team, the praise, and
    /// one click to thank the agent back (once clicked, a line saying so takes the button's place).
    /// </summary>
    public static ChatMessage PassedOn(Person colleague, Person agent, string? agentTeam, long feedbackId, Praise praise, bool crossDepartment, bool thankedBack)
    {
        var t = Texts(colleague.Locale);
        return new(
            t.Format("passed-on.summary", ("agent", agent.DisplayName), ("quote", Glance(t, praise))),
            [
                new HeadingBlock(t["passed-on.heading"]),
                new TextBlock(agentTeam is null
                    ? t.Format("passed-on.text", ("colleague", colleague.FirstName), ("agent", agent.DisplayName))
                    : t.Format("passed-on.text.team", ("colleague", colleague.FirstName), ("agent", agent.DisplayName), ("team", agentTeam))),
                .. PraiseBlocks(t, praise),
                new ContextBlock(t[crossDepartment ? "peer-kudos.in-digest.cross-department" : "peer-kudos.in-digest"]),
                thankedBack
                    ? new TextBlock(t.Format("passed-on.thanked-back", ("agent", agent.FirstName)))
                    : new ButtonsBlock([new ChatButton(t["passed-on.thank-back.button"], KudosDmButtons.ThankBack, Id(feedbackId), ButtonStyle.Primary)]),
            ]);
    }

    /// <summary>The agent hears that the colleague they passed a customer's thanks to says thank you.</summary>
    public static ChatMessage ThanksBack(Person agent, Person colleague)
    {
        var t = Texts(agent.Locale);
        return new(
            t.Format("thanks-back.summary", ("colleague", colleague.DisplayName)),
            [
                new HeadingBlock(t.Format("thanks-back.heading", ("colleague", colleague.FirstName))),
                new TextBlock(t.Format("thanks-back.text", ("colleague", colleague.DisplayName))),
            ]);
    }

    public static ChatMessage PassItOnNeedsColleague(string? locale) => Texts(locale).Answer("pass-it-on.needs-colleague");

    public static ChatMessage PassItOnToSelf(string? locale) => Texts(locale).Answer("pass-it-on.to-self");

    public static ChatMessage ColleagueNotKnown(string? locale) => Texts(locale).Answer("pass-it-on.colleague-unknown");

    public static ChatMessage AlreadyPassedOn(string? locale, Person colleague)
    {
        var t = Texts(locale);
        return Short(
            t.Format("pass-it-on.already.summary", ("name", colleague.FirstName)),
            t.Format("pass-it-on.already", ("name", colleague.DisplayName)));
    }

    public static ChatMessage NotYourKudos(string? locale) => Texts(locale).Answer("not-your-kudos");

    public static ChatMessage KudosWithdrawn(string? locale)
    {
        var t = Texts(locale);
        return Short(t["withdrawn.summary"], t["withdrawn.cannot-share"]);
    }

    public static ChatMessage NoTeamChannel(string? locale) => Texts(locale).Answer("no-team-channel");

    /// <summary>
    /// The post in a team's channel. It mentions the agent wherever they have a chat identity, so that they are notified
    /// and can find it; a platform they have no identity on shows their name.
    /// </summary>
    public static ChatMessage CustomerKudosForTeam(string? locale, Person? agent, IReadOnlyList<ChatIdentity> agentIdentities, Praise praise, string teamName)
    {
        var t = Texts(locale);
        var praised = agent?.DisplayName ?? teamName;
        var mentioned = agent is not null && agentIdentities.Count > 0 ? Mentionable(agent, agentIdentities) : null;
        return new(
            Named(t, "team-post.summary", praise.Customer, ("agent", praised), ("quote", Glance(t, praise))),
            [
                new HeadingBlock(t.Format("team-post.heading", ("agent", mentioned is null ? praised : Mention.Of(0)))),
                .. mentioned is null ? PraiseBlocks(t, praise) : PraiseBlocks(t, praise).Select(Literal),
                new ContextBlock(t["team-post.footer"]),
            ])
        {
            People = mentioned is null ? [] : [mentioned],
        };
    }

    /// <summary>A person with their user id on each platform (the first, should the organisation give two on one).</summary>
    private static ChatPerson Mentionable(Person person, IReadOnlyList<ChatIdentity> identities) =>
        new(person.DisplayName, identities.GroupBy(i => i.Platform, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().UserId, StringComparer.Ordinal));

    /// <summary>A block of a message with people whose text reads as written, even where it holds a "{@".</summary>
    private static MessageBlock Literal(MessageBlock block) => block switch
    {
        HeadingBlock heading => new HeadingBlock(Mention.Literal(heading.Text)),
        TextBlock text => new TextBlock(Mention.Literal(text.Text)),
        ContextBlock context => new ContextBlock(Mention.Literal(context.Text)),
        _ => block,
    };

    public static ChatMessage ThanksThatTravel(Person resolver, Praise praise, string caseRef, Person? agent)
    {
        var t = Texts(resolver.Locale);
        return new(
            t.Format("thanks-travel.summary", ("resolver", resolver.FirstName), ("case", caseRef), ("quote", Glance(t, praise))),
            [
                new HeadingBlock(t["thanks-travel.heading"]),
                new TextBlock(Named(t, agent is null ? "thanks-travel.text" : "thanks-travel.text.to-agent", praise.Customer,
                    ("resolver", resolver.FirstName), ("case", caseRef), ("agent", agent?.DisplayName))),
                .. PraiseBlocks(t, praise with { CaseRef = null }),
                new ContextBlock(t["thanks-travel.footer"]),
            ]);
    }

    public static ChatMessage ReviewRequest(Person lead, long feedbackId, Person? agent, Praise praise, ReviewWhy why)
    {
        var t = Texts(lead.Locale);
        return new(
            agent is null ? t["review.summary.team"] : t.Format("review.summary", ("agent", agent.DisplayName)),
            [
                new HeadingBlock(t["review.heading"]),
                new TextBlock(Named(t, agent is null ? "review.text.team" : "review.text", praise.Customer, ("agent", agent?.DisplayName))),
                .. PraiseBlocks(t, praise),
                new ContextBlock(t[why switch
                {
                    ReviewWhy.Contradiction => "review.why.contradiction",
                    ReviewWhy.MiddleRating => "review.why.middle-rating",
                    _ => "review.why.unclear-words",
                }]),
                new ButtonsBlock([
                    new ChatButton(t["review.approve.button"], ReviewButtons.Approve, Id(feedbackId), ButtonStyle.Primary),
                    new ChatButton(t["review.decline.button"], ReviewButtons.Decline, Id(feedbackId)),
                ]),
            ]);
    }

    public static ChatMessage ReviewDecided(bool approved, Person reviewer, Praise praise)
    {
        var t = Texts(reviewer.Locale);
        return new(
            t.Format(approved ? "review.approved.summary" : "review.declined.summary", ("reviewer", reviewer.DisplayName)),
            [
                new HeadingBlock(t[approved ? "review.approved.heading" : "review.declined.heading"]),
                .. PraiseBlocks(t, praise),
                new TextBlock(t.Format(approved ? "review.approved" : "review.declined", ("reviewer", reviewer.DisplayName))),
            ]);
    }

    public static ChatMessage AlreadyReviewed(string? locale) => Texts(locale).Answer("review.already");

    public static ChatMessage OnlyTheLeadReviews(string? locale) => Texts(locale).Answer("review.lead-only");

    public static ChatMessage Withdrawn(string? locale)
    {
        var t = Texts(locale);
        return new(t["withdrawn.summary"], [new ContextBlock(t["withdrawn.post"])]);
    }


    /// <summary>
    /// Many customers' thanks to one agent in one message (a bulk import, or a survey tool catching up): how many
    /// and since when, in the agent's language and time zone, with the few most specific quotes, and a button to the
    /// full list (<paramref name="seeAll"/>, a <see cref="SummaryPageRef"/>).
    /// </summary>
    public static ChatMessage SummaryForAgent(Person agent, SummaryTally tally, string? teamName, DateTimeOffset now, string seeAll)
    {
        var t = Texts(agent.Locale);
        var since = Since(t, tally.Earliest, now, Zone(agent.TimeZone));
        var quotes = tally.Quotes;
        return new(
            t.Count("summary.dm.summary", tally.Count, ("agent", agent.FirstName), ("since", since)),
            [
                new HeadingBlock(t.Count("summary.dm.heading", tally.Count, ("since", since))),
                .. SummaryQuotes(t, quotes),
                .. More(t, tally.Count - quotes.Count),
                new ContextBlock(teamName is null ? t["summary.dm.footer"] : t.Format("summary.dm.footer.team", ("team", teamName))),
                SeeAll(t, seeAll),
            ]);
    }

    /// <summary>The same for a team's channel: one post naming the agents praised, with the few most specific quotes.</summary>
    public static ChatMessage SummaryForTeam(TeamInfo team, SummaryTally tally, DateTimeOffset now, string seeAll)
    {
        var t = Texts(team.Locale);
        var heading = t.Count("summary.team.heading", tally.Count, ("team", team.Name), ("since", Since(t, tally.Earliest, now, TimeZoneInfo.Utc)));
        var quotes = tally.Quotes;
        return new(
            heading,
            [
                new HeadingBlock(heading),
                .. tally.Praised.Count > 0 ? new MessageBlock[] { new TextBlock(t.Format("summary.team.praised", ("names", Names(t, tally.Praised)))) } : [],
                .. SummaryQuotes(t, quotes),
                .. More(t, tally.Count - quotes.Count),
                new ContextBlock(t["summary.team.footer"]),
                SeeAll(t, seeAll),
            ]);
    }

    private static ButtonsBlock SeeAll(Texts t, string seeAll) => new([new ChatButton(t["summary.see-all.button"], SummaryPageRef.ActionId, seeAll)]);

    /// <summary>
    /// A summary's full list, for the one person who opened it (<paramref name="reader"/>, in their language and time
    /// zone): how many customers said thank you and since when, then the newest items, newest first, each with who
    /// wrote it, the rating, the case, the agent it was for (<paramref name="agents"/>, on a team's list) and when it
    /// arrived; then how many more there are.
    /// </summary>
    public static ChatMessage SummaryPage(Person reader, string? teamName, SummaryItems items, IReadOnlyDictionary<long, string>? agents, DateTimeOffset now)
    {
        var t = Texts(reader.Locale);
        var zone = Zone(reader.TimeZone);
        var since = Since(t, items.Earliest ?? now.UtcDateTime, now, zone);
        var heading = teamName is null
            ? t.Count("summary.dm.heading", items.Count, ("since", since))
            : t.Count("summary.team.heading", items.Count, ("team", teamName), ("since", since));
        var shown = items.Newest;
        return new(
            heading,
            [
                new HeadingBlock(heading),
                new TextBlock(shown.Count < items.Count ? t.Count("summary.page.newest", shown.Count) : t["summary.page.all"]),
                .. shown.Select(item => ListedPraise(t, item,
                    item.AgentPersonId is { } id && agents?.GetValueOrDefault(id) is { } agent ? t.Format("summary.quote-for", ("agent", agent)) : null,
                    now, zone, reader.Locale)),
                .. More(t, items.Count - shown.Count),
                new ContextBlock(t["summary.page.footer"]),
            ]);
    }

    /// <summary>The answer beside a summary's full list, saying where it is.</summary>
    public static ChatMessage SummaryPageOpened(string? locale)
    {
        var t = Texts(locale);
        return Short(t["summary.page.opened.summary"], t["summary.page.opened"]);
    }

    public static ChatMessage SummaryNotYours(string? locale) => Texts(locale).Answer("summary.page.not-yours");

    public static ChatMessage SummaryForTeamMembers(string? locale, string teamName)
    {
        var t = Texts(locale);
        return Short(t.Format("summary.page.team-only.summary", ("team", teamName)), t.Format("summary.page.team-only", ("team", teamName)));
    }

    public static ChatMessage SummaryNowEmpty(string? locale) => Texts(locale).Answer("summary.page.empty");

    /// <summary>
    /// "Recent praise for you" on a person's home: the newest customer praise they received (<paramref name="newest"/>),
    /// and how many more customers thanked them in the window <paramref name="count"/> was taken over.
    /// </summary>
    public static MessageBlock[] RecentPraise(Person person, int count, IReadOnlyList<FeedbackItem> newest, DateTimeOffset now)
    {
        var t = Texts(person.Locale);
        var zone = Zone(person.TimeZone);
        return
        [
            new HeadingBlock(t["home.recent-praise.heading"]),
            .. newest.Select(item => ListedPraise(t, item, null, now, zone, person.Locale)),
            .. count > newest.Count ? new MessageBlock[] { new ContextBlock(t.Count("home.recent-praise.more", count - newest.Count)) } : [],
        ];
    }

    /// <summary>
    /// One item of a list: the customer's words as a quote signed with who, the rating, the case, whom it was for and
    /// when it arrived (in the reader's <paramref name="zone"/>); or, without words, the rating as the bot's own line with the same details.
    /// </summary>
    private static MessageBlock ListedPraise(Texts t, FeedbackItem item, string? forAgent, DateTimeOffset now, TimeZoneInfo zone, string? locale)
    {
        string Details(params string?[] parts) => string.Join(" · ", parts.OfType<string>());
        var praise = Praise.Of(item);
        var when = Moments.Describe(new DateTimeOffset(DateTime.SpecifyKind(item.ReceivedAt, DateTimeKind.Utc)), now, zone, locale);
        var caseRef = praise.CaseRef is { } @case ? t.Format("case", ("case", @case)) : null;
        return praise.Words is { } words
            ? new QuoteBlock(Unmasked(t, words), Details(Attribution(t, praise.Customer), praise.Rating, caseRef, forAgent, when))
            : new TextBlock(Details(Named(t, "rating.from", praise.Customer, ("rating", praise.Rating ?? "")), caseRef, forAgent, when));
    }

    private static IEnumerable<MessageBlock> SummaryQuotes(Texts t, IReadOnlyList<(Praise Praise, string? Agent)> quotes)
    {
        if (quotes.Count == 0)
            yield break;
        yield return new TextBlock(t["summary.in-their-words"]);
        foreach (var (praise, agent) in quotes)
        {
            yield return new QuoteBlock(Unmasked(t, praise.Words ?? ""), Attribution(t, praise.Customer));
            var details = string.Join(" · ", new[]
            {
                praise.Rating,
                praise.CaseRef is { } caseRef ? t.Format("case", ("case", caseRef)) : null,
                agent is null ? null : t.Format("summary.quote-for", ("agent", agent)),
            }.OfType<string>());
            if (details.Length > 0)
                yield return new ContextBlock(details);
        }
    }

    private static MessageBlock[] More(Texts t, int more) => more > 0 ? [new TextBlock(t.Count("summary.more", more))] : [];

    /// <summary>"today", "since yesterday", "since Monday", or "since 3 November", on the reader's calendar.</summary>
    private static string Since(Texts t, DateTime earliestUtc, DateTimeOffset now, TimeZoneInfo zone)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(earliestUtc, DateTimeKind.Utc), zone));
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        return (today.DayNumber - day.DayNumber) switch
        {
            <= 0 => t["summary.since.today"],
            1 => t["summary.since.yesterday"],
            <= 6 => t[$"summary.since.{day.DayOfWeek.ToString().ToLowerInvariant()}"],
            _ => t.Format("summary.since.date", ("date", day.ToString("d MMMM", t.Culture))),
        };
    }

    private static TimeZoneInfo Zone(string ianaId) =>
        ianaId is { Length: > 0 } && ianaId != "UTC" && TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone) ? zone : TimeZoneInfo.Utc;

    private static Texts Texts(string? locale) => MessageCatalogue.Current.For("Kudos", locale);


    private static ChatMessage Short(string summary, string text) => new(summary, [new TextBlock(text)]);

    /// <summary>
    /// The text of <paramref name="key"/> naming the customer, or its <c>.anonymous</c> variant when the name is not
    /// shown: languages differ in how "a customer" fits a sentence, so each variant is a sentence of its own.
    /// </summary>
    private static string Named(Texts t, string key, string? customer, params ReadOnlySpan<(string Name, object? Value)> values) =>
        customer is { Length: > 0 }
            ? t.Format(key, [.. values, ("customer", customer)])
            : t.Format($"{key}.anonymous", values);

    private static string Attribution(Texts t, string? customer) => customer is { Length: > 0 } ? customer : t["customer.anonymous"];

    /// <summary>
    /// The customer's words as a quote signed with their name, then the rating and the case; or, when they wrote
    /// nothing, the rating as the bot's own line ("★★★★★ from Maria"), never dressed up as a quote.
    /// </summary>
    private static MessageBlock[] PraiseBlocks(Texts t, Praise praise)
    {
        var details = string.Join(" · ", new[] { praise.Rating, praise.CaseRef is { } caseRef ? t.Format("case", ("case", caseRef)) : null }.OfType<string>());
        if (praise.Words is { } words)
            return [new QuoteBlock(Unmasked(t, words), Attribution(t, praise.Customer)), .. details.Length > 0 ? new MessageBlock[] { new ContextBlock(details) } : []];
        var line = Named(t, "rating.from", praise.Customer, ("rating", praise.Rating ?? ""));
        return [new TextBlock(praise.CaseRef is { } @case ? $"{line} · {t.Format("case", ("case", @case))}" : line)];
    }

    /// <summary>The praise in one line for a notification: the customer's words, or the rating line.</summary>
    private static string Glance(Texts t, Praise praise) =>
        praise.Words is { } words ? Unmasked(t, words) : Named(t, "rating.from", praise.Customer, ("rating", praise.Rating ?? ""));

    /// <summary>A customer's redacted words with their redaction marks in <paramref name="locale"/>, as every kudos message shows them (the digest quotes them too).</summary>
    public static string Unmasked(string? locale, string words) => Unmasked(Texts(locale), words);

    /// <summary>Redaction marks as the reader's words ("‹phone hidden›"), so they read as deliberate rather than as an unfilled template.</summary>
    private static string Unmasked(Texts t, string words)
    {
        foreach (var (marker, key) in RedactionWords)
            if (words.Contains(marker, StringComparison.Ordinal))
                words = words.Replace(marker, $"‹{t[key]}›", StringComparison.Ordinal);
        return words;
    }

    private static readonly (string Marker, string Key)[] RedactionWords =
    [
        (Redactor.Email, "hidden.email"), (Redactor.Phone, "hidden.phone"), (Redactor.Card, "hidden.card"),
        (Redactor.Iban, "hidden.iban"), (Redactor.Link, "hidden.link"), (Redactor.Name, "hidden.name"),
    ];

    private static string Names(Texts t, IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : t.Format("names.and", ("first", string.Join(", ", names.Take(names.Count - 1))), ("last", names[^1]));

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
