using KudosRelay.Core.Language;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Core.Escalations;

/// <summary>What a nudge is for: a note before the due time, the first ask at it, a follow-up, or the one note to the lead.</summary>
internal enum NudgeKind
{
    HeadsUp,
    Due,
    Reminder,
    Lead,
}

/// <summary>Who reads a nudge: the escalation's owner in a direct message, the department's channel, or the department's lead.</summary>
internal enum NudgeAudience
{
    Owner,
    Channel,
    Lead,
}

/// <summary>
/// The reader of a nudge: <paramref name="Name"/> is a person's first name, or the department's name for a channel;
/// <paramref name="Zone"/> is where "this morning" is meant (a person's zone, or the department's for a channel).
/// </summary>
internal sealed record NudgeReader(NudgeAudience Audience, string Name, string? Locale, TimeZoneInfo Zone);

/// <summary>
/// One escalation as a nudge tells it. <paramref name="Stage"/> is the schedule's name for this nudge ("due", "reminder-2"),
/// which also picks the phrasing; <paramref name="Summary"/> is already redacted; <paramref name="Note"/> is the requester's
/// note only when it may be forwarded; <paramref name="AskedAt"/> is when the customer's case reached the helpdesk.
/// </summary>
internal sealed record NudgeCase(
    long EscalationId,
    NudgeKind Kind,
    string Stage,
    string CaseRef,
    string? CaseUrl,
    string Summary,
    string Requester,
    string? Note,
    DateTimeOffset AskedAt);

/// <summary>The action ids of a nudge's buttons; each button's payload is the escalation's id.</summary>
internal static class NudgeButtons
{
    public const string OnIt = "escalation.on-it";
    public const string SnoozeHour = "escalation.snooze-hour";
    public const string SnoozeTomorrow = "escalation.snooze-tomorrow";
    public const string Done = "escalation.done";
    public const string NotOurs = "escalation.not-ours";

    public static IReadOnlyList<string> All { get; } = [OnIt, SnoozeHour, SnoozeTomorrow, Done, NotOurs];
}

/// <summary>
/// Nudges in their reader's language (<c>Escalations/Messages/{language}.yaml</c>). Each says, in this order: hello by name,
/// what the customer needs and since when ("on Tuesday morning", in the reader's zone), a question, an offer of context,
/// thanks, the answer buttons, and one quiet line on why the reader gets it. Several escalations for one reader become one
/// message with a section and buttons per escalation. Phrasings rotate by escalation and stage, so that the second note
/// about a case never reads like the first.
/// </summary>
internal static class NudgeMessages
{
    public const string Feature = "Escalations";

    /// <summary>How many phrasings each stage has in every language (keys <c>{stage}.1</c> … <c>{stage}.3</c>).</summary>
    public const int Phrasings = 3;

    public static ChatMessage Nudge(NudgeReader reader, string department, IReadOnlyList<NudgeCase> cases, DateTimeOffset now) => cases switch
    {
        [] => throw new ArgumentException("a nudge is about at least one escalation", nameof(cases)),
        [var single] => Single(reader, department, single, now),
        _ => Batch(reader, department, cases, now),
    };

    private static ChatMessage Single(NudgeReader reader, string department, NudgeCase nudge, DateTimeOffset now)
    {
        var t = Texts(reader.Locale);
        var seed = Seed(nudge.EscalationId, nudge.Stage);
        var kind = reader.Audience == NudgeAudience.Lead ? NudgeKind.Lead : nudge.Kind;
        return new(
            t.Format($"summary.{KindKey(kind)}", ("summary", nudge.Summary)),
            [
                new TextBlock(t.Format($"{KindKey(kind)}.{Variant(seed, 0)}",
                    ("name", Greeted(t, reader, department)), ("department", department), ("summary", nudge.Summary), ("when", When(nudge, reader, now)))),
                .. Note(nudge),
                new TextBlock($"{CaseLine(t, nudge)} {t.Format($"offer.help.{Variant(seed, 2)}", ("requester", nudge.Requester), ("department", department))}"),
                new TextBlock(t[$"thanks.{Variant(seed, 1)}"]),
                Buttons(t, nudge.EscalationId),
                new ContextBlock(t.Format(reader.Audience switch
                {
                    NudgeAudience.Owner => "why.person",
                    NudgeAudience.Channel => "why.channel",
                    _ => "why.lead",
                }, ("requester", nudge.Requester), ("department", department), ("case", nudge.CaseRef))),
            ]);
    }

