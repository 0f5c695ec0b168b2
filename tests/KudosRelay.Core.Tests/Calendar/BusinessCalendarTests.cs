using KudosRelay.Core.Calendar;
using KudosRelay.Core.People;
using Xunit;

namespace KudosRelay.Core.Tests.Calendar;

public sealed class BusinessCalendarTests
{
    private static readonly TimeZoneInfo Sofia = TimeZones.Find("Europe/Sofia");
    private static readonly TimeZoneInfo NewYork = TimeZones.Find("America/New_York");

    private static readonly DayOfWeek[] Weekdays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    private static readonly DayOfWeek[] EveryDay = [.. Weekdays, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private static BusinessCalendar Calendar(TimeZoneInfo zone, string start = "09:00", string end = "17:00", DayOfWeek[]? days = null, params DateOnly[] holidays) =>
        new(new BusinessHours(zone, Minutes(start), Minutes(end), days ?? Weekdays, holidays));

    private static int Minutes(string clock) => OrgValues.ParseClockMinutes(clock, allowEndOfDay: true)!.Value;

    /// <summary>A wall-clock time in <paramref name="zone"/> that exists exactly once.</summary>
    private static DateTimeOffset Local(TimeZoneInfo zone, string dateTime)
    {
        var local = DateTime.Parse(dateTime, System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(zone.IsInvalidTime(local) || zone.IsAmbiguousTime(local), $"{dateTime} is not a single instant in {zone.Id}");
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static DateTimeOffset Utc(string dateTime) =>
        DateTimeOffset.Parse(dateTime + "Z", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-11-23 09:00", true)]     // Monday, the first minute
    [InlineData("2026-11-23 08:59", false)]
    [InlineData("2026-11-23 16:59", true)]
    [InlineData("2026-11-23 17:00", false)]    // the window is half-open
    [InlineData("2026-11-28 12:00", false)]    // Saturday
    [InlineData("2026-12-24 12:00", false)]    // a holiday
    public void Working_time_is_the_working_hours_of_working_days_that_are_not_holidays(string local, bool working)
    {
        var calendar = Calendar(Sofia, holidays: [new DateOnly(2026, 12, 24)]);

        Assert.Equal(working, calendar.IsWorkingTime(Local(Sofia, local)));
    }

    [Fact]
    public void Working_hours_are_read_on_the_zones_wall_clock()
    {
        var calendar = Calendar(Sofia);

        // 09:00 in Sofia in winter is 07:00 UTC.
        Assert.False(calendar.IsWorkingTime(Utc("2026-11-23T06:59:00")));
        Assert.True(calendar.IsWorkingTime(Utc("2026-11-23T07:00:00")));
    }

    [Fact]
    public void The_next_working_moment_inside_working_time_is_the_instant_itself()
    {
        var instant = Local(Sofia, "2026-11-24 11:17:42");

        Assert.Equal(instant, Calendar(Sofia).NextWorkingMoment(instant));
    }

    [Fact]
    public void The_next_working_moment_results_are_in_utc()
    {
        var next = Calendar(Sofia).NextWorkingMoment(Local(Sofia, "2026-11-24 11:00"));

        Assert.Equal(TimeSpan.Zero, next.Offset);
        Assert.Equal(Utc("2026-11-24T09:00:00"), next);
    }

    [Theory]
    [InlineData("2026-11-23 07:30", "2026-11-23 09:00")]   // before work
    [InlineData("2026-11-23 17:00", "2026-11-24 09:00")]   // at the end of the day
    [InlineData("2026-11-27 18:00", "2026-11-30 09:00")]   // Friday evening: Monday morning
    [InlineData("2026-11-29 10:00", "2026-11-30 09:00")]   // Sunday
    [InlineData("2026-12-23 17:30", "2026-12-28 09:00")]   // 24th, 25th holidays, then the weekend
    public void The_next_working_moment_skips_evenings_weekends_and_holidays(string local, string expected)
    {
        var calendar = Calendar(Sofia, holidays: [new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25)]);

        Assert.Equal(Local(Sofia, expected), calendar.NextWorkingMoment(Local(Sofia, local)));
    }

    [Theory]
    [InlineData("2026-11-23 09:00", 8 * 60, "2026-11-23 17:00")]     // a whole day ends that evening, not the next morning
    [InlineData("2026-11-23 16:00", 2 * 60, "2026-11-24 10:00")]
    [InlineData("2026-11-27 15:00", 4 * 60, "2026-11-30 11:00")]     // Friday afternoon into Monday
    [InlineData("2026-11-28 10:00", 30, "2026-11-30 09:30")]         // Saturday counts from Monday morning
    [InlineData("2026-11-28 10:00", 0, "2026-11-30 09:00")]          // zero is the next working moment
    [InlineData("2026-11-23 12:00", 5 * 8 * 60, "2026-11-30 12:00")] // a working week
    [InlineData("2026-12-23 16:00", 2 * 60, "2026-12-28 10:00")]     // over the holidays
    public void Adding_business_time_counts_only_working_time(string start, int minutes, string expected)
    {
        var calendar = Calendar(Sofia, holidays: [new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25)]);

        Assert.Equal(Local(Sofia, expected), calendar.Add(Local(Sofia, start), TimeSpan.FromMinutes(minutes)));
    }

    [Theory]
    [InlineData("2026-11-23 17:00", 8 * 60, "2026-11-23 09:00")]     // a whole day starts that morning, not the evening before
    [InlineData("2026-11-30 10:00", 2 * 60, "2026-11-27 16:00")]     // Monday morning back into Friday
    [InlineData("2026-11-29 12:00", 30, "2026-11-27 16:30")]         // Sunday counts back from Friday evening
    [InlineData("2026-11-30 09:00", 0, "2026-11-27 17:00")]          // zero is the last working instant
    [InlineData("2026-11-24 11:00", 0, "2026-11-24 11:00")]
    public void Subtracting_business_time_mirrors_adding_it(string end, int minutes, string expected)
    {
        Assert.Equal(Local(Sofia, expected), Calendar(Sofia).Subtract(Local(Sofia, end), TimeSpan.FromMinutes(minutes)));
    }

    [Fact]
    public void Negative_business_time_is_refused()
    {
        var calendar = Calendar(Sofia);

        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.Add(Local(Sofia, "2026-11-23 10:00"), TimeSpan.FromMinutes(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.Subtract(Local(Sofia, "2026-11-23 10:00"), TimeSpan.FromMinutes(-1)));
    }

    [Theory]
    [InlineData("2026-11-23 08:00", "2026-11-23 18:00", 8 * 60)]
    [InlineData("2026-11-23 10:00", "2026-11-23 10:45", 45)]
    [InlineData("2026-11-27 16:00", "2026-11-30 10:00", 2 * 60)]
    [InlineData("2026-11-28 10:00", "2026-11-29 10:00", 0)]
    [InlineData("2026-11-23 09:00", "2026-12-07 09:00", 10 * 8 * 60)]  // a fortnight
    [InlineData("2026-11-30 10:00", "2026-11-27 16:00", -2 * 60)]      // backwards is negative
    public void Business_time_between_two_instants_counts_only_working_time(string from, string to, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), Calendar(Sofia).BusinessTimeBetween(Local(Sofia, from), Local(Sofia, to)));
    }

    [Theory]
    [InlineData("2026-11-23 07:00", "2026-11-24 09:00")]   // before work on Monday: Tuesday, the day after Monday
    [InlineData("2026-11-23 12:00", "2026-11-24 09:00")]
    [InlineData("2026-11-27 12:00", "2026-11-30 09:00")]   // Friday: Monday
    [InlineData("2026-11-28 12:00", "2026-11-30 09:00")]   // Saturday: Monday
    [InlineData("2026-12-23 23:59", "2026-12-28 09:00")]   // the day before the holidays
    public void The_next_working_day_starts_after_the_instants_local_day(string local, string expected)
    {
        var calendar = Calendar(Sofia, holidays: [new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25)]);

        Assert.Equal(Local(Sofia, expected), calendar.NextWorkingDayStart(Local(Sofia, local)));
    }

