using KudosRelay.Core.Language;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Core.Escalations;

/// <summary>The action ids of the answers on a nudge. The nudge's own buttons carry the escalation id; the card that replaces it adds the answer it shows ("42:17").</summary>
internal static class AnswerButtons
{
    public const string Prefix = "escalation.";
    // The five answers a nudge carries are NudgeButtons; these are the steps that follow them.
    public const string DoneConfirm = "escalation.done-confirm";
    public const string Reroute = "escalation.reroute";
    public const string Back = "escalation.back";

    /// <summary>The inputs of the Done and Not-ours steps.</summary>
    public const string NoteInput = "note";
    public const string DepartmentInput = "department";
    public const string ReasonInput = "reason";
}

/// <summary>What one reader sees of an escalation after an answer: the line saying who answered and when, in their language and time zone.</summary>
internal sealed record AnswerCardView(AnsweredEscalation Escalation, string Locale, string StatusLine, long Version);

/// <summary>The cards and replies of the answers on a nudge, in the reader's language (<c>Escalations/Chat/Messages/{language}.yaml</c>).</summary>
internal static class AnswerMessages
{
    public const string Feature = "EscalationChat";

    public static Texts Texts(string? locale) => MessageCatalogue.Current.For(Feature, locale);

    /// <summary>The nudge after an answer: the case, the answer, and only the buttons that still make sense.</summary>
    public static ChatMessage Card(AnswerCardView view)
    {
        var t = Texts(view.Locale);
        var escalation = view.Escalation;
        var buttons = ButtonsFor(view);
        return new ChatMessage(
            t.Format("card.summary", ("case", escalation.CaseRef), ("summary", escalation.Summary)),
            [
                .. Case(t, escalation),
                new ContextBlock(view.StatusLine),
                .. buttons.Length > 0 ? new MessageBlock[] { new ButtonsBlock(buttons) } : [],
            ]);
    }

    private static ChatButton[] ButtonsFor(AnswerCardView view)
    {
        var t = Texts(view.Locale);
        var payload = Payload(view.Escalation.Id, view.Version);
        return view.Escalation.Status switch
        {
            EscalationStatus.Acknowledged =>
            [
                new ChatButton(t["done.button"], NudgeButtons.Done, payload, ButtonStyle.Primary),
                new ChatButton(t["snooze-hour.button"], NudgeButtons.SnoozeHour, payload),
                new ChatButton(t["snooze-tomorrow.button"], NudgeButtons.SnoozeTomorrow, payload),
                new ChatButton(t["not-ours.button"], NudgeButtons.NotOurs, payload),
            ],
            EscalationStatus.Snoozed =>
            [
                new ChatButton(t["on-it.button"], NudgeButtons.OnIt, payload, ButtonStyle.Primary),
                new ChatButton(t["done.button"], NudgeButtons.Done, payload),
                new ChatButton(t["not-ours.button"], NudgeButtons.NotOurs, payload),
            ],
            EscalationStatus.Open =>
            [
                new ChatButton(t["on-it.button"], NudgeButtons.OnIt, payload, ButtonStyle.Primary),
                new ChatButton(t["snooze-hour.button"], NudgeButtons.SnoozeHour, payload),
                new ChatButton(t["snooze-tomorrow.button"], NudgeButtons.SnoozeTomorrow, payload),
                new ChatButton(t["done.button"], NudgeButtons.Done, payload),
                new ChatButton(t["not-ours.button"], NudgeButtons.NotOurs, payload),
            ],
            _ => [],
        };
    }

    /// <summary>
    /// A nudge (possibly about several escalations) after an answer about one of them: that escalation's buttons give way
    /// to the line saying who answered and to the buttons that still make sense; the nudge's own words and the other
    /// escalations' buttons stay as they are.
    /// </summary>
    public static ChatMessage Updated(ChatMessage nudge, AnswerCardView view)
    {
        var status = nudge.People.Count > 0 ? Mention.Literal(view.StatusLine) : view.StatusLine;
        var buttons = ButtonsFor(view);
        var blocks = new List<MessageBlock>();
        var placed = false;
        foreach (var block in nudge.Blocks)
        {
            if (block is not ButtonsBlock { } row || !row.Buttons.Any(button => IsFor(button, view.Escalation.Id)))
            {
                blocks.Add(block);
                continue;
            }
            // The line an earlier answer left right above its own buttons goes with them.
            if (row.Buttons.Any(button => IsFor(button, view.Escalation.Id) && button.Payload.Contains(':', StringComparison.Ordinal)) && blocks is [.., ContextBlock])
                blocks.RemoveAt(blocks.Count - 1);
            if (!placed)
            {
                blocks.Add(new ContextBlock(status));
                if (buttons.Length > 0)
                    blocks.Add(new ButtonsBlock(buttons));
                placed = true;
            }
            if (row.Buttons.Where(button => !IsFor(button, view.Escalation.Id)).ToList() is { Count: > 0 } others)
                blocks.Add(new ButtonsBlock(others));
        }
        if (!placed)
            blocks.AddRange(buttons.Length > 0 ? [new ContextBlock(status), new ButtonsBlock(buttons)] : [new ContextBlock(status)]);
        return nudge with { Blocks = blocks };
    }

