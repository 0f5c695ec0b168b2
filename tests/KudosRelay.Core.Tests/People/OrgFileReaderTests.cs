using KudosRelay.Core.People;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.People;

public sealed class OrgFileReaderTests
{
    // Core cannot see the adapters: ids are checked by stand-in formats here, and the Slack and Teams formats'
    // own rules and words are tested in Host.Tests/Org/ChatIdFormatTests.
    private static readonly OrgFileReader Reader = new(StandInIdFormats.All);

    [Fact]
    public void A_full_yaml_file_is_read_with_every_field()
    {
        var result = Reader.Read(OrgSamples.Yaml);

        Assert.Empty(result.Errors);
        var document = Assert.IsType<OrgDocument>(result.Document);
        Assert.Equal("ru", document.DefaultLocale);
        Assert.Equal(["ana@example.com", "lead@example.com", "mihai@example.com"], document.People.Select(person => person.Email));
        var ana = document.People[0];
        Assert.Equal(("Ana Petrova", "Europe/Sofia", "bg"), (ana.Name, ana.TimeZone, ana.Locale));
        Assert.Equal("U012ABCDEF", ana.Identities["slack"]);
        Assert.Equal("6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b", ana.Identities["teams"]);
        var care = Assert.Single(document.Teams);
        Assert.Equal(("care", "Customer Care", "lead@example.com"), (care.Key, care.Name, care.Lead));
        Assert.Equal(["ana@example.com", "lead@example.com"], care.Members);
        Assert.Equal("19:abc@thread.tacv2", care.Channels["teams"]);
        Assert.Equal("bg", care.Locale);
        var billing = Assert.Single(document.Departments);
        Assert.Equal(90, billing.SlaMinutes);
        Assert.Equal((9 * 60, 18 * 60), (billing.WorkStartMinute, billing.WorkEndMinute));
        Assert.Equal([new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25)], billing.Holidays);
        Assert.Null(billing.Locale);
        var weekly = document.Digests[0];
        Assert.Equal(("slack", "C012CARE", "team", "care"), (weekly.Platform, weekly.ChannelId, weekly.ScopeKind, weekly.ScopeKey));
        Assert.Equal((DayOfWeek.Friday, new TimeOnly(15, 0), "bg"), (weekly.Day, weekly.Time, weekly.Locale));
        var monthly = document.Digests[1];
        Assert.Equal(("organisation", null, "manager", null), (monthly.ScopeKind, monthly.ScopeKey, monthly.Variant, monthly.Locale));
    }

    [Fact]
    public void Json_input_reads_to_the_same_document_as_yaml()
    {
        var fromYaml = Reader.Read(OrgSamples.Yaml).Document!;
        var fromJson = Reader.Read(OrgSamples.Json).Document!;

        Assert.Equal(OrgFileWriter.Write(fromYaml, OrgExportFormat.Yaml), OrgFileWriter.Write(fromJson, OrgExportFormat.Yaml));
    }

    [Fact]
    public void Json_indented_with_tabs_and_unicode_escapes_is_read()
    {
        var result = Reader.Read("{\n\t\"people\": [\n\t\t{ \"email\": \"zoe@example.com\", \"name\": \"Zo\\u00eb\" }\n\t]\n}\n");

        Assert.Empty(result.Errors);
        Assert.Equal("Zo\u00eb", result.Document!.People[0].Name);
    }

    [Fact]
    public void Fields_left_out_get_the_documented_defaults()
    {
        var result = Reader.Read("""
            people: [{ email: a@example.com, name: A }]
            departments: [{ key: ops, name: Ops }]
            digests: [{ name: weekly, channel: { slack: C1 }, scope: { department: ops } }]
            """);

        var document = Assert.IsType<OrgDocument>(result.Document);
        Assert.Null(document.DefaultLocale);
        Assert.Equal(("UTC", "en"), (document.People[0].TimeZone, document.People[0].Locale));
        Assert.Empty(document.People[0].Identities);
        var ops = document.Departments[0];
        Assert.Equal(8 * 60, ops.SlaMinutes);
        Assert.Equal((9 * 60, 17 * 60), (ops.WorkStartMinute, ops.WorkEndMinute));
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], ops.WorkingDays);
        Assert.Equal("UTC", ops.TimeZone);
        Assert.Null(ops.Locale);
        Assert.Null(ops.Lead);
        Assert.Empty(ops.Members);
        var digest = document.Digests[0];
        Assert.Equal(("team", DayOfWeek.Friday, new TimeOnly(15, 0), "UTC", true), (digest.Variant, digest.Day, digest.Time, digest.TimeZone, digest.Enabled));
        Assert.Null(digest.Locale);
    }

    [Fact]
    public void A_team_without_a_locale_follows_the_default_and_one_with_a_locale_keeps_its_own()
    {
        var result = Reader.Read("""
            defaultLocale: ro-RO
            teams: [{ key: care, name: Care }, { key: sofia, name: Sofia, locale: bg }]
            """);

        var document = Assert.IsType<OrgDocument>(result.Document);
        Assert.Equal("ro-RO", document.DefaultLocale);
        Assert.Equal([null, "bg"], document.Teams.Select(team => team.Locale));
    }

    [Fact]
    public void An_empty_file_is_an_empty_organisation_error()
    {
        var error = Assert.Single(Reader.Read("  \n").Errors);

        Assert.Equal("the file is empty", error.Message);
    }

    [Fact]
    public void Unparsable_yaml_is_reported_with_line_and_column()
    {
        var result = Reader.Read("people:\n  - email: a@example.com\n    name: [unclosed\n");

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Matches(@"^line \d+, column \d+$", error.Path);
        Assert.NotEmpty(error.Message);
    }

    [Fact]
    public void Durations_accept_hours_minutes_and_both()
    {
        Assert.Equal(16 * 60, ReadSla("16h"));
        Assert.Equal(90, ReadSla("90m"));
        Assert.Equal(90, ReadSla("1h30m"));
    }

    private static int ReadSla(string sla) =>
        Reader.Read($"departments: [{{ key: d, name: D, sla: {sla} }}]").Document!.Departments[0].SlaMinutes;

    [Theory]
    [InlineData("people: [{ email: 'ana@', name: Ana }]", "people[0].email", "'ana@' is not an e-mail address")]
    [InlineData("people: [{ email: a@example.com }]", "people[0].name", "is required")]
    [InlineData("people: [{ email: a@example.com, name: A, emial: x }]", "people[0].emial", "unknown field (did you mean 'email'?)")]
    [InlineData("people: [{ email: a@example.com, name: A, colour: red }]", "people[0].colour", "unknown field (expected email, name, timeZone, locale, slack, teams)")]
    [InlineData("staff: []", "staff", "unknown field (expected defaultLocale, nudges, people, teams, departments, digests)")]
    [InlineData("defaultLocal: ru", "defaultLocal", "unknown field (did you mean 'defaultLocale'?)")]
    [InlineData("defaultLocale: xx-YY", "defaultLocale", "'xx-YY' is not a known locale")]
    [InlineData("defaultLocale: [ru, bg]", "defaultLocale", "expected a single value, not a list")]
    [InlineData("people: [{ email: a@example.com, name: A, timeZone: Europe/Sofa }]", "people[0].timeZone", "'Europe/Sofa' is not a known IANA time zone")]
    [InlineData("people: [{ email: a@example.com, name: A, timeZone: GTB Standard Time }]", "people[0].timeZone", "'GTB Standard Time' is not a known IANA time zone")]
    [InlineData("people: [{ email: a@example.com, name: A, locale: xx-NOPE }]", "people[0].locale", "'xx-NOPE' is not a known locale")]
    [InlineData("people: [{ email: a@example.com, name: A }, { email: A@Example.com, name: B }]", "people[1].email", "'A@Example.com' is listed twice in people (first at people[0].email)")]
    [InlineData("people: [{ email: a@example.com, name: A, slack: U1 }, { email: b@example.com, name: B, slack: U1 }]", "people[1].slack", "'U1' is listed twice in people (first at people[0].slack)")]
    [InlineData("people: { email: a@example.com }", "people", "expected a list, not a mapping")]
    [InlineData("people: [ana@example.com]", "people[0]", "expected a mapping of fields (email, name, timeZone, locale, slack, teams), not the value 'ana@example.com'")]
    [InlineData("people: [{ email: a@example.com, name: [A, B] }]", "people[0].name", "expected a single value, not a list")]
    [InlineData("teams: [{ key: care, name: Care }, { key: Care, name: Care 2 }]", "teams[1].key", "'Care' is listed twice in teams (first at teams[0].key)")]
    [InlineData("teams: [{ key: 'two words', name: Care }]", "teams[0].key", "'two words' is not a valid key (letters, digits, '.', '_' and '-', starting with a letter or digit)")]
    [InlineData("teams: [{ key: care, name: Care, members: a@example.com }]", "teams[0].members", "expected a list, not the value 'a@example.com'")]
    [InlineData("teams: [{ key: care, name: Care, members: [x] }]", "teams[0].members[0]", "'x' is not an e-mail address")]
    [InlineData("teams: [{ key: care, name: Care, members: [a@example.com, a@example.com] }]", "teams[0].members[1]", "'a@example.com' is listed twice in members (first at teams[0].members[0])")]
    [InlineData("teams: [{ key: care, name: Care, channels: { discord: x } }]", "teams[0].channels.discord", "unknown field (expected slack, teams)")]
    [InlineData("teams: [{ key: care, name: Care, postKudos: sometimes }]", "teams[0].postKudos", "'sometimes' is not true or false")]
    [InlineData("teams: [{ key: care, name: Care }, { key: ops, name: Ops, locale: xx-YY }]", "teams[1].locale", "'xx-YY' is not a known locale")]
    [InlineData("teams: [{ key: care, name: Care, locle: ru }]", "teams[0].locle", "unknown field (did you mean 'locale'?)")]
    [InlineData("departments: [{ key: d, name: D, locale: '' }]", "departments[0].locale", "must not be empty")]
    [InlineData("departments: [{ key: d, name: D, locale: Bulgarian }]", "departments[0].locale", "'Bulgarian' is not a known locale")]
    [InlineData("digests: [{ name: w, channel: { slack: C1 }, scope: { organisation: true }, locale: xx-YY }]", "digests[0].locale", "'xx-YY' is not a known locale")]
    [InlineData("digests: [{ name: w, channel: { slack: C1 }, scope: { organisation: true }, lokale: ru }]", "digests[0].lokale", "unknown field (did you mean 'locale'?)")]
    [InlineData("departments: [{ key: d, name: D, sla: 16 }]", "departments[0].sla", "'16' is not a duration like 16h, 90m or 1h30m")]
    [InlineData("departments: [{ key: d, name: D, sla: 0m }]", "departments[0].sla", "must be longer than zero")]
    [InlineData("departments: [{ key: d, name: D, workingHours: '18:00-09:00' }]", "departments[0].workingHours", "'18:00-09:00' is not a time range like 09:00-17:00 (start before end)")]
    [InlineData("departments: [{ key: d, name: D, workingDays: [Mon, Fry] }]", "departments[0].workingDays[1]", "'Fry' is not a day (Mon, Tue, … Sun)")]
    [InlineData("departments: [{ key: d, name: D, workingDays: [Mon, Monday] }]", "departments[0].workingDays[1]", "'Monday' is listed twice in workingDays (first at departments[0].workingDays[0])")]
    [InlineData("departments: [{ key: d, name: D, workingDays: [] }]", "departments[0].workingDays", "must name at least one day")]
    [InlineData("departments: [{ key: d, name: D, timeZone: Europe/Bucharst }]", "departments[0].timeZone", "'Europe/Bucharst' is not a known IANA time zone")]
    [InlineData("departments: [{ key: d, name: D, holidays: [2026-13-01] }]", "departments[0].holidays[0]", "'2026-13-01' is not a date (yyyy-mm-dd)")]
    [InlineData("digests: [{ name: w, scope: { organisation: true } }]", "digests[0].channel", "is required: { slack: CHANNEL } or { teams: CHANNEL }")]
    [InlineData("digests: [{ name: w, channel: { slack: C1, teams: '19:x' }, scope: { organisation: true } }]", "digests[0].channel", "name exactly one platform (slack or teams)")]
    [InlineData("digests: [{ name: w, channel: { slack: C1 } }]", "digests[0].scope", "is required: { team: KEY }, { department: KEY } or { organisation: true }")]
    [InlineData("digests: [{ name: w, channel: { slack: C1 }, scope: { team: a, department: b } }]", "digests[0].scope", "name exactly one of team, department or organisation")]
    [InlineData("digests: [{ name: w, channel: { slack: C1 }, scope: { organisation: no } }]", "digests[0].scope.organisation", "'no' must be true (write { organisation: true } for the whole organisation)")]
    [InlineData("digests: [{ name: w, channel: { slack: C1 }, scope: { organisation: true }, variant: boss }]", "digests[0].variant", "'boss' is not a digest variant (team or manager)")]
    [InlineData("digests: [{ name: w, channel: { slack: C1 }, scope: { organisation: true }, day: Fri-day }]", "digests[0].day", "'Fri-day' is not a day (Monday … Sunday)")]
    [InlineData("digests: [{ name: w, channel: { slack: C1 }, scope: { organisation: true }, time: '25:00' }]", "digests[0].time", "'25:00' is not a time of day like 15:00")]
    [InlineData("digests: [{ name: w, channel: { slack: C1 }, scope: { organisation: true }, enabled: maybe }]", "digests[0].enabled", "'maybe' is not true or false")]
    [InlineData("digests: [{ name: w, channel: { slack: C1 }, scope: { organisation: true } }, { name: W, channel: { slack: C1 }, scope: { organisation: true } }]", "digests[1].name", "'W' is listed twice in digests (first at digests[0].name)")]
    public void Each_kind_of_mistake_is_reported_with_its_field_path(string yaml, string path, string message)
    {
        var result = Reader.Read(yaml);

        Assert.Null(result.Document);
        Assert.Contains(new OrgError(path, message), result.Errors);
    }

    [Theory]
    [InlineData("people: [{ email: a@example.com, name: A, slack: bad-ana }]", "people[0].slack", "'bad-ana' is not a slack user id (stand-in format)")]
    [InlineData("people: [{ email: a@example.com, name: A, teams: bad-ana }]", "people[0].teams", "'bad-ana' is not a teams user id (stand-in format)")]
    [InlineData("teams: [{ key: care, name: Care, channels: { slack: bad-general } }]", "teams[0].channels.slack", "'bad-general' is not a slack channel id (stand-in format)")]
    [InlineData("departments: [{ key: d, name: D, channels: { teams: bad-general } }]", "departments[0].channels.teams", "'bad-general' is not a teams channel id (stand-in format)")]
    [InlineData("digests: [{ name: w, channel: { slack: bad-c }, scope: { organisation: true } }]", "digests[0].channel.slack", "'bad-c' is not a slack channel id (stand-in format)")]
    public void A_chat_id_its_platforms_format_refuses_is_reported_with_the_field_path_and_the_formats_words(string yaml, string path, string message)
    {
        var result = Reader.Read(yaml);

        Assert.Null(result.Document);
        Assert.Equal([new OrgError(path, message)], result.Errors);
    }

    [Fact]
    public void A_reader_needs_a_format_for_every_platform_an_org_file_may_name()
    {
        var onlyOne = StandInIdFormats.All.Take(1);

        var exception = Assert.Throws<InvalidOperationException>(() => new OrgFileReader(onlyOne));

        Assert.Contains($"'{StandInIdFormats.All[1].Platform}'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void References_are_checked_against_the_file_and_what_the_database_knows()
    {
        var known = new OrgKnown
        {
            PeopleEmails = new HashSet<string>(["stored@example.com"], StringComparer.OrdinalIgnoreCase),
            TeamKeys = new HashSet<string>(["stored-team"], StringComparer.OrdinalIgnoreCase),
            IdentityOwners = new Dictionary<(string, string), string> { [("slack", "U0TAKEN")] = "stored@example.com" },
        };
        var result = Reader.Read("""
            people: [{ email: a@example.com, name: A, slack: U0TAKEN }]
            teams:
              - { key: ok, name: Ok, lead: Stored@example.com, members: [a@example.com, stored@example.com] }
              - { key: bad, name: Bad, lead: nobody@example.com, members: [x@example.com] }
            digests:
              - { name: fine, channel: { slack: C1 }, scope: { team: stored-team } }
              - { name: lost, channel: { slack: C1 }, scope: { department: nowhere } }
            """, known);

        Assert.Null(result.Document);
        Assert.Equal(
            [
                new OrgError("people[0].slack", "'U0TAKEN' already belongs to stored@example.com in the database"),
                new OrgError("teams[1].lead", "'nobody@example.com' is not a person in this file or the database"),
                new OrgError("teams[1].members[0]", "'x@example.com' is not a person in this file or the database"),
                new OrgError("digests[1].scope.department", "'nowhere' is not a department in this file or the database"),
            ],
            result.Errors);
    }

    [Fact]
    public void Without_the_database_references_are_only_checked_for_form()
    {
        var result = Reader.Read("teams: [{ key: care, name: Care, lead: elsewhere@example.com, members: [elsewhere@example.com] }]");

        Assert.True(result.IsValid);
    }

    [Fact]
    public void A_file_with_many_mistakes_reports_every_one_of_them()
    {
        var result = Reader.Read(ManyMistakes);

        Assert.Null(result.Document);
        Assert.Equal(ManyMistakesPaths, result.Errors.Select(error => error.Path).Order(StringComparer.Ordinal));
    }

    internal const string ManyMistakes = """
        people:
          - email: ana@example.com
            name: Ana
            emial: typo@example.com
          - email: bob@example.com
            name: Bob
            timeZone: Europe/Sofa
          - email: 'ana@'
            name: Broken
          - email: ana@example.com
            name: Ana again
        teams:
          - key: care
            name: Care
            members: [ana@example.com]
          - key: ops
            name: Ops
            members: x@example.com
        departments:
          - key: billing
            name: Billing
            sla: soon
            workingDays: [Mon, Fry]
            timeZone: Europe/Bucharst
        digests:
          - name: weekly
            channel: { slack: C1 }
            scope: { team: care }
            day: Caturday
        """;

    internal static readonly string[] ManyMistakesPaths =
    [
        "departments[0].sla",
        "departments[0].timeZone",
        "departments[0].workingDays[1]",
        "digests[0].day",
        "people[0].emial",
        "people[1].timeZone",
        "people[2].email",
        "people[3].email",
        "teams[1].members",
    ];
}