    [Fact]
    public void The_next_working_day_is_the_day_after_on_the_zones_wall_clock_not_in_utc()
    {
        // 23:30 UTC on Monday is already Tuesday 01:30 in Sofia: the next working day is Wednesday.
        var next = Calendar(Sofia).NextWorkingDayStart(Utc("2026-11-23T23:30:00"));

        Assert.Equal(Local(Sofia, "2026-11-25 09:00"), next);
    }

    [Fact]
    public void A_day_ending_at_midnight_works_up_to_the_start_of_the_next_date()
    {
        var calendar = Calendar(Sofia, "20:00", "24:00");

        Assert.True(calendar.IsWorkingTime(Local(Sofia, "2026-11-23 23:59")));
        Assert.False(calendar.IsWorkingTime(Local(Sofia, "2026-11-24 00:00")));
        Assert.Equal(Local(Sofia, "2026-11-24 21:00"), calendar.Add(Local(Sofia, "2026-11-23 23:00"), TimeSpan.FromHours(2)));
        Assert.Equal(TimeSpan.FromHours(4), calendar.BusinessTimeBetween(Local(Sofia, "2026-11-23 20:00"), Local(Sofia, "2026-11-24 20:00")));
        // Friday's evening ends at Saturday's midnight; Monday evening is next.
        Assert.Equal(Local(Sofia, "2026-11-30 20:00"), calendar.NextWorkingMoment(Local(Sofia, "2026-11-28 00:00")));
    }

