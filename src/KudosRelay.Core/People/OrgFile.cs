using System.Globalization;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Escalations;

namespace KudosRelay.Core.People;

/// <summary>
/// The organisation as an org file describes it (people, teams, departments, digests), after
/// parsing and with every default applied. <see cref="OrgFileReader"/> builds it from YAML or JSON;
/// <see cref="ExportOrganisationHandler"/> builds it from the database.
/// </summary>
internal sealed record OrgDocument
{
    /// <summary>
    /// The language of channel posts for every team, department and digest without a locale of its own.
    /// Null when a file leaves it out: an import then keeps the one stored (<see cref="OrgDefaults.Locale"/> until a file sets one).
    /// </summary>
    public string? DefaultLocale { get; init; }

    /// <summary>
    /// The organisation's <c>nudges:</c> block: what every department without its own value follows. Null when a
    /// file leaves it out: an import then keeps the one stored. An export spells every field out.
    /// </summary>
    public OrgNudges? Nudges { get; init; }

    public IReadOnlyList<OrgPerson> People { get; init; } = [];
    public IReadOnlyList<OrgTeam> Teams { get; init; } = [];
    public IReadOnlyList<OrgDepartment> Departments { get; init; } = [];
    public IReadOnlyList<OrgDigest> Digests { get; init; } = [];
}

internal sealed record OrgPerson
{
    public required string Email { get; init; }
    public required string Name { get; init; }
    public string TimeZone { get; init; } = OrgDefaults.TimeZone;
    public string Locale { get; init; } = OrgDefaults.Locale;

    /// <summary>User id per chat platform, in that platform's own form (checked by the <see cref="IChatIdFormat"/> its adapter registers).</summary>
    public IReadOnlyDictionary<string, string> Identities { get; init; } = new Dictionary<string, string>();
}

internal sealed record OrgTeam
{
    public required string Key { get; init; }
    public required string Name { get; init; }
    public string? Lead { get; init; }

    /// <summary>E-mail addresses as written in the file; the importer resolves them to people.</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    /// <summary>Channel id per chat platform.</summary>
    public IReadOnlyDictionary<string, string> Channels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Customer kudos go to the team's channels by themselves (the default); when false, only when the
    /// praised agent presses "Share with the team" on their direct message.
    /// </summary>
    public bool PostKudos { get; init; } = true;

    /// <summary>The language of the team's channel posts; null follows the organisation's <see cref="OrgDocument.DefaultLocale"/>.</summary>
    public string? Locale { get; init; }
}

internal sealed record OrgDepartment
{
    public required string Key { get; init; }
    public required string Name { get; init; }
    public string? Lead { get; init; }
    public IReadOnlyList<string> Members { get; init; } = [];

    /// <summary>How long an escalation may wait, in business minutes.</summary>
    public int SlaMinutes { get; init; } = OrgDefaults.SlaMinutes;

    /// <summary>Start of the working day, minutes since local midnight.</summary>
    public int WorkStartMinute { get; init; } = OrgDefaults.WorkStartMinute;

    /// <summary>End of the working day, minutes since local midnight (1440 = midnight at the end of the day).</summary>
    public int WorkEndMinute { get; init; } = OrgDefaults.WorkEndMinute;

    /// <summary>Working days, Monday first, without repeats.</summary>
    public IReadOnlyList<DayOfWeek> WorkingDays { get; init; } = OrgDefaults.WorkingDays;
    public string TimeZone { get; init; } = OrgDefaults.TimeZone;
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];
    public IReadOnlyDictionary<string, string> Channels { get; init; } = new Dictionary<string, string>();

    /// <summary>The language of the department's channel posts; null follows the organisation's <see cref="OrgDocument.DefaultLocale"/>.</summary>
    public string? Locale { get; init; }

    /// <summary>The department's own <c>nudges:</c> values; null (or a field left null) follows the organisation's <see cref="OrgDocument.Nudges"/>.</summary>
    public OrgNudges? Nudges { get; init; }
}

/// <summary>
/// A <c>nudges:</c> block as written (see <see cref="NudgePolicy"/>): each field null when the block leaves it out,
/// so that a department's block can override some of the organisation's and follow it in the rest.
/// </summary>
internal sealed record OrgNudges
{
    public BusinessDuration? HeadsUpBefore { get; init; }
    public IReadOnlyList<BusinessDuration>? Reminders { get; init; }
    public bool? LeadNote { get; init; }
    public int? DailyBudget { get; init; }
    public int? WeeklyBudget { get; init; }
    public BusinessDuration? Grace { get; init; }

    public bool IsEmpty => HeadsUpBefore is null && Reminders is null && LeadNote is null && DailyBudget is null && WeeklyBudget is null && Grace is null;

    /// <summary>This block's values, and <paramref name="fallback"/>'s where it has none.</summary>
    public NudgePolicy Over(NudgePolicy fallback) => new()
    {
        HeadsUpBefore = HeadsUpBefore ?? fallback.HeadsUpBefore,
        Reminders = Reminders ?? fallback.Reminders,
        LeadNote = LeadNote ?? fallback.LeadNote,
        DailyBudget = DailyBudget ?? fallback.DailyBudget,
        WeeklyBudget = WeeklyBudget ?? fallback.WeeklyBudget,
        Grace = Grace ?? fallback.Grace,
    };

    /// <summary>Every field of <paramref name="policy"/> spelled out.</summary>
    public static OrgNudges Of(NudgePolicy policy) => new()
    {
        HeadsUpBefore = policy.HeadsUpBefore,
        Reminders = policy.Reminders,
        LeadNote = policy.LeadNote,
        DailyBudget = policy.DailyBudget,
        WeeklyBudget = policy.WeeklyBudget,
        Grace = policy.Grace,
    };

