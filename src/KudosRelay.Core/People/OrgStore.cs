using System.Data.Common;
using Dapper;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.People;

/// <summary>
/// The organisation tables: people, chat identities, teams, departments, digest subscriptions and the
/// organisation's own settings.
/// Reads the whole organisation at once (an org is hundreds or a few thousand rows) so that import
/// can diff against it in memory and export can write it out. Works inside the caller's transaction.
/// </summary>
internal sealed class OrgStore(SqlDialect dialect, DbTransaction transaction)
{
    public async Task<OrgSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var holidays = dialect switch
        {
            SqlDialect.Sqlite => "SELECT department_id AS OwnerId, holiday AS Holiday FROM department_holidays",
            // Style 23 is yyyy-mm-dd, the form SQLite stores and the org file uses.
            SqlDialect.SqlServer => "SELECT department_id AS OwnerId, CONVERT(char(10), holiday, 23) AS Holiday FROM department_holidays",
            _ => throw new NotSupportedException(dialect.ToString()),
        };
        return new OrgSnapshot
        {
            People = await QueryAsync<PersonRow>(SelectPeople, cancellationToken),
            Identities = await QueryAsync<IdentityRow>(SelectIdentities, cancellationToken),
            Teams = await QueryAsync<TeamRow>(SelectTeams, cancellationToken),
            TeamMembers = await QueryAsync<MemberRow>(SelectTeamMembers, cancellationToken),
            TeamChannels = await QueryAsync<ChannelRow>(SelectTeamChannels, cancellationToken),
            Departments = await QueryAsync<DepartmentRow>(SelectDepartments, cancellationToken),
            DepartmentMembers = await QueryAsync<MemberRow>(SelectDepartmentMembers, cancellationToken),
            DepartmentChannels = await QueryAsync<ChannelRow>(SelectDepartmentChannels, cancellationToken),
            DepartmentHolidays = await QueryAsync<HolidayRow>(holidays, cancellationToken),
            Digests = await QueryAsync<DigestRow>(SelectDigests, cancellationToken),
            Settings = await QueryAsync<SettingRow>(SelectSettings, cancellationToken),
        };
    }

    private const string SelectPeople =
        "SELECT id AS Id, email AS Email, display_name AS DisplayName, time_zone AS TimeZone, locale AS Locale FROM people";

    private const string SelectIdentities =
        "SELECT id AS Id, person_id AS PersonId, platform AS Platform, user_id AS UserId FROM chat_identities";

    // post_kudos is BIT on SQL Server and INTEGER on SQLite; the CASE makes both an integer.
    private const string SelectTeams =
        "SELECT id AS Id, team_key AS [Key], name AS Name, lead_person_id AS LeadPersonId, CASE WHEN post_kudos = 1 THEN 1 ELSE 0 END AS PostKudos, locale AS Locale FROM teams";

    private const string SelectTeamMembers = "SELECT team_id AS OwnerId, person_id AS PersonId FROM team_members";

    private const string SelectTeamChannels = "SELECT team_id AS OwnerId, platform AS Platform, channel_id AS ChannelId FROM team_channels";

    private const string SelectDepartments = """
        SELECT id AS Id, department_key AS [Key], name AS Name, lead_person_id AS LeadPersonId, sla_minutes AS SlaMinutes,
               work_start_minute AS WorkStartMinute, work_end_minute AS WorkEndMinute, working_days AS WorkingDays, time_zone AS TimeZone,
               locale AS Locale, nudge_heads_up_before AS NudgeHeadsUpBefore, nudge_reminders AS NudgeReminders,
               CASE WHEN nudge_lead_note IS NULL THEN NULL WHEN nudge_lead_note = 1 THEN 1 ELSE 0 END AS NudgeLeadNote,
               nudge_daily_budget AS NudgeDailyBudget, nudge_weekly_budget AS NudgeWeeklyBudget, nudge_grace AS NudgeGrace
        FROM departments
        """;

    private const string SelectDepartmentMembers = "SELECT department_id AS OwnerId, person_id AS PersonId FROM department_members";

    private const string SelectDepartmentChannels =
        "SELECT department_id AS OwnerId, platform AS Platform, channel_id AS ChannelId FROM department_channels";

    // enabled is BIT on SQL Server and INTEGER on SQLite; the CASE makes both an integer.
    private const string SelectDigests = """
        SELECT id AS Id, name AS Name, platform AS Platform, channel_id AS ChannelId, scope_kind AS ScopeKind, scope_key AS ScopeKey,
               variant AS Variant, day_of_week AS DayOfWeek, local_time AS LocalTime, time_zone AS TimeZone,
               CASE WHEN enabled = 1 THEN 1 ELSE 0 END AS Enabled, locale AS Locale
        FROM digest_subscriptions
        """;

    private const string SelectSettings = "SELECT setting_name AS Name, setting_value AS Value FROM organisation_settings";

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<T>(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken))).ToList();

    public Task<long> InsertPersonAsync(OrgPerson person, DateTime now, CancellationToken cancellationToken) =>
        InsertAsync("people", "email, display_name, time_zone, locale, created_at, updated_at",
            "@Email, @Name, @TimeZone, @Locale, @Now, @Now",
            new { person.Email, person.Name, person.TimeZone, person.Locale, Now = now }, cancellationToken);

    public Task UpdatePersonAsync(long id, OrgPerson person, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE people SET email = @Email, display_name = @Name, time_zone = @TimeZone, locale = @Locale, updated_at = @Now
            WHERE id = @Id
            """, new { Id = id, person.Email, person.Name, person.TimeZone, person.Locale, Now = now }, cancellationToken);

    // workspace_id and conversation_reference are learnt from the platform at run time, never from the file.
    public Task InsertIdentityAsync(long personId, string platform, string userId, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO chat_identities (person_id, platform, workspace_id, user_id, conversation_reference, updated_at)
            VALUES (@PersonId, @Platform, NULL, @UserId, NULL, @Now)
            """, new { PersonId = personId, Platform = platform, UserId = userId, Now = now }, cancellationToken);

    public Task UpdateIdentityAsync(long id, string userId, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE chat_identities SET user_id = @UserId, updated_at = @Now WHERE id = @Id",
            new { Id = id, UserId = userId, Now = now }, cancellationToken);

    public Task<long> InsertTeamAsync(OrgTeam team, long? leadId, DateTime now, CancellationToken cancellationToken) =>
        InsertAsync("teams", "team_key, name, lead_person_id, post_kudos, locale, created_at, updated_at", "@Key, @Name, @LeadId, @PostKudos, @Locale, @Now, @Now",
            new { team.Key, team.Name, LeadId = leadId, team.PostKudos, team.Locale, Now = now }, cancellationToken);

    public Task UpdateTeamAsync(long id, OrgTeam team, long? leadId, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE teams SET team_key = @Key, name = @Name, lead_person_id = @LeadId, post_kudos = @PostKudos, locale = @Locale, updated_at = @Now
            WHERE id = @Id
            """, new { Id = id, team.Key, team.Name, LeadId = leadId, team.PostKudos, team.Locale, Now = now }, cancellationToken);

    public async Task ReplaceTeamMembersAsync(long teamId, IEnumerable<long> personIds, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM team_members WHERE team_id = @Id", new { Id = teamId }, cancellationToken);
        await ExecuteAsync("INSERT INTO team_members (team_id, person_id) VALUES (@OwnerId, @PersonId)",
            personIds.Select(personId => new { OwnerId = teamId, PersonId = personId }).ToList(), cancellationToken);
    }

    public async Task ReplaceTeamChannelsAsync(long teamId, IReadOnlyDictionary<string, string> channels, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM team_channels WHERE team_id = @Id", new { Id = teamId }, cancellationToken);
        await ExecuteAsync("INSERT INTO team_channels (team_id, platform, channel_id) VALUES (@OwnerId, @Platform, @ChannelId)",
            channels.Select(channel => new { OwnerId = teamId, Platform = channel.Key, ChannelId = channel.Value }).ToList(), cancellationToken);
    }

    public Task<long> InsertDepartmentAsync(OrgDepartment department, long? leadId, DateTime now, CancellationToken cancellationToken) =>
        InsertAsync("departments",
            "department_key, name, lead_person_id, sla_minutes, work_start_minute, work_end_minute, working_days, time_zone, locale, "
                + "nudge_heads_up_before, nudge_reminders, nudge_lead_note, nudge_daily_budget, nudge_weekly_budget, nudge_grace, created_at, updated_at",
            "@Key, @Name, @LeadId, @SlaMinutes, @WorkStartMinute, @WorkEndMinute, @WorkingDays, @TimeZone, @Locale, "
                + "@NudgeHeadsUpBefore, @NudgeReminders, @NudgeLeadNote, @NudgeDailyBudget, @NudgeWeeklyBudget, @NudgeGrace, @Now, @Now",
            DepartmentParameters(0, department, leadId, now), cancellationToken);

    public Task UpdateDepartmentAsync(long id, OrgDepartment department, long? leadId, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE departments
            SET department_key = @Key, name = @Name, lead_person_id = @LeadId, sla_minutes = @SlaMinutes, work_start_minute = @WorkStartMinute,
                work_end_minute = @WorkEndMinute, working_days = @WorkingDays, time_zone = @TimeZone, locale = @Locale,
                nudge_heads_up_before = @NudgeHeadsUpBefore, nudge_reminders = @NudgeReminders, nudge_lead_note = @NudgeLeadNote,
                nudge_daily_budget = @NudgeDailyBudget, nudge_weekly_budget = @NudgeWeeklyBudget, nudge_grace = @NudgeGrace, updated_at = @Now
            WHERE id = @Id
            """, DepartmentParameters(id, department, leadId, now), cancellationToken);

    private static object DepartmentParameters(long id, OrgDepartment department, long? leadId, DateTime now)
    {
        var nudges = DepartmentNudges.ToRow(department.Nudges);
        return new
        {
            Id = id,
            department.Key,
            department.Name,
            LeadId = leadId,
            department.SlaMinutes,
            department.WorkStartMinute,
            department.WorkEndMinute,
            WorkingDays = OrgValues.FormatWorkingDays(department.WorkingDays),
            department.TimeZone,
            department.Locale,
            nudges.NudgeHeadsUpBefore,
            nudges.NudgeReminders,
            // BIT on SQL Server, INTEGER on SQLite: a boolean parameter fills either.
            NudgeLeadNote = nudges.NudgeLeadNote is { } lead ? lead == 1 : (bool?)null,
            nudges.NudgeDailyBudget,
            nudges.NudgeWeeklyBudget,
            nudges.NudgeGrace,
            Now = now,
        };
    }

    public async Task ReplaceDepartmentMembersAsync(long departmentId, IEnumerable<long> personIds, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM department_members WHERE department_id = @Id", new { Id = departmentId }, cancellationToken);
        await ExecuteAsync("INSERT INTO department_members (department_id, person_id) VALUES (@OwnerId, @PersonId)",
            personIds.Select(personId => new { OwnerId = departmentId, PersonId = personId }).ToList(), cancellationToken);
    }

    public async Task ReplaceDepartmentChannelsAsync(long departmentId, IReadOnlyDictionary<string, string> channels, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM department_channels WHERE department_id = @Id", new { Id = departmentId }, cancellationToken);
        await ExecuteAsync("INSERT INTO department_channels (department_id, platform, channel_id) VALUES (@OwnerId, @Platform, @ChannelId)",
            channels.Select(channel => new { OwnerId = departmentId, Platform = channel.Key, ChannelId = channel.Value }).ToList(), cancellationToken);
    }

    // Dates go in as yyyy-mm-dd text: SQLite keeps it as is, SQL Server converts it to DATE without any culture involved.
    public async Task ReplaceDepartmentHolidaysAsync(long departmentId, IEnumerable<DateOnly> holidays, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM department_holidays WHERE department_id = @Id", new { Id = departmentId }, cancellationToken);
        await ExecuteAsync("INSERT INTO department_holidays (department_id, holiday) VALUES (@OwnerId, @Holiday)",
            holidays.Select(holiday => new { OwnerId = departmentId, Holiday = OrgValues.FormatDate(holiday) }).ToList(), cancellationToken);
    }

    public Task InsertDigestAsync(OrgDigest digest, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO digest_subscriptions
                (name, platform, channel_id, scope_kind, scope_key, variant, day_of_week, local_time, time_zone, locale, enabled, created_at, updated_at)
            VALUES (@Name, @Platform, @ChannelId, @ScopeKind, @ScopeKey, @Variant, @DayOfWeek, @LocalTime, @TimeZone, @Locale, @Enabled, @Now, @Now)
            """, DigestParameters(0, digest, now), cancellationToken);

    public Task UpdateDigestAsync(long id, OrgDigest digest, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE digest_subscriptions
            SET name = @Name, platform = @Platform, channel_id = @ChannelId, scope_kind = @ScopeKind, scope_key = @ScopeKey, variant = @Variant,
                day_of_week = @DayOfWeek, local_time = @LocalTime, time_zone = @TimeZone, locale = @Locale, enabled = @Enabled, updated_at = @Now
            WHERE id = @Id
            """, DigestParameters(id, digest, now), cancellationToken);

    private static object DigestParameters(long id, OrgDigest digest, DateTime now) => new
    {
        Id = id,
        digest.Name,
        digest.Platform,
        digest.ChannelId,
        digest.ScopeKind,
        digest.ScopeKey,
        digest.Variant,
        DayOfWeek = OrgValues.IsoDayNumber(digest.Day),
        LocalTime = OrgValues.FormatTime(digest.Time),
        digest.TimeZone,
        digest.Locale,
        digest.Enabled,
        Now = now,
    };

    public Task InsertSettingAsync(string name, string value, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO organisation_settings (setting_name, setting_value, updated_at) VALUES (@Name, @Value, @Now)",
            new { Name = name, Value = value, Now = now }, cancellationToken);

    public Task UpdateSettingAsync(string name, string value, DateTime now, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE organisation_settings SET setting_value = @Value, updated_at = @Now WHERE setting_name = @Name",
            new { Name = name, Value = value, Now = now }, cancellationToken);

    public Task DeleteSettingAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM organisation_settings WHERE setting_name = @Name", new { Name = name }, cancellationToken);

    private async Task<long> InsertAsync(string table, string columns, string values, object parameters, CancellationToken cancellationToken)
    {
        // table, columns and values are constants of this class, never input.
        return await transaction.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(dialect.InsertReturningId(table, columns, values), parameters, transaction, cancellationToken: cancellationToken));
    }

    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
}

