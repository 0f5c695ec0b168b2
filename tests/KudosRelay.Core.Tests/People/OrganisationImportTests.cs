using System.Text.Json;
using Dapper;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.People;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.People;

/// <summary>Import and export against a real database; runs on SQLite always and on SQL Server when configured.</summary>
public abstract class OrganisationImportTests(DatabaseKind kind)
{
    private readonly ManualClock clock = new();

    [DatabaseFact]
    public async Task Importing_a_file_creates_everything_it_lists()
    {
        await using var database = await TestDatabase.CreateAsync(kind);

        var result = await Import(database, OrgSamples.Yaml);

        Assert.Empty(result.Errors);
        var summary = result.Summary!;
        Assert.Equal(new OrgImportCounts(2, 0, 0), summary.Settings);
        Assert.Equal(new OrgImportCounts(3, 0, 0), summary.People);
        Assert.Equal(new OrgImportCounts(3, 0, 0), summary.ChatIdentities);
        Assert.Equal(new OrgImportCounts(1, 0, 0), summary.Teams);
        Assert.Equal(new OrgImportCounts(1, 0, 0), summary.Departments);
        Assert.Equal(new OrgImportCounts(2, 0, 0), summary.Digests);
        var billing = await Single<DepartmentRow>(database, """
            SELECT sla_minutes AS SlaMinutes, work_start_minute AS WorkStartMinute, work_end_minute AS WorkEndMinute,
                   working_days AS WorkingDays, time_zone AS TimeZone
            FROM departments WHERE department_key = 'billing'
            """);
        Assert.Equal((90, 540, 1080, "Mon,Tue,Wed,Thu,Fri", "Europe/Bucharest"),
            (billing.SlaMinutes, billing.WorkStartMinute, billing.WorkEndMinute, billing.WorkingDays, billing.TimeZone));
        Assert.Equal(2, await Count(database, "department_holidays"));
        Assert.Equal(2, await Count(database, "team_members"));
        Assert.Equal(2, await Count(database, "team_channels"));
        var weekly = await Single<DigestRow>(database, """
            SELECT scope_kind AS ScopeKind, scope_key AS ScopeKey, day_of_week AS DayOfWeek, local_time AS LocalTime
            FROM digest_subscriptions WHERE name = 'care-weekly'
            """);
        Assert.Equal(("team", "care", 5, "15:00"), (weekly.ScopeKind, weekly.ScopeKey, weekly.DayOfWeek, weekly.LocalTime));
        Assert.Equal("6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b", await Scalar<string>(database, """
            SELECT i.user_id FROM chat_identities i JOIN people p ON p.id = i.person_id
            WHERE p.email = 'ana@example.com' AND i.platform = 'teams'
            """));
    }

