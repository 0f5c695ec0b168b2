using KudosRelay.Core.Calendar;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.People;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.People;

/// <summary>The org file's <c>nudges:</c> blocks: the organisation's and each department's.</summary>
public sealed class OrgNudgesTests
{
    private static readonly OrgFileReader Reader = new(StandInIdFormats.All);

    private static OrgDocument Read(string yaml)
    {
        var result = Reader.Read(yaml);
        Assert.Empty(result.Errors);
        return result.Document!;
    }

    [Fact]
    public void The_samples_blocks_are_read_field_by_field()
    {
        var document = Read(OrgSamples.Yaml);

        var organisation = document.Nudges!;
        Assert.Equal(BusinessDuration.FromMinutes(30), organisation.HeadsUpBefore);
        Assert.Equal([BusinessDuration.FromHours(2), BusinessDuration.FromDays(1), BusinessDuration.FromDays(2)], organisation.Reminders);
        Assert.Equal(4, organisation.DailyBudget);
        Assert.Null(organisation.LeadNote);
        Assert.Null(organisation.WeeklyBudget);
        Assert.Null(organisation.Grace);
        var billing = document.Departments[0].Nudges!;
        Assert.Equal([BusinessDuration.FromHours(4), BusinessDuration.FromDays(1)], billing.Reminders);
        Assert.Equal(false, billing.LeadNote);
        Assert.Equal(new BusinessDuration(0, 4 * 60 + 30), billing.Grace);
        Assert.Null(billing.HeadsUpBefore);
    }

    [Fact]
    public void A_department_follows_the_organisation_where_its_block_is_silent_and_the_defaults_where_both_are()
    {
        var document = Read(OrgSamples.Yaml);
        var organisation = document.Nudges!.Over(NudgePolicy.Default);

        var billing = document.Departments[0].Nudges!.Over(organisation);

        Assert.Equal(BusinessDuration.FromMinutes(30), billing.HeadsUpBefore);                                  // the organisation's
        Assert.Equal([BusinessDuration.FromHours(4), BusinessDuration.FromDays(1)], billing.Reminders);          // its own
        Assert.False(billing.LeadNote);
        Assert.Equal((4, 10), (billing.DailyBudget, billing.WeeklyBudget));                                     // the organisation's, the default
        Assert.Equal(new BusinessDuration(0, 270), billing.Grace);
    }

    [Fact]
    public void Without_any_block_every_department_gets_the_documented_defaults()
    {
        var document = Read("departments: [{ key: ops, name: Ops }]");
        var policy = NudgePolicy.Default;

        Assert.Null(document.Nudges);
        Assert.Null(document.Departments[0].Nudges);
        Assert.True(policy.HeadsUpBefore.IsZero);
        Assert.Equal([BusinessDuration.FromHours(4), BusinessDuration.FromDays(1), BusinessDuration.FromDays(2)], policy.Reminders);
        Assert.True(policy.LeadNote);
        Assert.Equal((3, 10), (policy.DailyBudget, policy.WeeklyBudget));
        Assert.Equal(BusinessDuration.FromDays(1), policy.Grace);
    }

    [Fact]
    public void An_empty_reminder_list_means_no_reminders_when_the_lead_note_is_off_too()
    {
        var document = Read("nudges: { reminders: [], leadNote: false }");

        var written = OrgFileWriter.Write(document, OrgExportFormat.Yaml);

        Assert.Empty(document.Nudges!.Reminders!);
        Assert.Contains("  reminders: []\n", written, StringComparison.Ordinal);
        Assert.Empty(Read(written).Nudges!.Reminders!);
    }