/// <summary>The settings of the organisation as a whole, one row each in <c>organisation_settings</c>.</summary>
internal static class OrgSettings
{
    /// <summary>The org file's <c>defaultLocale</c>: the language of every team, department and digest without a locale of its own.</summary>
    public const string DefaultLocale = "defaultLocale";

    /// <summary>
    /// SQL for the default locale at the moment a message is written: the stored one, else <see cref="OrgDefaults.Locale"/>.
    /// A team, department or digest speaks <c>COALESCE(t.locale, {DefaultLocaleSql})</c>; resolving it here rather than
    /// at import means a changed default reaches every entry that has no locale of its own.
    /// </summary>
    public const string DefaultLocaleSql =
        $"COALESCE((SELECT s.setting_value FROM organisation_settings s WHERE s.setting_name = '{DefaultLocale}'), '{OrgDefaults.Locale}')";

    /// <summary>
    /// The organisation's <c>nudges:</c> block is one setting per field, named <c>nudges.</c> and the field
    /// (<c>nudges.reminders</c>), holding the org file's text ("4h,1d,2d"); a field without a row has its default.
    /// </summary>
    public const string NudgesPrefix = "nudges.";

    public static string Nudge(string field) => NudgesPrefix + field;

    /// <summary>The organisation's nudges block as <paramref name="settings"/> hold it (fields without a row are null).</summary>
    public static OrgNudges Nudges(IEnumerable<SettingRow> settings)
    {
        var stored = settings.Where(setting => setting.Name.StartsWith(NudgesPrefix, StringComparison.Ordinal))
            .ToDictionary(setting => setting.Name[NudgesPrefix.Length..], setting => setting.Value, StringComparer.Ordinal);
        return OrgNudges.FromStored(stored.GetValueOrDefault);
    }
}

