using KudosRelay.Core.Calendar;

namespace KudosRelay.Core.Escalations;

/// <summary>Working time as people say it: "one working day and four hours"; a day is the department's working day as written.</summary>
internal readonly record struct BusinessDelay(int Days, TimeSpan Time)
{
    public static BusinessDelay Hours(double hours) => new(0, TimeSpan.FromHours(hours));

    public static BusinessDelay WorkingDays(int days) => new(days, TimeSpan.Zero);

    public TimeSpan In(BusinessHours hours) => hours.WorkingDayLength * Days + Time;
}

/// <summary>What the sweeper does about one escalation now: send a stage, wait until a moment, or stay silent for good.</summary>
internal abstract record NudgeStep
{
    private NudgeStep()
    {
    }

    public sealed record Send(string Stage, NudgeKind Kind) : NudgeStep;

    public sealed record Wait(DateTimeOffset Until) : NudgeStep;

    public sealed record Silent : NudgeStep;
}

/// <summary>Where an escalation stands for the ladder: its due time, the last stage sent in this round and when, answers that pause it.</summary>
internal sealed record NudgeState(
    DateTimeOffset DueAt,
    string? LastStage,
    DateTimeOffset? LastSentAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? SnoozedUntil,
    bool Closed);

/// <summary>
/// The stages of one round of nudges and when each is due, in the department's working time: an optional heads-up
/// before the due time, the first nudge at it, reminders backing off (by default 4 working hours, then one working
/// day, then two), one note to the department's lead, then silence. "I'm on it" pauses the ladder for the grace period
/// after the answer; a snooze, until it ends. Pure: the sweeper reads the state and the calendar, this says what next.
/// </summary>
internal sealed record NudgeLadder(BusinessDelay? HeadsUpBefore, IReadOnlyList<BusinessDelay> Reminders, BusinessDelay LeadAfter, BusinessDelay Grace)
{
    public const string HeadsUp = "heads-up";
    public const string Due = "due";
    public const string Lead = "lead";

    public static NudgeLadder Default { get; } = new(
        BusinessDelay.Hours(2),
        [BusinessDelay.Hours(4), BusinessDelay.WorkingDays(1), BusinessDelay.WorkingDays(2)],
        BusinessDelay.WorkingDays(1),
        BusinessDelay.WorkingDays(1));

    /// <summary>Every stage of a round, in order ("heads-up", "due", "reminder-1" …, "lead").</summary>
    public IReadOnlyList<string> Stages =>
        [.. HeadsUpBefore is null ? Array.Empty<string>() : [HeadsUp], Due, .. Enumerable.Range(1, Reminders.Count).Select(Reminder), Lead];

    public static string Reminder(int number) => $"reminder-{number}";

    public static NudgeKind KindOf(string stage) => stage switch
    {
        HeadsUp => NudgeKind.HeadsUp,
        Due => NudgeKind.Due,
        Lead => NudgeKind.Lead,
        _ => NudgeKind.Reminder,
    };

    /// <summary>What to do at <paramref name="now"/>: the stage whose time has come, or when to look again, or nothing ever.</summary>
    public NudgeStep Next(NudgeState state, BusinessCalendar calendar, DateTimeOffset now)
    {
        if (state.Closed)
            return new NudgeStep.Silent();
        var stages = Stages;
        var index = state.LastStage is null ? 0 : IndexOf(stages, state.LastStage) + 1;
        // A heads-up whose moment passed unsent (the case came in late in the day, the bot was down) is not worth sending after the due time.
        if (index < stages.Count && stages[index] == HeadsUp && now >= state.DueAt)
            index++;
        if (index >= stages.Count)
            return new NudgeStep.Silent();
        var stage = stages[index];
        var planned = stage switch
        {
            HeadsUp => calendar.Subtract(state.DueAt, HeadsUpBefore!.Value.In(calendar.Hours)),
            Due => state.DueAt,
            Lead => calendar.Add(state.LastSentAt ?? state.DueAt, LeadAfter.In(calendar.Hours)),
            _ => calendar.Add(state.LastSentAt ?? state.DueAt, Reminders[index - stages.IndexOf(Reminder(1))].In(calendar.Hours)),
        };
        if (state.AcknowledgedAt is { } acknowledged && calendar.Add(acknowledged, Grace.In(calendar.Hours)) is var rested && rested > planned)
            planned = rested;
        if (state.SnoozedUntil is { } snoozed && snoozed > planned)
            planned = snoozed;
        return planned > now ? new NudgeStep.Wait(planned) : new NudgeStep.Send(stage, KindOf(stage));
    }

    /// <summary>A stage this ladder does not know (the policy changed since it was sent) counts as the last reminder.</summary>
    private static int IndexOf(IReadOnlyList<string> stages, string stage)
    {
        var index = stages.IndexOf(stage);
        return index >= 0 ? index : stages.Count - 2;
    }
}

internal static class StageLists
{
    public static int IndexOf(this IReadOnlyList<string> stages, string stage)
    {
        for (var i = 0; i < stages.Count; i++)
            if (stages[i] == stage)
                return i;
        return -1;
    }
}
