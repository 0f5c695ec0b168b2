namespace KudosRelay.Core.Digests;

/// <summary>
/// How long an escalation took in its department's working hours: the one place the digest counts business time.
/// Until the shared business calendar (Core/Calendar) is in, it walks the department's local days itself.
/// </summary>
internal static class ResolutionTime
{
    public static TimeSpan InBusinessHours(DepartmentHours hours, DateTime fromUtc, DateTime toUtc)
    {
        if (toUtc <= fromUtc || hours.WorkEndMinute <= hours.WorkStartMinute
            || !TimeZoneInfo.TryFindSystemTimeZoneById(hours.TimeZone, out var zone))
            return TimeSpan.Zero;
        var from = new DateTimeOffset(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc));
        var to = new DateTimeOffset(DateTime.SpecifyKind(toUtc, DateTimeKind.Utc));
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, zone).DateTime);
        var total = TimeSpan.Zero;
        for (; day <= lastDay; day = day.AddDays(1))
        {
            if (!hours.WorkingDays.Contains(day.DayOfWeek) || hours.Holidays.Contains(day))
                continue;
            var start = DigestScheduling.ToUtc(zone, day, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(hours.WorkStartMinute)));
            var end = hours.WorkEndMinute >= 24 * 60
                ? DigestScheduling.ToUtc(zone, day.AddDays(1), TimeOnly.MinValue)
                : DigestScheduling.ToUtc(zone, day, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(hours.WorkEndMinute)));
            var overlapStart = start > from ? start : from;
            var overlapEnd = end < to ? end : to;
            if (overlapEnd > overlapStart)
                total += overlapEnd - overlapStart;
        }
        return total;
    }
}