/// <summary>A department's own nudges block in the departments table's <c>nudge_*</c> columns (NULL follows the organisation).</summary>
internal static class DepartmentNudges
{
    public static DepartmentNudgeColumns ToRow(OrgNudges? nudges) => new(
        nudges?.HeadsUpBefore?.ToString(),
        nudges?.Reminders is { } reminders ? OrgNudges.FormatReminders(reminders) : null,
        nudges?.LeadNote is { } lead ? (lead ? 1 : 0) : null,
        nudges?.DailyBudget,
        nudges?.WeeklyBudget,
        nudges?.Grace?.ToString());

    /// <summary>The block the columns hold; null when the department has none of its own.</summary>
    public static OrgNudges? FromRow(DepartmentNudgeColumns row)
    {
        var nudges = new OrgNudges
        {
            HeadsUpBefore = row.NudgeHeadsUpBefore is { } headsUp ? BusinessDuration.Parse(headsUp) : null,
            Reminders = row.NudgeReminders is { } reminders ? OrgNudges.ParseReminders(reminders) : null,
            LeadNote = row.NudgeLeadNote is { } lead ? lead == 1 : null,
            DailyBudget = row.NudgeDailyBudget,
            WeeklyBudget = row.NudgeWeeklyBudget,
            Grace = row.NudgeGrace is { } grace ? BusinessDuration.Parse(grace) : null,
        };
        return nudges.IsEmpty ? null : nudges;
    }
}