    [Fact]
    public void Round_the_clock_hours_on_every_day_are_all_time()
    {
        var calendar = Calendar(NewYork, "00:00", "24:00", EveryDay);
        var from = Utc("2026-10-30T13:17:00");
        var to = Utc("2026-11-03T02:00:00");

        Assert.Equal(to - from, calendar.BusinessTimeBetween(from, to));
        Assert.Equal(to, calendar.Add(from, to - from));
    }

    // Europe/Sofia: EET (UTC+2) → EEST (UTC+3) at 03:00 on the last Sunday of March (2026-03-29), back at 04:00 on the
    // last Sunday of October (2026-10-25). America/New_York: EST (UTC−5) → EDT (UTC−4) at 02:00 on the second Sunday of
    // March (2026-03-08), back at 02:00 on the first Sunday of November (2026-11-01).

    [Fact]
    public void A_working_day_after_the_clocks_go_forward_still_holds_eight_hours()
    {
        var calendar = Calendar(Sofia);

        // Friday 09:00 EET is 07:00 UTC; Monday 17:00 EEST is 14:00 UTC.
        Assert.Equal(Utc("2026-03-30T14:00:00"), calendar.Add(Utc("2026-03-27T07:00:00"), TimeSpan.FromHours(16)));
        Assert.Equal(TimeSpan.FromHours(16), calendar.BusinessTimeBetween(Utc("2026-03-27T07:00:00"), Utc("2026-03-30T14:00:00")));
        Assert.Equal(Utc("2026-03-30T06:00:00"), calendar.NextWorkingMoment(Utc("2026-03-27T15:00:00")));
    }

    [Fact]
    public void A_working_day_after_the_clocks_go_back_still_holds_eight_hours()
    {
        var calendar = Calendar(NewYork);

        // Friday 15:00 EDT is 19:00 UTC; four working hours later is Monday 11:00 EST, 16:00 UTC.
        Assert.Equal(Utc("2026-11-02T16:00:00"), calendar.Add(Utc("2026-10-30T19:00:00"), TimeSpan.FromHours(4)));
        Assert.Equal(Utc("2026-11-02T14:00:00"), calendar.NextWorkingDayStart(Utc("2026-10-30T19:00:00")));
        Assert.Equal(Utc("2026-10-30T19:00:00"), calendar.Subtract(Utc("2026-11-02T16:00:00"), TimeSpan.FromHours(4)));
    }

