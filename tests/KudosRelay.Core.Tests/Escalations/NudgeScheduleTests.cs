using System.Globalization;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Escalations;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Escalations;

public sealed class NudgeScheduleTests
{
    private static readonly TimeZoneInfo Sofia = TimeZones.Find("Europe/Sofia");
    private static readonly TimeZoneInfo NewYork = TimeZones.Find("America/New_York");

    private static readonly DayOfWeek[] Weekdays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>The sweeper's interval is 30 s; a minute keeps a fortnight's walk short and every expected time is on the minute.</summary>
    private static readonly TimeSpan Sweep = TimeSpan.FromMinutes(1);

    private static BusinessHours NineToFive(TimeZoneInfo zone, params DateOnly[] holidays) => new(zone, 9 * 60, 17 * 60, Weekdays, holidays);

    private static DateTimeOffset Utc(string dateTime) =>
        DateTimeOffset.Parse(dateTime + "Z", CultureInfo.InvariantCulture);

    /// <summary>
    /// What the sweeper does, on a fake clock from the moment the escalation is raised: at every sweep, ask the schedule
    /// for the next nudge and send it once its time has come and its recipient is at work; apply the people's answers
    /// at the moments given. Returns the history at <paramref name="until"/>.
    /// </summary>
    private static NudgeHistory Walk(
        NudgeSchedule schedule, NudgeHistory history, Func<string, BusinessCalendar> recipientOf, DateTimeOffset until,
        Dictionary<DateTimeOffset, Func<NudgeHistory, NudgeHistory>>? answers = null)
    {
        var clock = new ManualClock(history.RaisedAt);
        for (var now = clock.GetUtcNow(); now <= until; clock.Advance(Sweep), now = clock.GetUtcNow())
        {
            if (answers is not null && answers.TryGetValue(now, out var answer))
                history = answer(history);
            if (schedule.Next(history, now) is { } step && step.At <= now && recipientOf(step.Stage).IsWorkingTime(now))
                history = history with { Sent = [.. history.Sent, new SentNudge(step.Stage, now)] };
        }
        return history;
    }

    private static NudgeHistory Acknowledged(NudgeHistory history, DateTimeOffset at) => history with { AcknowledgedAt = at };

    [Fact]
    public void A_fortnight_in_sofia_across_the_october_change_with_a_holiday_and_the_lead_in_new_york_after_its_november_change()
    {
        // Billing works 09:00–17:00 in Sofia, Monday 26 October is a holiday; the escalation goes to its channel, the lead
        // note to a lead who works 09:00–17:00 in New York. Sofia leaves summer time on 25 October, New York on 1 November.
        var billing = NineToFive(Sofia, new DateOnly(2026, 10, 26));
        var calendar = new BusinessCalendar(billing);
        var schedule = new NudgeSchedule(NudgePolicy.Default with { HeadsUpBefore = BusinessDuration.FromHours(1) }, calendar);
        var channel = NudgeSchedule.RecipientCalendar(billing, null);
        var lead = NudgeSchedule.RecipientCalendar(billing, NewYork);
        var raised = Utc("2026-10-22T12:00:00");                       // Thursday 15:00 EEST
        var due = calendar.Add(raised, TimeSpan.FromHours(8));          // the SLA: Friday 15:00 EEST

        var history = Walk(schedule, new NudgeHistory(raised, due, []), stage => stage == NudgeStages.Lead ? lead : channel, raised.AddDays(14));

        Assert.Equal(Utc("2026-10-23T12:00:00"), due);
        Assert.Equal(
        [
            new SentNudge("heads-up", Utc("2026-10-23T11:00:00")),     // Friday 14:00 EEST, an hour of work before due
            new SentNudge("due", Utc("2026-10-23T12:00:00")),          // Friday 15:00 EEST
            new SentNudge("reminder-1", Utc("2026-10-27T09:00:00")),   // 2 h on Friday, 2 h on Tuesday (Monday a holiday): 11:00 EET
            new SentNudge("reminder-2", Utc("2026-10-28T09:00:00")),   // one working day later, Wednesday 11:00 EET
            new SentNudge("reminder-3", Utc("2026-10-30T09:00:00")),   // two working days later, Friday 11:00 EET
            new SentNudge("lead", Utc("2026-11-03T14:00:00")),         // due Tuesday 11:00 EET, 04:00 in New York: sent at 09:00 EST
        ], history.Sent);
        Assert.All(history.Sent, nudge => Assert.True((nudge.Stage == "lead" ? lead : channel).IsWorkingTime(nudge.SentAt)));
        Assert.Null(schedule.Next(history, raised.AddDays(14)));
        Assert.Null(schedule.Next(history, raised.AddDays(60)));
    }

