using KudosRelay.Core.Calendar;

namespace KudosRelay.Core.Escalations;

/// <summary>
/// The stages of an escalation's nudges, in order: an optional <see cref="HeadsUp"/> before the due time,
/// <see cref="Due"/> at it, <c>reminder-1</c> … <c>reminder-n</c> (<see cref="Reminder"/>), and <see cref="Lead"/>,
/// the one note to the department's lead; then silence.
/// </summary>
internal static class NudgeStages
{
    public const string HeadsUp = "heads-up";
    public const string Due = "due";
    public const string Lead = "lead";

    private const string ReminderPrefix = "reminder-";

    /// <summary>"reminder-1" for the first reminder after the due nudge.</summary>
    public static string Reminder(int number) =>
        number >= 1 ? ReminderPrefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(number), number, "reminders count from 1");

    /// <summary>The reminder's number (1 for "reminder-1"); null for any other stage.</summary>
    public static int? ReminderNumber(string stage) =>
        stage.StartsWith(ReminderPrefix, StringComparison.Ordinal)
        && int.TryParse(stage.AsSpan(ReminderPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
        && number >= 1 ? number : null;

    /// <summary>Where a stage stands in the order; null for a name that is no stage.</summary>
    internal static int? Rank(string stage) => stage switch
    {
        HeadsUp => 0,
        Due => 1,
        Lead => int.MaxValue,
        _ => ReminderNumber(stage) is { } number ? 1 + number : null,
    };
}

/// <summary>A nudge already sent about an escalation: its stage and when it went out.</summary>
internal sealed record SentNudge(string Stage, DateTimeOffset SentAt);

/// <summary>
/// What the schedule needs to know about one escalation: when it was raised and is due, the nudges sent so far
/// (in any order), the last "I'm on it" and the end of a snooze, if any.
/// </summary>
internal sealed record NudgeHistory(DateTimeOffset RaisedAt, DateTimeOffset DueAt, IReadOnlyList<SentNudge> Sent)
{
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public DateTimeOffset? SnoozedUntil { get; init; }
}

/// <summary>The next nudge: its stage and the earliest instant it is due by the department's schedule.</summary>
internal sealed record NudgeStep(string Stage, DateTimeOffset At)
{
    /// <summary>When it may reach its recipient: <see cref="At"/>, or the next moment inside their working time.</summary>
    public DateTimeOffset DeliverableTo(BusinessCalendar recipient) => recipient.NextWorkingMoment(At);
}

/// <summary>
/// When an escalation's next nudge is due, and which. Pure: everything comes in as arguments, so a fake clock can
/// walk an escalation through weeks in a test.
/// </summary>
/// <remarks>
/// All waits count the department's working time (<paramref name="calendar"/>). A stage's time is a floor: the
/// sweeper sends it at the first sweep at or after it that falls inside the recipient's working time
/// (<see cref="NudgeStep.DeliverableTo"/>, <see cref="RecipientCalendar"/>) and within their budget, and records
/// when it really went out; the next wait counts from then.
/// <list type="bullet">
/// <item><c>heads-up</c>: <see cref="NudgePolicy.HeadsUpBefore"/> of working time before the due time; none when that is
/// zero, when the escalation was raised after that moment, once someone said "I'm on it", or once the due time has come.</item>
/// <item><c>due</c>: at the due time.</item>
/// <item><c>reminder-k</c>: the k-th wait of <see cref="NudgePolicy.Reminders"/> after the nudge before it went out.</item>
/// <item><c>lead</c>: when <see cref="NudgePolicy.LeadNote"/>, the last wait once more after the last reminder; then nothing.
/// With no reminders there is no lead note (the org file refuses that combination).</item>
/// </list>
/// "I'm on it" holds every stage after it until <see cref="NudgePolicy.Grace"/> of working time has passed; a snooze
/// holds it until the snooze ends.
/// </remarks>
internal sealed class NudgeSchedule(NudgePolicy policy, BusinessCalendar calendar)
{
    public static NudgeSchedule For(DepartmentHours department) => new(department.Nudges, department.Calendar);

    /// <summary>The next nudge at <paramref name="now"/>; null when there is none left (silence).</summary>
    public NudgeStep? Next(NudgeHistory history, DateTimeOffset now)
    {
        // The furthest stage sent, and when the last nudge at or after the due stage went out (the next wait counts from it).
        var furthest = -1;
        var last = DateTimeOffset.MinValue;
        foreach (var nudge in history.Sent)
        {
            if (NudgeStages.Rank(nudge.Stage) is not { } rank)
                continue;
            furthest = Math.Max(furthest, rank);
            if (rank >= 1 && nudge.SentAt > last)
                last = nudge.SentAt;
        }
        if (furthest == int.MaxValue)
            return null;
        if (furthest < 0 && HeadsUpAt(history, now) is { } headsUp)
            return new NudgeStep(NudgeStages.HeadsUp, headsUp);
        if (furthest < 1)
            return Held(NudgeStages.Due, history.DueAt, history);

        var remindersSent = furthest - 1;
        var waits = policy.Reminders;
        if (remindersSent < waits.Count)
            return Held(NudgeStages.Reminder(remindersSent + 1), calendar.Add(last, waits[remindersSent].In(calendar.Hours)), history);
        if (policy.LeadNote && waits.Count > 0)
            return Held(NudgeStages.Lead, calendar.Add(last, waits[^1].In(calendar.Hours)), history);
        return null;
    }

    private DateTimeOffset? HeadsUpAt(NudgeHistory history, DateTimeOffset now)
    {
        if (policy.HeadsUpBefore.IsZero || history.AcknowledgedAt is not null || now >= history.DueAt)
            return null;
        var at = calendar.Subtract(history.DueAt, policy.HeadsUpBefore.In(calendar.Hours));
        return at > history.RaisedAt ? at : null;
    }

    private NudgeStep Held(string stage, DateTimeOffset at, NudgeHistory history)
    {
        if (history.AcknowledgedAt is { } acknowledged)
            at = Later(at, calendar.Add(acknowledged, policy.Grace.In(calendar.Hours)));
        if (history.SnoozedUntil is { } snoozedUntil)
            at = Later(at, snoozedUntil);
        return new NudgeStep(stage, at.ToUniversalTime());
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    /// <summary>
    /// The working time of whoever receives a nudge: the department's hours, days and holidays on the recipient's own
    /// clock — a person's zone, or the department's zone (<paramref name="recipientZone"/> null) for its channel.
    /// </summary>
    public static BusinessCalendar RecipientCalendar(BusinessHours department, TimeZoneInfo? recipientZone) =>
        new(recipientZone is null ? department : department.InZone(recipientZone));

    /// <summary>The earliest moment at or after <paramref name="at"/> inside the recipient's working time (see <see cref="RecipientCalendar"/>).</summary>
    public static DateTimeOffset DeliverableAt(DateTimeOffset at, BusinessHours department, TimeZoneInfo? recipientZone) =>
        RecipientCalendar(department, recipientZone).NextWorkingMoment(at);
}