/// <summary>The <c>nudge_*</c> columns of a department row.</summary>
internal sealed record DepartmentNudgeColumns(
    string? NudgeHeadsUpBefore, string? NudgeReminders, int? NudgeLeadNote, int? NudgeDailyBudget, int? NudgeWeeklyBudget, string? NudgeGrace);

/// <summary>Every row of the organisation tables, as the database holds them.</summary>
internal sealed record OrgSnapshot
{
    public IReadOnlyList<PersonRow> People { get; init; } = [];
    public IReadOnlyList<IdentityRow> Identities { get; init; } = [];
    public IReadOnlyList<TeamRow> Teams { get; init; } = [];
    public IReadOnlyList<MemberRow> TeamMembers { get; init; } = [];
    public IReadOnlyList<ChannelRow> TeamChannels { get; init; } = [];
    public IReadOnlyList<DepartmentRow> Departments { get; init; } = [];
    public IReadOnlyList<MemberRow> DepartmentMembers { get; init; } = [];
    public IReadOnlyList<ChannelRow> DepartmentChannels { get; init; } = [];
    public IReadOnlyList<HolidayRow> DepartmentHolidays { get; init; } = [];
    public IReadOnlyList<DigestRow> Digests { get; init; } = [];
    public IReadOnlyList<SettingRow> Settings { get; init; } = [];