    [Theory]
    [InlineData("Europe/Sofia", "2026-03-29", 23)]
    [InlineData("Europe/Sofia", "2026-10-25", 25)]
    [InlineData("America/New_York", "2026-03-08", 23)]
    [InlineData("America/New_York", "2026-11-01", 25)]
    [InlineData("America/New_York", "2026-11-02", 24)]
    public void A_round_the_clock_day_holds_the_hours_its_clock_really_runs(string zoneId, string date, int hours)
    {
        var zone = TimeZones.Find(zoneId);
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        var calendar = new BusinessCalendar(new BusinessHours(zone, 0, 24 * 60, [day.DayOfWeek], []));
        var dayBefore = day.AddDays(-1).ToDateTime(new TimeOnly(12, 0));
        var dayAfter = day.AddDays(1).ToDateTime(new TimeOnly(12, 0));

        var worked = calendar.BusinessTimeBetween(new DateTimeOffset(dayBefore, zone.GetUtcOffset(dayBefore)), new DateTimeOffset(dayAfter, zone.GetUtcOffset(dayAfter)));

        Assert.Equal(TimeSpan.FromHours(hours), worked);
    }

    [Fact]
    public void A_start_the_clock_skips_is_the_moment_it_jumps()
    {
        // Sofia skips 03:00–04:00 on 2026-03-29: work written from 03:30 starts at 04:00 EEST (01:00 UTC).
        var calendar = Calendar(Sofia, "03:30", "05:00", EveryDay);

        Assert.Equal(Utc("2026-03-29T01:00:00"), calendar.NextWorkingMoment(Utc("2026-03-28T12:00:00")));
        Assert.False(calendar.IsWorkingTime(Utc("2026-03-29T00:59:59")));
        Assert.True(calendar.IsWorkingTime(Utc("2026-03-29T01:00:00")));
        Assert.Equal(TimeSpan.FromHours(1), calendar.BusinessTimeBetween(Utc("2026-03-28T12:00:00"), Utc("2026-03-29T12:00:00")));
    }

    [Fact]
    public void A_start_the_clock_skips_in_new_york_is_the_moment_it_jumps()
    {
        // New York skips 02:00–03:00 on 2026-03-08: 02:30–09:00 works 03:00 EDT (07:00 UTC) to 09:00 EDT (13:00 UTC).
        var calendar = Calendar(NewYork, "02:30", "09:00", EveryDay);

        Assert.Equal(Utc("2026-03-08T07:00:00"), calendar.NextWorkingMoment(Utc("2026-03-08T00:00:00")));
        Assert.Equal(Utc("2026-03-08T13:00:00"), calendar.Add(Utc("2026-03-08T00:00:00"), TimeSpan.FromHours(6)));
    }

    [Fact]
    public void Hours_the_clock_skips_entirely_hold_no_work_that_day()
    {
        var calendar = Calendar(Sofia, "03:15", "03:45", EveryDay);

        // Nothing on the 29th: the next window is 03:15 EEST on the 30th, 00:15 UTC.
        Assert.Equal(Utc("2026-03-30T00:15:00"), calendar.NextWorkingMoment(Utc("2026-03-28T12:00:00")));
    }

    [Fact]
    public void A_start_the_clock_shows_twice_is_its_first_showing()
    {
        // Sofia shows 03:00–04:00 twice on 2026-10-25: 03:30–05:00 runs from 03:30 EEST (00:30 UTC) to 05:00 EET (03:00 UTC).
        var calendar = Calendar(Sofia, "03:30", "05:00", EveryDay);

        Assert.Equal(Utc("2026-10-25T00:30:00"), calendar.NextWorkingMoment(Utc("2026-10-24T12:00:00")));
        Assert.Equal(TimeSpan.FromHours(2.5), calendar.BusinessTimeBetween(Utc("2026-10-24T12:00:00"), Utc("2026-10-25T12:00:00")));
    }

    [Fact]
    public void An_end_the_clock_shows_twice_is_its_first_showing()
    {
        // New York shows 01:00–02:00 twice on 2026-11-01: 00:00–01:30 ends at the first 01:30, EDT (05:30 UTC).
        var calendar = Calendar(NewYork, "00:00", "01:30", EveryDay);

        Assert.True(calendar.IsWorkingTime(Utc("2026-11-01T05:29:00")));
        Assert.False(calendar.IsWorkingTime(Utc("2026-11-01T05:30:00")));
        Assert.False(calendar.IsWorkingTime(Utc("2026-11-01T06:15:00")));   // 01:15 EST, the second showing
        Assert.Equal(TimeSpan.FromHours(1.5), calendar.BusinessTimeBetween(Utc("2026-10-31T12:00:00"), Utc("2026-11-01T12:00:00")));
    }