    private static bool IsFor(ChatButton button, long escalationId) =>
        button.ActionId.StartsWith(AnswerButtons.Prefix, StringComparison.Ordinal)
        && button.Payload.Split(':')[0] == escalationId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"Done": an optional note for the requester, then Mark as done.</summary>
    public static ChatMessage DoneStep(AnsweredEscalation escalation, string locale, string requester, long version, string? note = null)
    {
        var t = Texts(locale);
        var payload = Payload(escalation.Id, version);
        return new ChatMessage(
            t["done.heading"],
            [
                .. Case(t, escalation),
                new InputBlock(AnswerButtons.NoteInput, t.Format("done.note.label", ("requester", requester)), InputKind.LongText, Optional: true) { Initial = note, MaxLength = EscalationChatLimits.Note },
                new ButtonsBlock([
                    new ChatButton(t["done-confirm.button"], AnswerButtons.DoneConfirm, payload, ButtonStyle.Primary),
                    new ChatButton(t["back.button"], AnswerButtons.Back, payload),
                ]),
            ]);
    }

    /// <summary>
    /// "Not ours": which department instead, and why. Both fields are optional to the platform, so that Back never asks
    /// for them; Pass it on checks them and shows what is missing.
    /// </summary>
    public static ChatMessage NotOursStep(
        AnsweredEscalation escalation, string locale, IReadOnlyList<DepartmentChoice> departments, long version,
        string? department = null, string? reason = null, string? departmentError = null, string? reasonError = null)
    {
        var t = Texts(locale);
        var payload = Payload(escalation.Id, version);
        return new ChatMessage(
            t["not-ours.heading"],
            [
                .. Case(t, escalation),
                new InputBlock(AnswerButtons.DepartmentInput, t["not-ours.department.label"], InputKind.Choice, Optional: true)
                {
                    Placeholder = t["not-ours.department.placeholder"],
                    Options = [.. departments.Where(d => d.Id != escalation.DepartmentId).Select(d => new InputOption(d.Key, d.Name))],
                    Initial = department,
                    Error = departmentError,
                },
                new InputBlock(AnswerButtons.ReasonInput, t["not-ours.reason.label"], InputKind.LongText, Optional: true)
                {
                    Initial = reason,
                    Error = reasonError,
                    MaxLength = EscalationChatLimits.Note,
                },
                new ButtonsBlock([
                    new ChatButton(t["reroute.button"], AnswerButtons.Reroute, payload, ButtonStyle.Primary),
                    new ChatButton(t["back.button"], AnswerButtons.Back, payload),
                ]),
            ]);
    }

    public static ChatMessage AlreadyHandled(string? locale, string? name, string when)
    {
        var t = Texts(locale);
        var text = name is { Length: > 0 } ? t.Format("already", ("name", name), ("when", when)) : t.Format("already.unknown-person", ("when", when));
        return new ChatMessage(t["already.summary"], [new TextBlock(text)]);
    }

    /// <summary>To the requesting agent: the department they asked passed the case on, and why.</summary>
    public static ChatMessage ReroutedToRequester(string? locale, AnsweredEscalation escalation, string name, string from, string to, string reason)
    {
        var t = Texts(locale);
        return new ChatMessage(
            t.Format("rerouted.requester.summary", ("case", escalation.CaseRef), ("department", to)),
            [new TextBlock(t.Format("rerouted.requester", ("name", name), ("from", from), ("case", escalation.CaseRef), ("department", to), ("reason", reason)))]);
    }

    public static string Status(string? locale, string key, params ReadOnlySpan<(string Name, object? Value)> values) => Texts(locale).Format(key, values);

    public static string Payload(long id, long version) => FormattableString.Invariant($"{id}:{version}");

    private static MessageBlock[] Case(Texts t, AnsweredEscalation escalation) =>
    [
        new HeadingBlock(t.Format("card.heading", ("case", escalation.CaseRef))),
        new TextBlock(escalation.Summary),
        new FactsBlock([
            new Fact(t["card.department"], escalation.DepartmentName),
            .. escalation.CaseUrl is { Length: > 0 } url ? new[] { new Fact(t["card.case-link"], url) } : [],
        ]),
    ];
}

/// <summary>Lengths the chat forms accept, within what the store holds and what Slack keeps in a modal's metadata.</summary>
internal static class EscalationChatLimits
{
    public const int CaseRef = RaiseEscalation.MaxCaseRefLength;

    /// <summary>Shorter than the API takes: a Slack modal carries the form's values in 3,000 characters of metadata.</summary>
    public const int CaseUrl = 500;
    public const int Summary = RaiseEscalation.MaxSummaryLength;
    public const int Note = RaiseEscalation.MaxNoteLength;
}