    [Fact]
    public void A_fortnight_in_new_york_across_the_march_change_with_the_owner_in_sofia_who_says_im_on_it()
    {
        // Support works 09:00–17:00 in New York, Tuesday 17 March is a holiday; the owner works Support's hours in Sofia,
        // the lead in New York. New York moves to summer time on 8 March (Sofia not until the 29th).
        var support = NineToFive(NewYork, new DateOnly(2026, 3, 17));
        var calendar = new BusinessCalendar(support);
        var schedule = new NudgeSchedule(NudgePolicy.Default, calendar);
        var owner = NudgeSchedule.RecipientCalendar(support, Sofia);
        var lead = NudgeSchedule.RecipientCalendar(support, null);
        var raised = Utc("2026-03-05T15:00:00");                       // Thursday 10:00 EST
        var due = calendar.Add(raised, TimeSpan.FromHours(8));          // Friday 10:00 EST
        var onIt = Utc("2026-03-10T14:00:00");                          // Tuesday 16:00 in Sofia, 10:00 EDT

        var history = Walk(schedule, new NudgeHistory(raised, due, []), stage => stage == NudgeStages.Lead ? lead : owner, raised.AddDays(14),
            new Dictionary<DateTimeOffset, Func<NudgeHistory, NudgeHistory>> { [onIt] = current => Acknowledged(current, onIt) });

        Assert.Equal(
        [
            new SentNudge("due", Utc("2026-03-09T07:00:00")),          // due Friday 17:00 in Sofia, after hours: Monday 09:00 EET
            new SentNudge("reminder-1", Utc("2026-03-10T07:00:00")),   // 4 h from 09:00 EDT is 13:00 EDT, 19:00 in Sofia: Tuesday 09:00 EET
            new SentNudge("reminder-2", Utc("2026-03-11T14:00:00")),   // a day would be Tuesday 17:00 EDT; the grace after "I'm on it" holds it to Wednesday 10:00 EDT
            new SentNudge("reminder-3", Utc("2026-03-13T14:00:00")),   // two working days later, Friday 10:00 EDT, 16:00 in Sofia
            new SentNudge("lead", Utc("2026-03-18T14:00:00")),         // Friday 7 h, Monday 8 h, Tuesday a holiday: Wednesday 10:00 EDT
        ], history.Sent);
        Assert.Null(schedule.Next(history, raised.AddDays(14)));
    }

    [Fact]
    public void A_fortnight_in_sofia_across_the_march_change_with_a_heads_up_and_a_holiday_before_the_lead_note()
    {
        // Raised on Friday in winter time with a due time given for Monday noon, summer time; Friday 3 April is a holiday.
        var care = NineToFive(Sofia, new DateOnly(2026, 4, 3));
        var calendar = new BusinessCalendar(care);
        var schedule = new NudgeSchedule(NudgePolicy.Default with { HeadsUpBefore = BusinessDuration.FromHours(2) }, calendar);
        var channel = NudgeSchedule.RecipientCalendar(care, null);
        var raised = Utc("2026-03-27T08:00:00");                       // Friday 10:00 EET
        var due = Utc("2026-03-30T09:00:00");                          // Monday 12:00 EEST

        var history = Walk(schedule, new NudgeHistory(raised, due, []), _ => channel, raised.AddDays(14));

        Assert.Equal(
        [
            new SentNudge("heads-up", Utc("2026-03-30T07:00:00")),     // Monday 10:00 EEST
            new SentNudge("due", Utc("2026-03-30T09:00:00")),
            new SentNudge("reminder-1", Utc("2026-03-30T13:00:00")),   // Monday 16:00 EEST
            new SentNudge("reminder-2", Utc("2026-03-31T13:00:00")),   // Tuesday 16:00
            new SentNudge("reminder-3", Utc("2026-04-02T13:00:00")),   // Thursday 16:00
            new SentNudge("lead", Utc("2026-04-07T13:00:00")),         // Thursday 1 h, Friday a holiday, Monday 8 h: Tuesday 16:00
        ], history.Sent);
        Assert.Null(schedule.Next(history, raised.AddDays(14)));
    }