    [Fact]
    public void A_persons_calendar_is_the_departments_hours_on_their_own_clock()
    {
        var department = new BusinessHours(Sofia, 9 * 60, 17 * 60, Weekdays, [new DateOnly(2026, 11, 26)]);
        var person = new BusinessCalendar(department.InZone(NewYork));

        // 09:00 in New York is 14:00 UTC (16:00 in Sofia); the department's holiday is a holiday on the person's date too.
        Assert.Equal(Utc("2026-11-25T14:00:00"), person.NextWorkingMoment(Utc("2026-11-25T08:00:00")));
        Assert.Equal(Utc("2026-11-27T14:00:00"), person.NextWorkingMoment(Utc("2026-11-26T08:00:00")));
    }

    [Fact]
    public void Adding_and_measuring_agree_everywhere()
    {
        // Seeded, so a failure repeats; spans of up to three weeks from instants around both DST changes of both zones.
        var random = new Random(20261101);
        foreach (var calendar in new[] { Calendar(Sofia, holidays: [new DateOnly(2026, 3, 30)]), Calendar(NewYork, "07:30", "24:00"), Calendar(NewYork, "02:30", "03:30", EveryDay) })
        {
            for (var run = 0; run < 300; run++)
            {
                var start = Utc("2026-02-20T00:00:00").AddMinutes(random.Next(0, 300 * 24 * 60));
                var span = TimeSpan.FromMinutes(random.Next(0, 21 * 24 * 60 / 3));

                var end = calendar.Add(start, span);

                Assert.True(calendar.IsWorkingTime(end) || end == calendar.Subtract(end, TimeSpan.Zero), $"{end:O} is neither working time nor the end of a window");
                Assert.Equal(span, calendar.BusinessTimeBetween(start, end));
                if (span > TimeSpan.Zero)
                    Assert.Equal(span, calendar.BusinessTimeBetween(calendar.Subtract(end, span), end));
            }
        }
    }

    [Fact]
    public void Hours_that_are_not_a_range_within_a_day_or_have_no_working_day_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new BusinessCalendar(new BusinessHours(Sofia, 17 * 60, 9 * 60, Weekdays, [])));
        Assert.Throws<ArgumentException>(() => new BusinessCalendar(new BusinessHours(Sofia, 0, 24 * 60 + 1, Weekdays, [])));
        Assert.Throws<ArgumentException>(() => new BusinessCalendar(new BusinessHours(Sofia, 9 * 60, 17 * 60, [], [])));
    }

    [Fact]
    public void Hours_whose_every_working_day_is_a_holiday_fail_loudly_instead_of_searching_forever()
    {
        var holidays = Enumerable.Range(0, 4 * 366).Select(offset => new DateOnly(2026, 11, 1).AddDays(offset)).ToArray();
        var calendar = Calendar(Sofia, holidays: holidays);

        Assert.Throws<InvalidOperationException>(() => calendar.NextWorkingMoment(Utc("2026-11-02T10:00:00")));
    }

    [Fact]
    public void A_departments_hours_come_from_its_org_file_entry()
    {
        var hours = BusinessHours.Of(new OrgDepartment
        {
            Key = "billing",
            Name = "Billing",
            TimeZone = "America/New_York",
            WorkStartMinute = 8 * 60,
            WorkEndMinute = 16 * 60 + 30,
            WorkingDays = [DayOfWeek.Monday, DayOfWeek.Wednesday],
            Holidays = [new DateOnly(2026, 11, 26)],
        });

        Assert.Equal(NewYork, hours.Zone);
        Assert.Equal((8 * 60, 16 * 60 + 30), (hours.WorkStartMinute, hours.WorkEndMinute));
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Wednesday], hours.WorkingDays);
        Assert.Equal(TimeSpan.FromHours(8.5), hours.WorkingDayLength);
        Assert.Equal(TimeZoneInfo.Utc, BusinessHours.Of(new OrgDepartment { Key = "a", Name = "A" }).Zone);
    }
}
