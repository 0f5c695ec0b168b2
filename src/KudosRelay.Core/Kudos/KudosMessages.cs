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

    public static ChatMessage PeerKudosNeedsText(string? locale) => Answer(locale, "peer-kudos.needs-text");

    public static ChatMessage RecipientNotKnown(string? locale, string? name)
    {
        var t = Texts(locale);
        return Short(
            t["peer-kudos.recipient-unknown.summary"],
            name is { Length: > 0 } ? t.Format("peer-kudos.recipient-unknown", ("name", name)) : t["peer-kudos.recipient-unknown.unnamed"]);
    }

    public static ChatMessage SelfKudos(string? locale) => Answer(locale, "peer-kudos.self");

    /// <summary>The agent's direct message; its buttons follow <paramref name="state"/>, so a replacement shows what was done.</summary>
    public static ChatMessage CustomerKudosForAgent(Person agent, string? customer, string quote, string? teamName, KudosDmState state)
    {
        var t = Texts(agent.Locale);
        return new(
            Named(t, "customer.praised-you.summary", customer, ("agent", agent.FirstName), ("quote", quote)),
            [
                new HeadingBlock(Named(t, "customer.said-thank-you", customer)),
                new QuoteBlock(quote, Attribution(t, customer)),
                new ContextBlock(teamName is null
                    ? t["dm.counts-for-digest"]
                    : t.Format(state.CanShare && !state.Shared ? "dm.only-you-see-it" : "dm.team-sees-it", ("team", teamName))),
                .. state.PassedTo.Count > 0
                    ? new MessageBlock[] { new TextBlock(t.Format("dm.passed-on-to", ("names", Names(t, state.PassedTo)))) }
                    : [],
                new PersonPickerBlock(
                    t[state.PassedTo.Count > 0 ? "dm.pick-another-colleague" : "dm.pick-colleague"],
                    t["dm.pick-colleague.placeholder"],
                    new ChatButton(t["dm.pass-it-on"], KudosDmButtons.PassItOn, Id(state.FeedbackId), ButtonStyle.Primary)),
                .. state switch
                {
                    { CanShare: true, Shared: false } => new MessageBlock[] { new ButtonsBlock([new ChatButton(t["dm.share"], KudosDmButtons.Share, Id(state.FeedbackId))]) },
                    { CanShare: true, Shared: true } => [new TextBlock(t["dm.shared"])],
                    _ => [],
                },
            ]);
    }

    /// <summary>The colleague an agent passed a customer's thanks on to.</summary>
    public static ChatMessage PassedOn(Person colleague, Person agent, string? customer, string quote, bool crossDepartment)
    {
        var t = Texts(colleague.Locale);
        return new(
            t.Format("passed-on.summary", ("agent", agent.DisplayName), ("quote", quote)),
            [
                new HeadingBlock(t["passed-on.heading"]),
                new TextBlock(t.Format("passed-on.text", ("colleague", colleague.FirstName), ("agent", agent.DisplayName))),
                new QuoteBlock(quote, Attribution(t, customer)),
                new ContextBlock(t[crossDepartment ? "peer-kudos.in-digest.cross-department" : "peer-kudos.in-digest"]),
            ]);
    }

    public static ChatMessage PassItOnNeedsColleague(string? locale) => Answer(locale, "pass-it-on.needs-colleague");

    public static ChatMessage PassItOnToSelf(string? locale) => Answer(locale, "pass-it-on.to-self");

    public static ChatMessage ColleagueNotKnown(string? locale) => Answer(locale, "pass-it-on.colleague-unknown");

    public static ChatMessage AlreadyPassedOn(string? locale, Person colleague)
    {
        var t = Texts(locale);
        return Short(
            t.Format("pass-it-on.already.summary", ("name", colleague.FirstName)),
            t.Format("pass-it-on.already", ("name", colleague.DisplayName)));
    }

    public static ChatMessage NotYourKudos(string? locale) => Answer(locale, "not-your-kudos");

    public static ChatMessage KudosWithdrawn(string? locale)
    {
        var t = Texts(locale);
        return Short(t["withdrawn.summary"], t["withdrawn.cannot-share"]);
    }

    public static ChatMessage NoTeamChannel(string? locale) => Answer(locale, "no-team-channel");

    public static ChatMessage CustomerKudosForTeam(string? locale, Person? agent, string? customer, string quote, string teamName)
    {
        var t = Texts(locale);
        var praised = agent?.DisplayName ?? teamName;
        return new(
            Named(t, "team-post.summary", customer, ("agent", praised), ("quote", quote)),
            [
                new HeadingBlock(t.Format("team-post.heading", ("agent", praised))),
                new QuoteBlock(quote, Attribution(t, customer)),
                new ContextBlock(t["team-post.footer"]),
            ]);
    }

    public static ChatMessage ThanksThatTravel(Person resolver, string? customer, string quote, string caseRef, Person? agent)
    {
        var t = Texts(resolver.Locale);
        return new(
            t.Format("thanks-travel.summary", ("resolver", resolver.FirstName), ("case", caseRef), ("quote", quote)),
            [
                new HeadingBlock(t["thanks-travel.heading"]),
                new TextBlock(Named(t, agent is null ? "thanks-travel.text" : "thanks-travel.text.to-agent", customer,
                    ("resolver", resolver.FirstName), ("case", caseRef), ("agent", agent?.DisplayName))),
                new QuoteBlock(quote, Attribution(t, customer)),
                new ContextBlock(t["thanks-travel.footer"]),
            ]);
    }

    public static ChatMessage ReviewRequest(Person lead, long feedbackId, Person? agent, string? customer, string quote, string reason)
    {
        var t = Texts(lead.Locale);
        return new(
            agent is null ? t["review.summary.team"] : t.Format("review.summary", ("agent", agent.DisplayName)),
            [
                new HeadingBlock(t["review.heading"]),
                new TextBlock(Named(t, agent is null ? "review.text.team" : "review.text", customer, ("agent", agent?.DisplayName))),
                new QuoteBlock(quote, Attribution(t, customer)),
                new ContextBlock(t.Format("review.why", ("reason", reason))),
                new ButtonsBlock([
                    new ChatButton(t["review.approve"], ReviewButtons.Approve, Id(feedbackId), ButtonStyle.Primary),
                    new ChatButton(t["review.decline"], ReviewButtons.Decline, Id(feedbackId)),
                ]),
            ]);
    }

    public static ChatMessage ReviewDecided(bool approved, Person reviewer, string quote)
    {
        var t = Texts(reviewer.Locale);
        return new(
            t.Format(approved ? "review.approved.summary" : "review.declined.summary", ("reviewer", reviewer.DisplayName)),
            [
                new HeadingBlock(t[approved ? "review.approved.heading" : "review.declined.heading"]),
                new QuoteBlock(quote, null),
                new TextBlock(t.Format(approved ? "review.approved" : "review.declined", ("reviewer", reviewer.DisplayName))),
            ]);
    }

    public static ChatMessage AlreadyReviewed(string? locale) => Answer(locale, "review.already");

    public static ChatMessage OnlyTheLeadReviews(string? locale) => Answer(locale, "review.lead-only");

    public static ChatMessage Withdrawn(string? locale)
    {
        var t = Texts(locale);
        return new(t["withdrawn.summary"], [new ContextBlock(t["withdrawn.post"])]);
    }

    public static string RatingOnly(string? locale, string scale, double? value)
    {
        var t = Texts(locale);
        var rounded = Math.Round(value ?? 0);
        return scale switch
        {
            "csat5" or "stars5" or "nps10" or "percent" => t.Format($"rating.{scale}", ("value", rounded)),
            "thumbs" => t["rating.thumbs"],
            _ => t["rating.other"],
        };
    }

    private static Texts Texts(string? locale) => MessageCatalogue.Shipped.For("Kudos", locale);

    /// <summary>A one-paragraph answer from <c>{key}.summary</c> (for notifications) and <c>{key}</c> (in the message).</summary>
    private static ChatMessage Answer(string? locale, string key)
    {
        var t = Texts(locale);
        return Short(t[$"{key}.summary"], t[key]);
    }

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

    private static string Names(Texts t, IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : t.Format("names.and", ("first", string.Join(", ", names.Take(names.Count - 1))), ("last", names[^1]));

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
