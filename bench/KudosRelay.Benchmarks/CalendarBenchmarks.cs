using BenchmarkDotNet.Attributes;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Escalations;

namespace KudosRelay.Benchmarks;

/// <summary>
/// What the escalation sweeper pays per escalation for time: the next nudge of a department's schedule and when its
/// recipient (in another zone) can get it, on calendars kept for the pass; and the price of a calendar made afresh.
/// </summary>
[MemoryDiagnoser]
public class CalendarBenchmarks
{
    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    private readonly BusinessHours sofia = new(TimeZones.Find("Europe/Sofia"), 9 * 60, 17 * 60, Weekdays, [new DateOnly(2026, 12, 24)]);
    private BusinessCalendar department = null!;
    private BusinessCalendar owner = null!;
    private NudgeSchedule schedule = null!;
    private NudgeHistory[] histories = [];
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        department = new BusinessCalendar(sofia);
        owner = NudgeSchedule.RecipientCalendar(sofia, TimeZones.Find("America/New_York"));
        schedule = new NudgeSchedule(NudgePolicy.Default, department);
        // A thousand escalations due a minute apart over a working week, each with its due nudge and first reminder sent.
        var due = new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);
        histories = Enumerable.Range(0, 1000).Select(i => due.AddMinutes(i * 7))
            .Select(at => new NudgeHistory(at.AddDays(-1), at, [new SentNudge(NudgeStages.Due, at), new SentNudge(NudgeStages.Reminder(1), at.AddHours(4))]))
            .ToArray();
    }

    private NudgeHistory Next() => histories[next++ % histories.Length];

    [Benchmark(Baseline = true)]
    public DateTimeOffset Next_nudge_and_when_its_recipient_can_get_it()
    {
        var history = Next();
        return schedule.Next(history, history.DueAt)!.DeliverableTo(owner);
    }

    [Benchmark]
    public DateTimeOffset Due_time_of_an_8h_sla() => department.Add(Next().RaisedAt, TimeSpan.FromHours(8));

    [Benchmark]
    public DateTimeOffset Due_time_of_an_8h_sla_on_a_fresh_calendar() => new BusinessCalendar(sofia).Add(Next().RaisedAt, TimeSpan.FromHours(8));
}
