using KudosRelay.Core.Calendar;

namespace KudosRelay.Core.Escalations;

/// <summary>
/// How a department is nudged about an escalation: the org file's <c>nudges:</c> block of the department
/// over the organisation's over these defaults. Every length is working time of the department.
/// </summary>
internal sealed record NudgePolicy
{
    /// <summary>The default the org file documents: no heads-up; reminders after 4 hours, 1 and 2 working days; one note to the lead; 3 a day, 10 a week; a working day's grace.</summary>
    public static NudgePolicy Default { get; } = new();

    /// <summary>How long before the due time a heads-up goes out; zero for none.</summary>
    public BusinessDuration HeadsUpBefore { get; init; } = BusinessDuration.Zero;

    /// <summary>The waits after the nudge at the due time: reminder 1 follows it by the first, each next reminder the one before by the next.</summary>
    public IReadOnlyList<BusinessDuration> Reminders { get; init; } =
        [BusinessDuration.FromHours(4), BusinessDuration.FromDays(1), BusinessDuration.FromDays(2)];

    /// <summary>After the last reminder (and its wait once more), one note to the department's lead; then silence.</summary>
    public bool LeadNote { get; init; } = true;

    /// <summary>At most this many nudges a day reach one person, across every escalation.</summary>
    public int DailyBudget { get; init; } = 3;

    /// <summary>At most this many nudges a week reach one person, across every escalation.</summary>
    public int WeeklyBudget { get; init; } = 10;

    /// <summary>After "I'm on it", no reminder comes for this long.</summary>
    public BusinessDuration Grace { get; init; } = BusinessDuration.FromDays(1);
}