    [DatabaseFact]
    public async Task Importing_the_same_file_twice_creates_nothing_the_second_time()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Yaml);

        var second = (await Import(database, OrgSamples.Yaml)).Summary!;

        Assert.Equal(0, second.TotalCreated);
        Assert.Equal(0, second.TotalUpdated);
        Assert.Equal(new OrgImportCounts(0, 0, 2), second.Settings);
        Assert.Equal(new OrgImportCounts(0, 0, 3), second.People);
        Assert.Equal(new OrgImportCounts(0, 0, 2), second.Digests);
        Assert.Equal(3, await Count(database, "people"));
    }

    [DatabaseFact]
    public async Task Json_and_yaml_of_the_same_organisation_are_interchangeable()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Json);

        var second = (await Import(database, OrgSamples.Yaml)).Summary!;

        Assert.Equal(0, second.TotalCreated + second.TotalUpdated);
    }

    [DatabaseFact]
    public async Task A_changed_name_and_changed_team_members_are_updated_and_nothing_else_is_touched()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Yaml);
        var importedAt = clock.GetUtcNow().UtcDateTime;
        clock.Advance(TimeSpan.FromDays(1));
        var changed = OrgSamples.Yaml
            .Replace("name: Ana Petrova", "name: Ana Georgieva", StringComparison.Ordinal)
            .Replace("members: [ana@example.com, lead@example.com]", "members: [ana@example.com, mihai@example.com]", StringComparison.Ordinal);

        var summary = (await Import(database, changed)).Summary!;

        Assert.Equal(new OrgImportCounts(0, 1, 2), summary.People);
        Assert.Equal(new OrgImportCounts(0, 1, 0), summary.Teams);
        Assert.Equal(new OrgImportCounts(0, 0, 1), summary.Departments);
        Assert.Equal("Ana Georgieva", await Scalar<string>(database, "SELECT display_name FROM people WHERE email = 'ana@example.com'"));
        var members = await database.Db.WithConnectionAsync(c => c.QueryAsync<string>(
            "SELECT p.email FROM team_members m JOIN people p ON p.id = m.person_id ORDER BY p.email"), CancellationToken.None);
        Assert.Equal(["ana@example.com", "mihai@example.com"], members);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, await Scalar<DateTime>(database, "SELECT updated_at FROM people WHERE email = 'ana@example.com'"));
        Assert.Equal(importedAt, await Scalar<DateTime>(database, "SELECT updated_at FROM people WHERE email = 'lead@example.com'"));
    }

    [DatabaseFact]
    public async Task Turning_channel_posting_off_for_a_team_is_an_update_and_is_exported_as_written()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Yaml);
        var quiet = OrgSamples.Yaml.Replace("channels: { slack: C012CARE, teams: \"19:abc@thread.tacv2\" }",
            "channels: { slack: C012CARE, teams: \"19:abc@thread.tacv2\" }\n    postKudos: false", StringComparison.Ordinal);
        Assert.NotEqual(OrgSamples.Yaml, quiet);

        var off = (await Import(database, quiet)).Summary!;
        var exported = await new ExportOrganisationHandler(database.Db).ExportAsync(OrgExportFormat.Yaml, CancellationToken.None);
        var on = (await Import(database, OrgSamples.Yaml)).Summary!;

        Assert.Equal(new OrgImportCounts(0, 1, 0), off.Teams);
        Assert.Contains("postKudos: false", exported, StringComparison.Ordinal);
        Assert.Equal(new OrgImportCounts(0, 1, 0), on.Teams);
        Assert.Equal(1, await Scalar<int>(database, "SELECT CASE WHEN post_kudos = 1 THEN 1 ELSE 0 END FROM teams WHERE team_key = 'care'"));
    }

    [DatabaseFact]
    public async Task A_listed_department_gets_exactly_the_holidays_and_channels_of_the_file()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Yaml);
        var changed = OrgSamples.Yaml
            .Replace("holidays: [2026-12-25, 2026-12-24]", "holidays: [2027-01-01]", StringComparison.Ordinal)
            .Replace("channels: { slack: C012BILL }", "channels: { teams: \"19:bill@thread.tacv2\" }", StringComparison.Ordinal);

        var summary = (await Import(database, changed)).Summary!;

        Assert.Equal(new OrgImportCounts(0, 1, 0), summary.Departments);
        var export = await new ExportOrganisationHandler(database.Db).ExportAsync(OrgExportFormat.Yaml, CancellationToken.None);
        Assert.Contains("holidays: [\"2027-01-01\"]", export, StringComparison.Ordinal);
        Assert.Contains("channels: {teams: \"19:bill@thread.tacv2\"}", export, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Entries_not_in_the_file_are_left_alone_and_may_be_referred_to()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Yaml);

        var result = await Import(database, """
            teams:
              - { key: night, name: Night shift, lead: mihai@example.com, members: [ana@example.com] }
            digests:
              - { name: billing-weekly, channel: { slack: C012BILL }, scope: { department: billing }, variant: manager }
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(new OrgImportCounts(1, 0, 0), result.Summary!.Teams);
        Assert.Equal(new OrgImportCounts(0, 0, 0), result.Summary.People);
        Assert.Equal(2, await Count(database, "teams"));
        Assert.Equal(3, await Count(database, "people"));
        Assert.Equal(3, await Count(database, "digest_subscriptions"));
    }

    [DatabaseFact]
    public async Task A_stored_conversation_reference_survives_a_reimport_that_changes_the_user_id()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Yaml);
        await database.Db.WithConnectionAsync(c => c.ExecuteAsync(
            "UPDATE chat_identities SET conversation_reference = '{\"conversation\":{\"id\":\"a:1\"}}', workspace_id = 'tenant-1' WHERE platform = 'teams'"),
            CancellationToken.None);
        var changed = OrgSamples.Yaml.Replace("6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b", "00000000-1111-2222-3333-444444444444", StringComparison.Ordinal);

        var summary = (await Import(database, changed)).Summary!;

        Assert.Equal(new OrgImportCounts(0, 1, 2), summary.ChatIdentities);
        var identity = await Single<IdentityState>(database,
            "SELECT user_id AS UserId, workspace_id AS WorkspaceId, conversation_reference AS ConversationReference FROM chat_identities WHERE platform = 'teams'");
        Assert.Equal(("00000000-1111-2222-3333-444444444444", "tenant-1", "{\"conversation\":{\"id\":\"a:1\"}}"),
            (identity.UserId, identity.WorkspaceId, identity.ConversationReference));
    }

    [DatabaseFact]
    public async Task A_file_with_many_mistakes_is_refused_whole_with_every_error_and_writes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(kind);

        // The reader's file plus one mistake only the database can reveal: a member nobody knows.
        var file = OrgFileReaderTests.ManyMistakes.Replace("members: [ana@example.com]", "members: [ghost@example.com]", StringComparison.Ordinal);

        var result = await Import(database, file);

        Assert.Null(result.Summary);
        Assert.Equal(
            OrgFileReaderTests.ManyMistakesPaths.Append("teams[0].members[0]").Order(StringComparer.Ordinal),
            result.Errors.Select(error => error.Path).Order(StringComparer.Ordinal));
        Assert.Contains(new OrgError("teams[0].members[0]", "'ghost@example.com' is not a person in this file or the database"), result.Errors);
        Assert.Contains(new OrgError("people[2].email", "'ana@' is not an e-mail address"), result.Errors);
        Assert.Contains(new OrgError("departments[0].timeZone", "'Europe/Bucharst' is not a known IANA time zone"), result.Errors);
        Assert.Contains(new OrgError("people[0].emial", "unknown field (did you mean 'email'?)"), result.Errors);
        Assert.Contains(new OrgError("teams[1].members", "expected a list, not the value 'x@example.com'"), result.Errors);
        Assert.Equal(0, await Count(database, "people"));
        Assert.Equal(0, await Count(database, "teams"));
    }

    [DatabaseFact]
    public async Task One_bad_reference_keeps_the_valid_rest_of_the_file_out_of_the_database()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var file = OrgSamples.Yaml.Replace("members: [mihai@example.com]", "members: [mihai@example.com, ghost@example.com]", StringComparison.Ordinal);

        var result = await Import(database, file);

        Assert.Equal([new OrgError("departments[0].members[1]", "'ghost@example.com' is not a person in this file or the database")], result.Errors);
        Assert.Equal(0, await Count(database, "people"));
        Assert.Equal(0, await Count(database, "departments"));
    }

    [DatabaseFact]
    public async Task Yaml_export_imports_into_an_empty_database_to_the_same_state()
    {
        await RoundTrip(OrgExportFormat.Yaml);
    }

    [DatabaseFact]
    public async Task Json_export_imports_into_an_empty_database_to_the_same_state()
    {
        await RoundTrip(OrgExportFormat.Json);
    }

    private async Task RoundTrip(OrgExportFormat format)
    {
        await using var first = await TestDatabase.CreateAsync(kind);
        await Import(first, OrgSamples.Yaml);
        await Import(first, "people: [{ email: zed@example.com, name: 'null' }]\ndigests: [{ name: paused, channel: { slack: C9 }, scope: { organisation: true }, enabled: false }]\nteams: [{ key: quiet, name: Quiet, channels: { slack: C8 }, postKudos: false }]\ndepartments: [{ key: ops, name: Ops, locale: ro-RO }]");
        var exported = await new ExportOrganisationHandler(first.Db).ExportAsync(format, CancellationToken.None);
        await using var second = await TestDatabase.CreateAsync(kind);

        var imported = await Import(second, exported);
        var reexported = await new ExportOrganisationHandler(second.Db).ExportAsync(format, CancellationToken.None);
        var again = (await Import(first, exported)).Summary!;

        Assert.Empty(imported.Errors);
        Assert.Equal(exported, reexported);
        Assert.Equal(0, again.TotalCreated + again.TotalUpdated);
        Assert.Equal(4, await Count(second, "people"));
        if (format == OrgExportFormat.Json)
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(exported).RootElement.ValueKind);
    }

    [DatabaseFact]
    public async Task A_team_without_its_own_locale_speaks_the_default_locale_and_follows_it_when_it_changes()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, "teams: [{ key: care, name: Care }, { key: sofia, name: Sofia, locale: bg }]");
        var before = (await TeamLocale(database, "care"), await TeamLocale(database, "sofia"));

        var set = (await Import(database, "defaultLocale: ru")).Summary!;
        var russian = (await TeamLocale(database, "care"), await TeamLocale(database, "sofia"));
        var changed = (await Import(database, "defaultLocale: ro")).Summary!;
        var kept = (await Import(database, "people: [{ email: zed@example.com, name: Zed }]")).Summary!;

        Assert.Equal(("en", "bg"), before);
        Assert.Equal(("ru", "bg"), russian);
        Assert.Equal(new OrgImportCounts(1, 0, 0), set.Settings);
        Assert.Equal(new OrgImportCounts(0, 1, 0), changed.Settings);
        Assert.Equal(new OrgImportCounts(0, 0, 0), changed.Teams);
        Assert.Equal(new OrgImportCounts(0, 0, 0), kept.Settings);
        Assert.Equal(("ro", "bg"), (await TeamLocale(database, "care"), await TeamLocale(database, "sofia")));
        Assert.Null(await Scalar<string?>(database, "SELECT locale FROM teams WHERE team_key = 'care'"));
        var careId = await Scalar<long>(database, "SELECT id FROM teams WHERE team_key = 'care'");
        var byId = await database.Db.InTransactionAsync((_, transaction) => PeopleLookup.FindTeamByIdAsync(transaction, careId, CancellationToken.None), CancellationToken.None);
        Assert.Equal("ro", byId!.Locale);
    }

    [DatabaseFact]
    public async Task A_team_member_finds_the_team_with_its_effective_locale()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Yaml);
        var lead = await Scalar<long>(database, "SELECT id FROM people WHERE email = 'lead@example.com'");

        var team = await database.Db.InTransactionAsync((_, transaction) => PeopleLookup.FindTeamAsync(transaction, null, lead, CancellationToken.None), CancellationToken.None);

        Assert.Equal(("care", "bg"), (team!.TeamKey, team.Locale));
    }

    [DatabaseFact]
    public async Task A_team_whose_locale_is_taken_away_is_updated_follows_the_default_and_exports_without_one()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Yaml);
        var following = OrgSamples.Yaml.Replace("    locale: bg\ndepartments:", "departments:", StringComparison.Ordinal);
        Assert.NotEqual(OrgSamples.Yaml, following);

        var removed = (await Import(database, following)).Summary!;
        var exported = await new ExportOrganisationHandler(database.Db).ExportAsync(OrgExportFormat.Yaml, CancellationToken.None);
        var again = (await Import(database, exported)).Summary!;

        Assert.Equal(new OrgImportCounts(0, 1, 0), removed.Teams);
        Assert.Equal("ru", await TeamLocale(database, "care"));
        Assert.StartsWith("defaultLocale: ru\n", exported, StringComparison.Ordinal);
        Assert.Null(Assert.Single(new OrgFileReader(StandInIdFormats.All).Read(exported).Document!.Teams).Locale);
        Assert.Equal(0, again.TotalCreated + again.TotalUpdated);
    }

    [DatabaseFact]
    public async Task An_unknown_locale_on_a_team_refuses_the_file_with_the_field_path_and_writes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var file = OrgSamples.Yaml.Replace("    locale: bg\ndepartments:", "    locale: xx-YY\ndepartments:", StringComparison.Ordinal);

        var result = await Import(database, file);

        Assert.Equal([new OrgError("teams[0].locale", "'xx-YY' is not a known locale")], result.Errors);
        Assert.Equal(0, await Count(database, "teams"));
        Assert.Equal(0, await Count(database, "organisation_settings"));
    }

    [DatabaseFact]
    public async Task Nudge_values_that_differ_from_the_defaults_are_stored_and_a_department_gets_its_own_over_the_organisations()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Yaml);

        var settings = await database.Db.WithConnectionAsync(c => c.QueryAsync<(string, string)>(
            "SELECT setting_name, setting_value FROM organisation_settings WHERE setting_name LIKE 'nudges.%' ORDER BY setting_name"), CancellationToken.None);
        var billing = await Scalar<long>(database, "SELECT id FROM departments WHERE department_key = 'billing'");
        var hours = await database.Db.InTransactionAsync((_, transaction) => new DepartmentCalendarStore(database.Db).LoadAsync(transaction, billing, CancellationToken.None), CancellationToken.None);

        Assert.Equal([("nudges.dailyBudget", "4"), ("nudges.headsUpBefore", "30m"), ("nudges.reminders", "2h,1d,2d")], settings);
        var policy = hours!.Nudges;
        Assert.Equal(BusinessDuration.FromMinutes(30), policy.HeadsUpBefore);
        Assert.Equal([BusinessDuration.FromHours(4), BusinessDuration.FromDays(1)], policy.Reminders);
        Assert.False(policy.LeadNote);
        Assert.Equal((4, 10), (policy.DailyBudget, policy.WeeklyBudget));
        Assert.Equal(new BusinessDuration(0, 270), policy.Grace);
    }

    [DatabaseFact]
    public async Task A_nudges_block_replaces_the_organisations_whole_and_a_file_without_one_keeps_it()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, "nudges: { dailyBudget: 5, grace: 4h }\ndepartments: [{ key: ops, name: Ops }]");

        var kept = (await Import(database, "people: [{ email: zed@example.com, name: Zed }]")).Summary!;
        var keptPolicy = await PolicyAsync(database, "ops");
        var replaced = (await Import(database, "nudges: { weeklyBudget: 6 }")).Summary!;
        var replacedPolicy = await PolicyAsync(database, "ops");
        var same = (await Import(database, "nudges: { weeklyBudget: 6, dailyBudget: 3 }")).Summary!;

        Assert.Equal(new OrgImportCounts(0, 0, 0), kept.Settings);
        Assert.Equal((5, BusinessDuration.FromHours(4)), (keptPolicy.DailyBudget, keptPolicy.Grace));
        Assert.Equal(new OrgImportCounts(0, 1, 0), replaced.Settings);
        Assert.Equal((3, 6, BusinessDuration.FromDays(1)), (replacedPolicy.DailyBudget, replacedPolicy.WeeklyBudget, replacedPolicy.Grace));
        Assert.Equal(new OrgImportCounts(0, 0, 1), same.Settings);   // 3 a day is the default: nothing to store
        Assert.Equal(1, await Scalar<int>(database, "SELECT COUNT(*) FROM organisation_settings WHERE setting_name LIKE 'nudges.%'"));
    }

    [DatabaseFact]
    public async Task A_department_whose_nudges_block_is_taken_away_is_updated_and_follows_the_organisation()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Yaml);
        var following = OrgSamples.Yaml.Replace("    nudges:\n      reminders: [4h, 1d]\n      leadNote: false\n      grace: 4h30m\n", "", StringComparison.Ordinal);
        Assert.NotEqual(OrgSamples.Yaml, following);

        var summary = (await Import(database, following)).Summary!;
        var policy = await PolicyAsync(database, "billing");
        var exported = await new ExportOrganisationHandler(database.Db).ExportAsync(OrgExportFormat.Yaml, CancellationToken.None);

        Assert.Equal(new OrgImportCounts(0, 1, 0), summary.Departments);
        Assert.Equal([BusinessDuration.FromHours(2), BusinessDuration.FromDays(1), BusinessDuration.FromDays(2)], policy.Reminders);
        Assert.True(policy.LeadNote);
        Assert.Null(await Scalar<string?>(database, "SELECT nudge_reminders FROM departments WHERE department_key = 'billing'"));
        Assert.Null(new OrgFileReader(StandInIdFormats.All).Read(exported).Document!.Departments[0].Nudges);
    }

    private static async Task<NudgePolicy> PolicyAsync(TestDatabase database, string departmentKey)
    {
        var id = await Scalar<long>(database, $"SELECT id FROM departments WHERE department_key = '{departmentKey}'");
        var hours = await database.Db.InTransactionAsync((_, transaction) => new DepartmentCalendarStore(database.Db).LoadAsync(transaction, id, CancellationToken.None), CancellationToken.None);
        return hours!.Nudges;
    }

    [DatabaseFact]
    public async Task Exported_yaml_reads_like_a_hand_written_org_file()
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await Import(database, OrgSamples.Yaml);

        var exported = await new ExportOrganisationHandler(database.Db).ExportAsync(OrgExportFormat.Yaml, CancellationToken.None);

        Assert.Equal(ExpectedExport, exported);
    }

    // Every field is written out, defaults included, so the file shows the whole configuration; a channel's
    // locale only where the entry has its own, so that Billing and the monthly digest keep following defaultLocale.
    private const string ExpectedExport = """
        defaultLocale: ru
        nudges:
          headsUpBefore: 30m
          reminders: [2h, 1d, 2d]
          leadNote: true
          dailyBudget: 4
          weeklyBudget: 10
          grace: 1d
        people:
        - email: ana@example.com
          name: Ana Petrova
          timeZone: Europe/Sofia
          locale: bg
          slack: U012ABCDEF
          teams: 6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b
        - email: lead@example.com
          name: Lena Lead
          timeZone: UTC
          locale: en
        - email: mihai@example.com
          name: Mihai Ionescu
          timeZone: Europe/Bucharest
          locale: ro
          slack: U0MIHAI
        teams:
        - key: care
          name: Customer Care
          lead: lead@example.com
          members: [ana@example.com, lead@example.com]
          channels: {slack: C012CARE, teams: "19:abc@thread.tacv2"}
          locale: bg
        departments:
        - key: billing
          name: Billing
          lead: mihai@example.com
          members: [mihai@example.com]
          sla: 1h30m
          workingHours: "09:00-18:00"
          workingDays: [Mon, Tue, Wed, Thu, Fri]
          timeZone: Europe/Bucharest
          holidays: ["2026-12-24", "2026-12-25"]
          channels: {slack: C012BILL}
          nudges:
            reminders: [4h, 1d]
            leadNote: false
            grace: 4h30m
        digests:
        - name: care-weekly
          channel: {slack: C012CARE}
          scope: {team: care}
          variant: team
          day: Friday
          time: "15:00"
          timeZone: Europe/Sofia
          locale: bg
        - name: org-monthly
          channel: {teams: "19:org@thread.tacv2"}
          scope: {organisation: true}
          variant: manager
          day: Friday
          time: "15:00"
          timeZone: UTC
        """ + "\n";

    private Task<OrgImportResult> Import(TestDatabase database, string text) =>
        new ImportOrganisationHandler(database.Db, clock, new OrgFileReader(StandInIdFormats.All)).ImportAsync(text, CancellationToken.None);

    private static async Task<string> TeamLocale(TestDatabase database, string key) =>
        (await database.Db.InTransactionAsync((_, transaction) => PeopleLookup.FindTeamAsync(transaction, key, null, CancellationToken.None), CancellationToken.None))!.Locale;

    private static Task<int> Count(TestDatabase database, string table) =>
        database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {table}"), CancellationToken.None);

    private static Task<T> Scalar<T>(TestDatabase database, string sql) =>
        database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<T>(sql), CancellationToken.None)!;

    private static Task<T> Single<T>(TestDatabase database, string sql) =>
        database.Db.WithConnectionAsync(c => c.QuerySingleAsync<T>(sql), CancellationToken.None);

    private sealed record IdentityState
    {
        public string UserId { get; init; } = "";
        public string? WorkspaceId { get; init; }
        public string? ConversationReference { get; init; }
    }
}

public sealed class OrganisationImportTestsOnSqlite() : OrganisationImportTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class OrganisationImportTestsOnSqlServer() : OrganisationImportTests(DatabaseKind.SqlServer);
