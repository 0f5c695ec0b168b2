using System.Collections.Concurrent;

namespace KudosRelay.Core.Calendar;

/// <summary>
/// Arithmetic on working time: the windows of <see cref="BusinessHours"/>, laid out on real instants.
/// Every result is an instant in UTC (offset zero); inputs may carry any offset.
/// </summary>
/// <remarks>
/// Working hours are wall-clock times, so a 09:00–17:00 day is 8 hours of work on either side of a
/// DST change. A wall-clock time is the first instant at which the zone's clock shows that time or a
/// later one:
/// <list type="bullet">
/// <item>a time the clock skips (02:30 when it jumps from 02:00 to 03:00) is the instant of the jump,
/// so a day written 02:30–05:00 works 03:00–05:00 that date, and one written 02:15–02:45 has no work;</item>
/// <item>a time the clock shows twice (01:30 when it goes back from 02:00 to 01:00) is its first showing,
/// so a day written 00:00–24:00 holds 25 hours of work that date, and one written 01:00–01:30 half an hour.</item>
/// </list>
/// Windows are half-open: 17:00 on a 09:00–17:00 day is no longer working time.
/// Keep one calendar for many questions (a department's for a whole sweep): it remembers the days it has laid out.
/// </remarks>
internal sealed class BusinessCalendar
{
    // Every date is a holiday or a day off for this long: the hours hold no working time at all
    // (a day list of holidays years long). A calendar with no working day is refused outright.
    private const int MaxDaysWithoutWork = 3 * 366;

    private readonly TimeZoneInfo zone;
    private readonly int startMinute;
    private readonly int endMinute;
    private readonly HashSet<DayOfWeek> workingDays;
    private readonly HashSet<DateOnly> holidays;

    // Each date's window is worked out once per calendar: the zone lookups cost microseconds, and a sweep asks about
    // the same few dates for every escalation of a department. Safe to share between threads.
    private readonly ConcurrentDictionary<DateOnly, Window?> windows = new();

    public BusinessCalendar(BusinessHours hours)
    {
        if (hours.WorkStartMinute < 0 || hours.WorkEndMinute > 24 * 60 || hours.WorkStartMinute >= hours.WorkEndMinute)
            throw new ArgumentException($"working hours {hours.WorkStartMinute}–{hours.WorkEndMinute} are not a range within one day (0 ≤ start < end ≤ 1440)", nameof(hours));
        if (hours.WorkingDays.Count == 0)
            throw new ArgumentException("working hours need at least one working day", nameof(hours));
        Hours = hours;
        zone = hours.Zone;
        startMinute = hours.WorkStartMinute;
        endMinute = hours.WorkEndMinute;
        workingDays = [.. hours.WorkingDays];
        holidays = [.. hours.Holidays];
    }

    public BusinessHours Hours { get; }

    public bool IsWorkingTime(DateTimeOffset instant)
    {
        var window = WindowsFrom(instant).First();
        return window.Start <= instant;
    }

    /// <summary>The first instant at or after <paramref name="instant"/> inside working time: the instant itself when it is.</summary>
    public DateTimeOffset NextWorkingMoment(DateTimeOffset instant)
    {
        var window = WindowsFrom(instant).First();
        return Later(window.Start, instant.ToUniversalTime());
    }