    /// <summary>The organisation's default locale as stored; null until a file sets one (then <see cref="OrgDefaults.Locale"/> applies).</summary>
    public string? DefaultLocale => Settings.FirstOrDefault(setting => setting.Name == OrgSettings.DefaultLocale)?.Value;

    /// <summary>What an org file may refer to without listing it itself.</summary>
    public OrgKnown Known()
    {
        var emails = People.ToDictionary(person => person.Id, person => person.Email);
        return new OrgKnown
        {
            PeopleEmails = People.Select(person => person.Email).ToHashSet(StringComparer.OrdinalIgnoreCase),
            TeamKeys = Teams.Select(team => team.Key).ToHashSet(StringComparer.OrdinalIgnoreCase),
            DepartmentKeys = Departments.Select(department => department.Key).ToHashSet(StringComparer.OrdinalIgnoreCase),
            IdentityOwners = Identities
                .GroupBy(identity => (identity.Platform, identity.UserId))
                .ToDictionary(group => group.Key, group => emails[group.First().PersonId]),
        };
    }
}

internal sealed record PersonRow
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string Locale { get; init; } = "";
}

internal sealed record IdentityRow
{
    public long Id { get; init; }
    public long PersonId { get; init; }
    public string Platform { get; init; } = "";
    public string UserId { get; init; } = "";
}

internal sealed record TeamRow
{
    public long Id { get; init; }
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public long? LeadPersonId { get; init; }
    public int PostKudos { get; init; }
    public string? Locale { get; init; }
}

/// <summary>A team or department membership.</summary>
internal sealed record MemberRow
{
    public long OwnerId { get; init; }
    public long PersonId { get; init; }
}

/// <summary>A team or department channel.</summary>
internal sealed record ChannelRow
{
    public long OwnerId { get; init; }
    public string Platform { get; init; } = "";
    public string ChannelId { get; init; } = "";
}

internal sealed record DepartmentRow
{
    public long Id { get; init; }
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public long? LeadPersonId { get; init; }
    public int SlaMinutes { get; init; }
    public int WorkStartMinute { get; init; }
    public int WorkEndMinute { get; init; }
    public string WorkingDays { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string? Locale { get; init; }
    public string? NudgeHeadsUpBefore { get; init; }
    public string? NudgeReminders { get; init; }
    public int? NudgeLeadNote { get; init; }
    public int? NudgeDailyBudget { get; init; }
    public int? NudgeWeeklyBudget { get; init; }
    public string? NudgeGrace { get; init; }

    public DepartmentNudgeColumns NudgeColumns => new(NudgeHeadsUpBefore, NudgeReminders, NudgeLeadNote, NudgeDailyBudget, NudgeWeeklyBudget, NudgeGrace);
}

internal sealed record HolidayRow
{
    public long OwnerId { get; init; }
    public string Holiday { get; init; } = "";
}

internal sealed record DigestRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Platform { get; init; } = "";
    public string ChannelId { get; init; } = "";
    public string ScopeKind { get; init; } = "";
    public string? ScopeKey { get; init; }
    public string Variant { get; init; } = "";
    public int DayOfWeek { get; init; }
    public string LocalTime { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public int Enabled { get; init; }
    public string? Locale { get; init; }
}

/// <summary>One setting of the organisation as a whole (see <see cref="OrgSettings"/>).</summary>
internal sealed record SettingRow
{
    public string Name { get; init; } = "";
    public string Value { get; init; } = "";
}