    private static ChatMessage Batch(NudgeReader reader, string department, IReadOnlyList<NudgeCase> cases, DateTimeOffset now)
    {
        var t = Texts(reader.Locale);
        var seed = cases.Aggregate(0L, (sum, nudge) => sum + Seed(nudge.EscalationId, nudge.Stage));
        var lead = reader.Audience == NudgeAudience.Lead;
        var heading = t.Count("batch.heading", cases.Count, ("department", department));
        return new(
            heading,
            [
                new HeadingBlock(heading),
                new TextBlock(t.Format($"{(lead ? "batch.lead" : "batch")}.{Variant(seed, 0)}", ("name", Greeted(t, reader, department)), ("department", department))),
                .. cases.SelectMany(nudge => (MessageBlock[])[
                    new TextBlock(t.Format("batch.case", ("summary", nudge.Summary), ("when", When(nudge, reader, now)))),
                    .. Note(nudge),
                    new ContextBlock(CaseLine(t, nudge)),
                    Buttons(t, nudge.EscalationId),
                ]),
                new TextBlock($"{t["batch.offer"]} {t[$"thanks.{Variant(seed, 1)}"]}"),
                new ContextBlock(t.Format(reader.Audience switch
                {
                    NudgeAudience.Owner => "why.batch.person",
                    NudgeAudience.Channel => "why.batch.channel",
                    _ => "why.batch.lead",
                }, ("department", department))),
            ]);
    }

    /// <summary>How a stage of <see cref="NudgeStages"/> reads: every reminder alike, each with its own rotation.</summary>
    public static NudgeKind KindOf(string stage) => stage switch
    {
        NudgeStages.HeadsUp => NudgeKind.HeadsUp,
        NudgeStages.Due => NudgeKind.Due,
        NudgeStages.Lead => NudgeKind.Lead,
        _ => NudgeKind.Reminder,
    };

    private static Texts Texts(string? locale) => MessageCatalogue.Current.For(Feature, locale);

    public static string KindKey(NudgeKind kind) => kind switch
    {
        NudgeKind.HeadsUp => "heads-up",
        NudgeKind.Due => "due",
        NudgeKind.Reminder => "reminder",
        _ => "lead",
    };

    private static string Greeted(Texts t, NudgeReader reader, string department) =>
        reader.Audience == NudgeAudience.Channel ? t.Format("channel.name", ("department", department)) : reader.Name;

    private static string When(NudgeCase nudge, NudgeReader reader, DateTimeOffset now) =>
        Moments.Describe(nudge.AskedAt, now, reader.Zone, reader.Locale);

    private static MessageBlock[] Note(NudgeCase nudge) =>
        nudge.Note is { Length: > 0 } note ? [new QuoteBlock(note, nudge.Requester)] : [];

    private static string CaseLine(Texts t, NudgeCase nudge) =>
        nudge.CaseUrl is { Length: > 0 } url
            ? t.Format("offer.case-link", ("case", nudge.CaseRef), ("url", url))
            : t.Format("offer.case", ("case", nudge.CaseRef));

    private static ButtonsBlock Buttons(Texts t, long escalationId)
    {
        var id = escalationId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new([
            new ChatButton(t["on-it.button"], NudgeButtons.OnIt, id, ButtonStyle.Primary),
            new ChatButton(t["snooze-hour.button"], NudgeButtons.SnoozeHour, id),
            new ChatButton(t["snooze-tomorrow.button"], NudgeButtons.SnoozeTomorrow, id),
            new ChatButton(t["done.button"], NudgeButtons.Done, id),
            new ChatButton(t["not-ours.button"], NudgeButtons.NotOurs, id),
        ]);
    }

    /// <summary>
    /// A number that stays the same for one escalation and stage, whatever the process (string hashes are randomised
    /// per process, so the stage's characters are summed instead): a message rebuilt for a preview reads as the one sent.
    /// </summary>
    private static long Seed(long escalationId, string stage)
    {
        long sum = 0;
        foreach (var c in stage)
            sum += c;
        return escalationId + sum;
    }

    /// <summary>The phrasing (1…3) of one part of a message; each part is shifted so that they do not all move together.</summary>
    internal static int Variant(long seed, int part) => (int)((seed + part) % Phrasings + Phrasings) % Phrasings + 1;
}