    [Fact]
    public void Nothing_reaches_a_recipient_outside_their_working_time_on_any_day_of_a_fortnight()
    {
        // A due time every hour of a fortnight, owner in New York, department in Sofia: each first nudge waits for New York's day.
        var billing = NineToFive(Sofia, new DateOnly(2026, 10, 28));
        var schedule = new NudgeSchedule(NudgePolicy.Default, new BusinessCalendar(billing));
        var owner = NudgeSchedule.RecipientCalendar(billing, NewYork);

        for (var due = Utc("2026-10-20T00:00:00"); due < Utc("2026-11-03T00:00:00"); due = due.AddHours(1))
        {
            var step = schedule.Next(new NudgeHistory(due.AddHours(-8), due, []), due)!;
            var delivered = step.DeliverableTo(owner);

            Assert.Equal(NudgeStages.Due, step.Stage);
            Assert.True(owner.IsWorkingTime(delivered), $"{delivered:O}");
            Assert.True(delivered >= due);
            var local = TimeZoneInfo.ConvertTime(delivered, NewYork);
            Assert.InRange(local.TimeOfDay, TimeSpan.FromHours(9), TimeSpan.FromHours(17) - TimeSpan.FromTicks(1));
            Assert.NotEqual(new DateOnly(2026, 10, 28), DateOnly.FromDateTime(local.DateTime));
        }
    }

    private static readonly BusinessHours Utc9To5 = NineToFive(TimeZoneInfo.Utc);
    private static readonly BusinessCalendar UtcCalendar = new(Utc9To5);

    // Monday 23 November 2026, 09:00–17:00 UTC: due on Monday at 13:00.
    private static readonly DateTimeOffset Raised = Utc("2026-11-20T10:00:00");
    private static readonly DateTimeOffset Due = Utc("2026-11-23T13:00:00");

    private static NudgeStep? Next(NudgePolicy policy, DateTimeOffset now, params SentNudge[] sent) =>
        new NudgeSchedule(policy, UtcCalendar).Next(new NudgeHistory(Raised, Due, sent), now);

    [Fact]
    public void Without_a_heads_up_the_first_nudge_is_at_the_due_time()
    {
        Assert.Equal(new NudgeStep("due", Due), Next(NudgePolicy.Default, Raised));
    }

    [Fact]
    public void A_heads_up_comes_its_working_time_before_the_due_time()
    {
        var policy = NudgePolicy.Default with { HeadsUpBefore = BusinessDuration.FromHours(5) };

        // 13:00 on Monday less 5 working hours: 4 on Monday morning, 1 on Friday afternoon.
        Assert.Equal(new NudgeStep("heads-up", Utc("2026-11-20T16:00:00")), Next(policy, Raised));
    }

    [Fact]
    public void No_heads_up_when_the_escalation_was_raised_after_its_moment_or_the_due_time_has_come()
    {
        var policy = NudgePolicy.Default with { HeadsUpBefore = BusinessDuration.FromHours(1) };
        var schedule = new NudgeSchedule(policy, UtcCalendar);

        var raisedLate = schedule.Next(new NudgeHistory(Utc("2026-11-23T12:30:00"), Due, []), Utc("2026-11-23T12:30:00"));
        var pastDue = schedule.Next(new NudgeHistory(Raised, Due, []), Due);

        Assert.Equal(new NudgeStep("due", Due), raisedLate);
        Assert.Equal(new NudgeStep("due", Due), pastDue);
    }

