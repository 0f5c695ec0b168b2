using System.Globalization;
using KudosRelay.Core.Calendar;

namespace KudosRelay.Core.Escalations;

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
/// The stages of one round of nudges under a department's <see cref="NudgePolicy"/> and when each is due, in the
/// department's working time: a heads-up before the due time (when the policy has one), the first nudge at it, the
/// reminders backing off (by default 4 working hours, then one working day, then two), one note to the department's
/// lead after the last reminder's wait once more, then silence. "I'm on it" pauses the ladder for the policy's grace
/// after the answer; a snooze, until it ends. Pure: the sweeper reads the state and the calendar, this says what next.
/// </summary>
internal static class NudgeLadder
{
    public const string HeadsUp = "heads-up";
    public const string Due = "due";
    public const string Lead = "lead";

    /// <summary>Every stage of a round under <paramref name="policy"/>, in order ("heads-up", "due", "reminder-1" …, "lead").</summary>
    public static IReadOnlyList<string> Stages(NudgePolicy policy) =>
        [.. policy.HeadsUpBefore.IsZero ? Array.Empty<string>() : [HeadsUp], Due, .. Enumerable.Range(1, policy.Reminders.Count).Select(Reminder), .. policy.LeadNote ? [Lead] : Array.Empty<string>()];

    public static string Reminder(int number) => $"reminder-{number}";

    public static NudgeKind KindOf(string stage) => stage switch
    {
        HeadsUp => NudgeKind.HeadsUp,
        Due => NudgeKind.Due,
        Lead => NudgeKind.Lead,
        _ => NudgeKind.Reminder,
    };

    /// <summary>What to do at <paramref name="now"/>: the stage whose time has come, or when to look again, or nothing ever.</summary>
    public static NudgeStep Next(NudgePolicy policy, NudgeState state, BusinessCalendar calendar, DateTimeOffset now)
    {
        if (state.Closed)
            return new NudgeStep.Silent();
        var stages = Stages(policy);
        var index = state.LastStage is null ? 0 : IndexAfter(stages, state.LastStage);
        // A heads-up whose moment passed unsent (the case came in late in the day, the bot was down) is not worth sending after the due time.
        if (index < stages.Count && stages[index] == HeadsUp && now >= state.DueAt)
            index++;
        if (index >= stages.Count)
            return new NudgeStep.Silent();
        var stage = stages[index];
        var hours = calendar.Hours;
        var since = state.LastSentAt ?? state.DueAt;
        var planned = stage switch
        {
            HeadsUp => calendar.Subtract(state.DueAt, policy.HeadsUpBefore.In(hours)),
            Due => state.DueAt,
            Lead => calendar.Add(since, (policy.Reminders.Count > 0 ? policy.Reminders[^1] : policy.Grace).In(hours)),
            _ => calendar.Add(since, policy.Reminders[int.Parse(stage.AsSpan("reminder-".Length), CultureInfo.InvariantCulture) - 1].In(hours)),
        };
        if (state.AcknowledgedAt is { } acknowledged && calendar.Add(acknowledged, policy.Grace.In(hours)) is var rested && rested > planned)
            planned = rested;
        if (state.SnoozedUntil is { } snoozed && snoozed > planned)
            planned = snoozed;
        return planned > now ? new NudgeStep.Wait(planned) : new NudgeStep.Send(stage, KindOf(stage));
    }

    /// <summary>
    /// The index of the stage after <paramref name="stage"/>. A stage the policy no longer has (it changed since) counts
    /// by its place: a reminder beyond the new last one is followed by the lead's note, if any.
    /// </summary>
    private static int IndexAfter(IReadOnlyList<string> stages, string stage)
    {
        for (var i = 0; i < stages.Count; i++)
            if (stages[i] == stage)
                return i + 1;
        return stage switch
        {
            HeadsUp => 0,
            _ => stages.Count - (stages[^1] == Lead ? 1 : 0),
        };
    }
}
