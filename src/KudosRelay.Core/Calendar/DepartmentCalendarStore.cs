using System.Data.Common;
using Dapper;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Calendar;

/// <summary>A department's promise, working time and nudge policy, as the org file set them.</summary>
internal sealed class DepartmentHours(long departmentId, string key, TimeSpan sla, BusinessHours hours)
{
    public long DepartmentId { get; } = departmentId;
    public string Key { get; } = key;
    public TimeSpan Sla { get; } = sla;
    public BusinessHours Hours { get; } = hours;

    /// <summary>One calendar for the department, reused by every question about it (it remembers the days it laid out).</summary>
    public BusinessCalendar Calendar { get; } = new(hours);

    /// <summary>The department's own <c>nudges:</c> values over the organisation's over the defaults.</summary>
    public NudgePolicy Nudges { get; init; } = NudgePolicy.Default;

    /// <summary>When an escalation raised at <paramref name="raisedAt"/> is due: the SLA counted in the department's working time.</summary>
    public DateTimeOffset DueAt(DateTimeOffset raisedAt) => Calendar.Add(raisedAt, Sla);
}

/// <summary>
/// Reads departments' working hours (zone, hours, days, holidays), SLA and nudge policy from the organisation tables,
/// in the caller's transaction.
/// </summary>
internal sealed class DepartmentCalendarStore(Db db)
{
    /// <summary>The department's hours; null when there is no such department.</summary>
    public async Task<DepartmentHours?> LoadAsync(DbTransaction transaction, long departmentId, CancellationToken cancellationToken)
    {
        var row = await transaction.Connection!.QuerySingleOrDefaultAsync<HoursRow>(new CommandDefinition(
            SelectDepartment + " WHERE id = @Id", new { Id = departmentId }, transaction, cancellationToken: cancellationToken));
        if (row is null)
            return null;
        var holidays = await transaction.Connection!.QueryAsync<HolidayRow>(new CommandDefinition(
            SelectHolidays + " WHERE department_id = @Id", new { Id = departmentId }, transaction, cancellationToken: cancellationToken));
        return Hours(row, holidays, await OrganisationNudgesAsync(transaction, cancellationToken));
    }

    /// <summary>Every department's hours by id (an organisation has tens of departments: one read serves a sweep).</summary>
    public async Task<IReadOnlyDictionary<long, DepartmentHours>> LoadAllAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        var rows = await transaction.Connection!.QueryAsync<HoursRow>(new CommandDefinition(SelectDepartment, transaction: transaction, cancellationToken: cancellationToken));
        var holidays = (await transaction.Connection!.QueryAsync<HolidayRow>(new CommandDefinition(SelectHolidays, transaction: transaction, cancellationToken: cancellationToken)))
            .ToLookup(holiday => holiday.OwnerId);
        var organisation = await OrganisationNudgesAsync(transaction, cancellationToken);
        return rows.ToDictionary(row => row.Id, row => Hours(row, holidays[row.Id], organisation));
    }

    private static async Task<NudgePolicy> OrganisationNudgesAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        var settings = await transaction.Connection!.QueryAsync<SettingRow>(new CommandDefinition(SelectNudgeSettings, transaction: transaction, cancellationToken: cancellationToken));
        return OrgSettings.Nudges(settings).Over(NudgePolicy.Default);
    }

    private const string SelectNudgeSettings =
        $"SELECT setting_name AS Name, setting_value AS Value FROM organisation_settings WHERE setting_name LIKE '{OrgSettings.NudgesPrefix}%'";

    private const string SelectDepartment = """
        SELECT id AS Id, department_key AS [Key], sla_minutes AS SlaMinutes, work_start_minute AS WorkStartMinute,
               work_end_minute AS WorkEndMinute, working_days AS WorkingDays, time_zone AS TimeZone,
               nudge_heads_up_before AS NudgeHeadsUpBefore, nudge_reminders AS NudgeReminders,
               CASE WHEN nudge_lead_note IS NULL THEN NULL WHEN nudge_lead_note = 1 THEN 1 ELSE 0 END AS NudgeLeadNote,
               nudge_daily_budget AS NudgeDailyBudget, nudge_weekly_budget AS NudgeWeeklyBudget, nudge_grace AS NudgeGrace
        FROM departments
        """;

    private string SelectHolidays => db.Dialect switch
    {
        SqlDialect.Sqlite => "SELECT department_id AS OwnerId, holiday AS Holiday FROM department_holidays",
        // Style 23 is yyyy-mm-dd, the form SQLite stores and the org file uses.
        SqlDialect.SqlServer => "SELECT department_id AS OwnerId, CONVERT(char(10), holiday, 23) AS Holiday FROM department_holidays",
        _ => throw new NotSupportedException(db.Dialect.ToString()),
    };

    private static DepartmentHours Hours(HoursRow row, IEnumerable<HolidayRow> holidays, NudgePolicy organisation) => new(
        row.Id,
        row.Key,
        TimeSpan.FromMinutes(row.SlaMinutes),
        new BusinessHours(
            TimeZones.Find(row.TimeZone),
            row.WorkStartMinute,
            row.WorkEndMinute,
            OrgValues.ParseWorkingDays(row.WorkingDays),
            holidays.Select(holiday => OrgValues.ParseDate(holiday.Holiday)).OfType<DateOnly>().Order().ToList()))
    {
        Nudges = DepartmentNudges.FromRow(new(row.NudgeHeadsUpBefore, row.NudgeReminders, row.NudgeLeadNote, row.NudgeDailyBudget, row.NudgeWeeklyBudget, row.NudgeGrace))
            is { } own ? own.Over(organisation) : organisation,
    };

    private sealed record HoursRow
    {
        public long Id { get; init; }
        public string Key { get; init; } = "";
        public int SlaMinutes { get; init; }
        public int WorkStartMinute { get; init; }
        public int WorkEndMinute { get; init; }
        public string WorkingDays { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public string? NudgeHeadsUpBefore { get; init; }
        public string? NudgeReminders { get; init; }
        public int? NudgeLeadNote { get; init; }
        public int? NudgeDailyBudget { get; init; }
        public int? NudgeWeeklyBudget { get; init; }
        public string? NudgeGrace { get; init; }
    }
}