    [Theory]
    [InlineData("1d", 1, 0)]
    [InlineData("4h", 0, 240)]
    [InlineData("90m", 0, 90)]
    [InlineData("1d4h30m", 1, 270)]
    [InlineData("2d", 2, 0)]
    [InlineData("0", 0, 0)]
    [InlineData("0m", 0, 0)]
    public void Lengths_of_working_time_read_days_hours_and_minutes(string text, int days, int minutes)
    {
        Assert.Equal(new BusinessDuration(days, minutes), BusinessDuration.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("4h1d")]
    [InlineData("1.5h")]
    [InlineData("-1h")]
    [InlineData("1 d")]
    [InlineData("1w")]
    public void Anything_else_is_not_a_length_of_working_time(string text)
    {
        Assert.Null(BusinessDuration.Parse(text));
    }

    [Theory]
    [InlineData(0, 0, "0m")]
    [InlineData(1, 0, "1d")]
    [InlineData(0, 90, "1h30m")]
    [InlineData(1, 245, "1d4h5m")]
    public void A_length_is_written_in_the_shortest_form_that_reads_back_the_same(int days, int minutes, string text)
    {
        var duration = new BusinessDuration(days, minutes);

        Assert.Equal(text, duration.ToString());
        Assert.Equal(duration, BusinessDuration.Parse(text));
    }

    [Fact]
    public void A_day_is_one_working_day_of_the_calendar_it_is_counted_in()
    {
        var nineToFive = new BusinessHours(TimeZoneInfo.Utc, 9 * 60, 17 * 60, [DayOfWeek.Monday], []);
        var eightToSix = nineToFive with { WorkStartMinute = 8 * 60, WorkEndMinute = 18 * 60 };

        Assert.Equal(TimeSpan.FromHours(8), BusinessDuration.FromDays(1).In(nineToFive));
        Assert.Equal(TimeSpan.FromHours(24), new BusinessDuration(2, 4 * 60).In(eightToSix));
    }

    [Theory]
    [InlineData("nudges: [4h]", "nudges", "expected a mapping of fields (headsUpBefore, reminders, leadNote, dailyBudget, weeklyBudget, grace), not a list")]
    [InlineData("nudges: { reminder: [4h] }", "nudges.reminder", "unknown field (did you mean 'reminders'?)")]
    [InlineData("nudges: { headsUpBefore: soon }", "nudges.headsUpBefore", "'soon' is not a length of working time like 4h, 90m, 1d or 1d4h")]
    [InlineData("nudges: { reminders: 4h }", "nudges.reminders", "expected a list, not the value '4h'")]
    [InlineData("nudges: { reminders: [4h, 0m] }", "nudges.reminders[1]", "must be longer than zero")]
    [InlineData("nudges: { reminders: [4h, 1week] }", "nudges.reminders[1]", "'1week' is not a length of working time like 4h, 90m, 1d or 1d4h")]
    [InlineData("nudges: { reminders: [1h, 1h, 1h, 1h, 1h, 1h, 1h, 1h, 1h, 1h, 1h] }", "nudges.reminders", "lists 11 reminders; at most 10, so that nobody is asked forever")]
    [InlineData("nudges: { leadNote: maybe }", "nudges.leadNote", "'maybe' is not true or false")]
    [InlineData("nudges: { dailyBudget: 0 }", "nudges.dailyBudget", "'0' is not a whole number from 1 to 1000")]
    [InlineData("nudges: { weeklyBudget: -3 }", "nudges.weeklyBudget", "'-3' is not a whole number from 1 to 1000")]
    [InlineData("nudges: { weeklyBudget: 2.5 }", "nudges.weeklyBudget", "'2.5' is not a whole number from 1 to 1000")]
    [InlineData("nudges: { grace: tomorrow }", "nudges.grace", "'tomorrow' is not a length of working time like 4h, 90m, 1d or 1d4h")]
    [InlineData("nudges: { reminders: [] }", "nudges.reminders", "a note to the lead waits as long as the last reminder, so it needs at least one reminder; set leadNote: false for none")]
    [InlineData("departments: [{ key: d, name: D, nudges: { grace: 1x } }]", "departments[0].nudges.grace", "'1x' is not a length of working time like 4h, 90m, 1d or 1d4h")]
    [InlineData("departments: [{ key: d, name: D, nudges: { reminders: [] } }]", "departments[0].nudges.reminders", "a note to the lead waits as long as the last reminder, so it needs at least one reminder; set leadNote: false for none")]
    [InlineData("nudges: { reminders: [], leadNote: false }\ndepartments: [{ key: d, name: D, nudges: { leadNote: true } }]", "departments[0].nudges.leadNote", "a note to the lead waits as long as the last reminder, so it needs at least one reminder; set leadNote: false for none")]
    public void Each_mistake_in_a_nudges_block_is_reported_with_its_field_path(string yaml, string path, string message)
    {
        var result = Reader.Read(yaml);

        Assert.Null(result.Document);
        Assert.Equal([new OrgError(path, message)], result.Errors);
    }

    [Fact]
    public void A_department_block_writes_only_its_own_fields_and_reads_back_the_same()
    {
        var document = Read("""
            departments:
              - { key: d, name: D, nudges: { headsUpBefore: 1h, weeklyBudget: 7 } }
              - { key: e, name: E }
            """);

        var written = OrgFileWriter.Write(document, OrgExportFormat.Yaml);
        var json = OrgFileWriter.Write(document, OrgExportFormat.Json);

        Assert.Contains("  nudges: {headsUpBefore: 1h, weeklyBudget: 7}\n", written, StringComparison.Ordinal);
        Assert.DoesNotContain("nudges:\n", written, StringComparison.Ordinal);  // no organisation block in, none out
        Assert.Contains("\"weeklyBudget\": 7", json, StringComparison.Ordinal);
        Assert.Equal(written, OrgFileWriter.Write(Read(written), OrgExportFormat.Yaml));
        Assert.Equal(written, OrgFileWriter.Write(Read(json), OrgExportFormat.Yaml));
        Assert.Null(Read(written).Departments[1].Nudges);
    }
}