    /// <summary>The block as stored: one text per field (the form the org file uses), null where the block has none.</summary>
    public IReadOnlyDictionary<string, string?> ToStored() => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        [OrgNudgeFields.HeadsUpBefore] = HeadsUpBefore?.ToString(),
        [OrgNudgeFields.Reminders] = Reminders is null ? null : FormatReminders(Reminders),
        [OrgNudgeFields.LeadNote] = LeadNote is { } lead ? (lead ? "true" : "false") : null,
        [OrgNudgeFields.DailyBudget] = DailyBudget?.ToString(CultureInfo.InvariantCulture),
        [OrgNudgeFields.WeeklyBudget] = WeeklyBudget?.ToString(CultureInfo.InvariantCulture),
        [OrgNudgeFields.Grace] = Grace?.ToString(),
    };

    /// <summary>The block <see cref="ToStored"/> wrote; a value that does not read back is left out (it follows the level above).</summary>
    public static OrgNudges FromStored(Func<string, string?> stored) => new()
    {
        HeadsUpBefore = stored(OrgNudgeFields.HeadsUpBefore) is { } headsUp ? BusinessDuration.Parse(headsUp) : null,
        Reminders = stored(OrgNudgeFields.Reminders) is { } reminders ? ParseReminders(reminders) : null,
        LeadNote = stored(OrgNudgeFields.LeadNote) is { } lead && bool.TryParse(lead, out var note) ? note : null,
        DailyBudget = stored(OrgNudgeFields.DailyBudget) is { } daily && int.TryParse(daily, CultureInfo.InvariantCulture, out var perDay) ? perDay : null,
        WeeklyBudget = stored(OrgNudgeFields.WeeklyBudget) is { } weekly && int.TryParse(weekly, CultureInfo.InvariantCulture, out var perWeek) ? perWeek : null,
        Grace = stored(OrgNudgeFields.Grace) is { } grace ? BusinessDuration.Parse(grace) : null,
    };

    /// <summary>Reminder waits as stored: "4h,1d,2d"; "" for none.</summary>
    public static string FormatReminders(IEnumerable<BusinessDuration> reminders) => string.Join(',', reminders);

    /// <summary>Null when any wait does not read.</summary>
    public static IReadOnlyList<BusinessDuration>? ParseReminders(string stored)
    {
        var parts = stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(BusinessDuration.Parse).ToList();
        return parts.Any(part => part is null) ? null : parts.Select(part => part!.Value).ToList();
    }
}

/// <summary>The fields of a <c>nudges:</c> block, as the org file spells them (and the organisation's settings name them).</summary>
internal static class OrgNudgeFields
{
    public const string HeadsUpBefore = "headsUpBefore";
    public const string Reminders = "reminders";
    public const string LeadNote = "leadNote";
    public const string DailyBudget = "dailyBudget";
    public const string WeeklyBudget = "weeklyBudget";
    public const string Grace = "grace";

    public static readonly IReadOnlyList<string> All = [HeadsUpBefore, Reminders, LeadNote, DailyBudget, WeeklyBudget, Grace];
}

/// <summary>
/// A digest subscription. <see cref="ScopeKind"/> is one of <see cref="OrgScopeKinds"/>;
/// <see cref="ScopeKey"/> is the team or department key, null for the whole organisation.
/// </summary>
internal sealed record OrgDigest
{
    public required string Name { get; init; }
    public required string Platform { get; init; }
    public required string ChannelId { get; init; }
    public required string ScopeKind { get; init; }
    public string? ScopeKey { get; init; }
    public string Variant { get; init; } = OrgDefaults.DigestVariant;
    public DayOfWeek Day { get; init; } = OrgDefaults.DigestDay;
    public TimeOnly Time { get; init; } = OrgDefaults.DigestTime;
    public string TimeZone { get; init; } = OrgDefaults.TimeZone;
    public bool Enabled { get; init; } = true;

    /// <summary>The language of the digest; null follows the organisation's <see cref="OrgDocument.DefaultLocale"/>.</summary>
    public string? Locale { get; init; }
}

internal static class OrgScopeKinds
{
    public const string Team = "team";
    public const string Department = "department";
    public const string Organisation = "organisation";
}

internal static class OrgDigestVariants
{
    public const string Team = "team";
    public const string Manager = "manager";

    public static readonly IReadOnlyList<string> All = [Team, Manager];
}

/// <summary>The chat platforms an org file may name, as stored in identities and channels.</summary>
internal static class OrgPlatforms
{
    public const string Slack = "slack";
    public const string Teams = "teams";

    public static readonly IReadOnlyList<string> All = [Slack, Teams];
}

/// <summary>What an org file gets when it leaves a field out (the README documents the same values).</summary>
internal static class OrgDefaults
{
    public const string TimeZone = "UTC";
    public const string Locale = "en";

    // 8 business hours: one working day, the usual promise for an internal escalation.
    public const int SlaMinutes = 8 * 60;
    public const int WorkStartMinute = 9 * 60;
    public const int WorkEndMinute = 17 * 60;

    public static readonly IReadOnlyList<DayOfWeek> WorkingDays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public const string DigestVariant = OrgDigestVariants.Team;
    public const DayOfWeek DigestDay = DayOfWeek.Friday;
    public static readonly TimeOnly DigestTime = new(15, 0);
}

/// <summary>One problem with an org file: where (<c>teams[1].members[0]</c>) and what.</summary>
internal sealed record OrgError(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