    [Fact]
    public void Im_on_it_before_the_due_time_drops_the_heads_up_and_holds_the_due_nudge_for_the_grace()
    {
        var policy = NudgePolicy.Default with { HeadsUpBefore = BusinessDuration.FromHours(1) };
        var history = new NudgeHistory(Raised, Due, []) { AcknowledgedAt = Utc("2026-11-23T10:00:00") };

        var step = new NudgeSchedule(policy, UtcCalendar).Next(history, Utc("2026-11-23T10:00:00"));

        Assert.Equal(new NudgeStep("due", Utc("2026-11-24T10:00:00")), step);   // a working day after the answer
    }

    [Fact]
    public void Each_reminder_waits_its_working_time_after_the_nudge_before_it_went_out()
    {
        var sentLate = Utc("2026-11-23T15:00:00");   // due at 13:00, sent at 15:00 (the recipient's morning)

        var first = Next(NudgePolicy.Default, sentLate, new SentNudge("due", sentLate));
        var second = Next(NudgePolicy.Default, sentLate, new SentNudge("due", sentLate), new SentNudge("reminder-1", Utc("2026-11-24T11:00:00")));

        Assert.Equal(new NudgeStep("reminder-1", Utc("2026-11-24T11:00:00")), first);    // 2 h on Monday, 2 h on Tuesday
        Assert.Equal(new NudgeStep("reminder-2", Utc("2026-11-25T11:00:00")), second);   // one working day
    }

    [Fact]
    public void A_working_day_is_the_departments_day_whatever_its_length()
    {
        var shortDays = new BusinessCalendar(Utc9To5 with { WorkStartMinute = 10 * 60, WorkEndMinute = 14 * 60 });
        var schedule = new NudgeSchedule(NudgePolicy.Default with { Reminders = [BusinessDuration.FromDays(1)] }, shortDays);

        var step = schedule.Next(new NudgeHistory(Raised, Due, [new SentNudge("due", Due)]), Due);

        Assert.Equal(new NudgeStep("reminder-1", Utc("2026-11-24T13:00:00")), step);   // 4 hours of a 10:00–14:00 day
    }

    [Fact]
    public void After_the_last_reminder_the_lead_hears_once_the_last_wait_later_then_silence()
    {
        var sent = new[]
        {
            new SentNudge("due", Due), new SentNudge("reminder-1", Utc("2026-11-23T17:00:00")),
            new SentNudge("reminder-2", Utc("2026-11-24T17:00:00")), new SentNudge("reminder-3", Utc("2026-11-26T17:00:00")),
        };

        var lead = Next(NudgePolicy.Default, Utc("2026-11-26T17:00:00"), sent);
        var after = Next(NudgePolicy.Default, Utc("2026-12-31T12:00:00"), [.. sent, new SentNudge("lead", Utc("2026-11-30T17:00:00"))]);

        Assert.Equal(new NudgeStep("lead", Utc("2026-11-30T17:00:00")), lead);
        Assert.Null(after);
    }

    [Fact]
    public void Without_a_lead_note_silence_follows_the_last_reminder()
    {
        var policy = NudgePolicy.Default with { LeadNote = false, Reminders = [BusinessDuration.FromHours(4)] };

        Assert.Null(Next(policy, Due.AddDays(30), new SentNudge("due", Due), new SentNudge("reminder-1", Due.AddHours(4))));
        Assert.Null(Next(policy with { Reminders = [] }, Due.AddDays(30), new SentNudge("due", Due)));
    }