    /// <summary>
    /// The instant at which <paramref name="businessTime"/> of working time has passed since <paramref name="start"/>
    /// (an SLA, a back-off). Time outside working hours does not count; a span that ends exactly at the end of a
    /// working day ends there, not on the next morning. Zero gives <see cref="NextWorkingMoment"/>.
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan businessTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(businessTime, TimeSpan.Zero);
        var from = start.ToUniversalTime();
        var remaining = businessTime;
        foreach (var window in WindowsFrom(from))
        {
            var windowStart = Later(window.Start, from);
            var available = window.End - windowStart;
            if (remaining <= available)
                return windowStart + remaining;
            remaining -= available;
        }
        throw NoWorkingTime();
    }

    /// <summary>
    /// The instant <paramref name="businessTime"/> of working time before <paramref name="end"/> (a heads-up before a due
    /// time): the mirror of <see cref="Add"/>. A span that starts exactly at the start of a working day starts there.
    /// Zero gives the last working instant at or before <paramref name="end"/> (the end of the last window when it is outside).
    /// </summary>
    public DateTimeOffset Subtract(DateTimeOffset end, TimeSpan businessTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(businessTime, TimeSpan.Zero);
        var to = end.ToUniversalTime();
        var remaining = businessTime;
        foreach (var window in WindowsBefore(to))
        {
            var windowEnd = Earlier(window.End, to);
            var available = windowEnd - window.Start;
            if (remaining <= available)
                return windowEnd - remaining;
            remaining -= available;
        }
        throw NoWorkingTime();
    }

    /// <summary>How much working time lies between two instants; negative when <paramref name="to"/> is before <paramref name="from"/>.</summary>
    public TimeSpan BusinessTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
            return -BusinessTimeBetween(to, from);
        var total = TimeSpan.Zero;
        foreach (var window in WindowsFrom(from))
        {
            if (window.Start >= to)
                break;
            total += Earlier(window.End, to) - Later(window.Start, from);
        }
        return total;
    }

    /// <summary>
    /// The start of the first working day after <paramref name="instant"/>'s local date ("until tomorrow morning"):
    /// on a Friday, Monday's start; skipping holidays.
    /// </summary>
    public DateTimeOffset NextWorkingDayStart(DateTimeOffset instant)
    {
        var today = LocalDate(instant);
        for (var date = today.AddDays(1); date <= today.AddDays(MaxDaysWithoutWork); date = date.AddDays(1))
        {
            if (WindowOf(date) is { } window)
                return window.Start;
        }
        throw NoWorkingTime();
    }

    /// <summary>The working windows that end after <paramref name="instant"/>, in order (the first may have begun before it).</summary>
    private IEnumerable<Window> WindowsFrom(DateTimeOffset instant)
    {
        // A window lies within its own local date, so the one holding the instant began on its date or, at
        // a transition around midnight, the day before.
        var date = LocalDate(instant).AddDays(-1);
        var lastWork = date;
        while (date.DayNumber - lastWork.DayNumber <= MaxDaysWithoutWork)
        {
            if (WindowOf(date) is { } window && window.End > instant)
            {
                lastWork = date;
                yield return window;
            }
            date = date.AddDays(1);
        }
        throw NoWorkingTime();
    }

    /// <summary>The working windows that start before <paramref name="instant"/>, latest first (the first may end after it).</summary>
    private IEnumerable<Window> WindowsBefore(DateTimeOffset instant)
    {
        var date = LocalDate(instant).AddDays(1);
        var lastWork = date;
        while (lastWork.DayNumber - date.DayNumber <= MaxDaysWithoutWork)
        {
            if (WindowOf(date) is { } window && window.Start < instant)
            {
                lastWork = date;
                yield return window;
            }
            date = date.AddDays(-1);
        }
        throw NoWorkingTime();
    }

    /// <summary>The working window of a local date; null on days off, holidays, and a day whose hours the clock skips entirely.</summary>
    private Window? WindowOf(DateOnly date)
    {
        if (!workingDays.Contains(date.DayOfWeek) || holidays.Contains(date))
            return null;
        return windows.GetOrAdd(date, static (day, calendar) => calendar.WorkingWindowOf(day), this);
    }

    private Window? WorkingWindowOf(DateOnly date)
    {
        var start = InstantOf(date, startMinute);
        var end = InstantOf(date, endMinute);
        return end > start ? new Window(start, end) : null;
    }

    private DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The first instant at which the zone's clock shows <paramref name="minute"/> of <paramref name="date"/> or later (see the remarks on the class).</summary>
    private DateTimeOffset InstantOf(DateOnly date, int minute)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified).AddMinutes(minute);
        if (zone.IsAmbiguousTime(local))
            return Utc(local - zone.GetAmbiguousTimeOffsets(local).Max());
        if (zone.IsInvalidTime(local))
            return Utc(ClockJumpOver(local));
        return Utc(local - zone.GetUtcOffset(local));
    }

    /// <summary>
    /// The instant at which the clock jumped over <paramref name="local"/>: the first at which it reads
    /// <paramref name="local"/> or later. Found by halving, since TimeZoneInfo tells offsets but not
    /// transition instants. Offsets lie within −12:00…+14:00, so the instant lies in the 27 hours searched;
    /// no zone moves its clock back within a day of moving it forward, so the reading only grows there.
    /// </summary>
    private DateTime ClockJumpOver(DateTime local)
    {
        var low = local.Ticks - TimeSpan.FromHours(14).Ticks - 1;   // reads before local
        var high = local.Ticks + TimeSpan.FromHours(13).Ticks;      // reads local or later
        while (high - low > 1)
        {
            var middle = low + (high - low) / 2;
            var utc = new DateTime(middle, DateTimeKind.Utc);
            if (utc + zone.GetUtcOffset(utc) >= local)
                high = middle;
            else
                low = middle;
        }
        return new DateTime(high, DateTimeKind.Utc);
    }

    private static DateTimeOffset Utc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a >= b ? a.ToUniversalTime() : b.ToUniversalTime();

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a <= b ? a.ToUniversalTime() : b.ToUniversalTime();

    private InvalidOperationException NoWorkingTime() =>
        new($"the working hours in {zone.Id} hold no working time within {MaxDaysWithoutWork} days (every working day a holiday?)");

    private readonly record struct Window(DateTimeOffset Start, DateTimeOffset End);
}
