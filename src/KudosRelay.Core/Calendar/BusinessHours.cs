using KudosRelay.Core.People;

namespace KudosRelay.Core.Calendar;

/// <summary>
/// When someone works: from <see cref="WorkStartMinute"/> to <see cref="WorkEndMinute"/> (minutes since local
/// midnight, wall-clock times in <see cref="Zone"/>; 1440 is midnight at the end of the day) on each of
/// <see cref="WorkingDays"/> that is not one of <see cref="Holidays"/> (local dates in <see cref="Zone"/>).
/// </summary>
internal sealed record BusinessHours(TimeZoneInfo Zone, int WorkStartMinute, int WorkEndMinute, IReadOnlyList<DayOfWeek> WorkingDays, IReadOnlyList<DateOnly> Holidays)
{
    /// <summary>The length of one working day as the hours are written (09:00–17:00 is 8 hours), whatever a DST change does to one date.</summary>
    public TimeSpan WorkingDayLength => TimeSpan.FromMinutes(WorkEndMinute - WorkStartMinute);

    /// <summary>
    /// The same hours, days and holidays read in another zone: a person's working time is their
    /// department's hours on their own wall clock.
    /// </summary>
    public BusinessHours InZone(TimeZoneInfo zone) => this with { Zone = zone };

    /// <summary>The hours an org file (or an export of the database) gives a department.</summary>
    public static BusinessHours Of(OrgDepartment department) => new(
        TimeZones.Find(department.TimeZone), department.WorkStartMinute, department.WorkEndMinute, department.WorkingDays, department.Holidays);
}

/// <summary>Zones by the IANA id an org file and the database hold.</summary>
internal static class TimeZones
{
    /// <summary>
    /// The zone named <paramref name="ianaId"/> ("Europe/Sofia", "UTC"). The org reader refuses ids
    /// this machine does not know, so a stored id that is missing here is a broken installation:
    /// <see cref="TimeZoneNotFoundException"/>.
    /// </summary>
    public static TimeZoneInfo Find(string ianaId) =>
        ianaId == "UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(ianaId);
}