    [Fact]
    public void A_policy_shortened_after_reminders_went_out_goes_on_to_the_lead_note()
    {
        var policy = NudgePolicy.Default with { Reminders = [BusinessDuration.FromHours(1)] };

        var step = Next(policy, Due, new SentNudge("due", Due), new SentNudge("reminder-1", Due), new SentNudge("reminder-2", Utc("2026-11-24T09:00:00")));

        Assert.Equal(new NudgeStep("lead", Utc("2026-11-24T10:00:00")), step);
    }

    [Fact]
    public void Sent_nudges_count_by_stage_whatever_their_order_and_unknown_names_are_ignored()
    {
        var step = Next(NudgePolicy.Default, Due, new SentNudge("reminder-1", Utc("2026-11-23T17:00:00")), new SentNudge("resolved", Due), new SentNudge("due", Due));

        Assert.Equal(new NudgeStep("reminder-2", Utc("2026-11-24T17:00:00")), step);
    }

    [Fact]
    public void Im_on_it_holds_the_next_reminder_until_the_grace_has_passed_and_no_longer()
    {
        var history = new NudgeHistory(Raised, Due, [new SentNudge("due", Due)]) { AcknowledgedAt = Utc("2026-11-23T14:00:00") };
        var schedule = new NudgeSchedule(NudgePolicy.Default with { Grace = BusinessDuration.FromHours(6) }, UtcCalendar);

        var held = schedule.Next(history, Due);
        var longAgo = schedule.Next(history with { AcknowledgedAt = Utc("2026-11-16T14:00:00") }, Due);

        Assert.Equal(new NudgeStep("reminder-1", Utc("2026-11-24T12:00:00")), held);     // 3 h on Monday, 3 h on Tuesday
        Assert.Equal(new NudgeStep("reminder-1", Utc("2026-11-23T17:00:00")), longAgo);  // the plain 4 h
    }

    [Fact]
    public void A_snoozed_escalation_waits_for_the_end_of_the_snooze()
    {
        var until = UtcCalendar.NextWorkingDayStart(Due);
        var history = new NudgeHistory(Raised, Due, [new SentNudge("due", Due)]) { SnoozedUntil = until };

        Assert.Equal(new NudgeStep("reminder-1", Utc("2026-11-24T09:00:00")), new NudgeSchedule(NudgePolicy.Default, UtcCalendar).Next(history, Due));
    }

    [Fact]
    public void A_channel_follows_the_departments_clock_and_a_person_their_own()
    {
        var billing = NineToFive(Sofia);
        var at = Utc("2026-11-23T15:30:00");   // 17:30 in Sofia, 10:30 in New York

        Assert.Equal(Utc("2026-11-24T07:00:00"), NudgeSchedule.DeliverableAt(at, billing, null));
        Assert.Equal(at, NudgeSchedule.DeliverableAt(at, billing, NewYork));
        Assert.Equal(Utc("2026-11-24T07:00:00"), new NudgeStep("due", at).DeliverableTo(NudgeSchedule.RecipientCalendar(billing, null)));
    }

    [Fact]
    public void A_departments_schedule_comes_from_its_hours_and_policy()
    {
        var department = new DepartmentHours(7, "billing", TimeSpan.FromHours(8), Utc9To5) { Nudges = NudgePolicy.Default with { Reminders = [BusinessDuration.FromMinutes(30)] } };

        var step = NudgeSchedule.For(department).Next(new NudgeHistory(Raised, Due, [new SentNudge("due", Due)]), Due);

        Assert.Equal(new NudgeStep("reminder-1", Due.AddMinutes(30)), step);
    }

    [Theory]
    [InlineData("reminder-1", 1)]
    [InlineData("reminder-12", 12)]
    [InlineData("reminder-0", null)]
    [InlineData("reminder-x", null)]
    [InlineData("reminder--1", null)]
    [InlineData("due", null)]
    [InlineData("lead", null)]
    public void Reminder_stages_are_numbered_from_one(string stage, int? number)
    {
        Assert.Equal(number, NudgeStages.ReminderNumber(stage));
        if (number is { } n)
            Assert.Equal(stage, NudgeStages.Reminder(n));
    }
}
