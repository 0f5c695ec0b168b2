using System.Globalization;

namespace KudosRelay.Core.Digests;

/// <summary>
/// When a subscription's digests go out. The digest of an ISO week (Monday to Sunday in the subscription's time
/// zone) is sent on the subscription's day and local time in the week after it. The week is named from local dates
/// only, so a daylight-saving change moves the moment in UTC but never adds or drops a week.
/// </summary>
internal static class DigestScheduling
{
    /// <summary>
    /// The latest digest due at or before <paramref name="now"/>: the week it covers and the moment it was due.
    /// </summary>
    public static DigestDue LatestDue(DigestSchedule schedule, DateTimeOffset now)
    {
        var zone = schedule.Zone;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var sendDay = MondayOf(today).AddDays(schedule.IsoDay - 1);
        var sendAt = ToUtc(zone, sendDay, schedule.LocalTime);
        if (sendAt > now)
        {
            sendDay = sendDay.AddDays(-7);
            sendAt = ToUtc(zone, sendDay, schedule.LocalTime);
        }
        return new DigestDue(Week.Of(MondayOf(sendDay).AddDays(-7), zone), sendAt);
    }

    /// <summary>When the digest of <paramref name="week"/> is due under <paramref name="schedule"/>.</summary>
    public static DateTimeOffset DueAt(DigestSchedule schedule, Week week) =>
        ToUtc(schedule.Zone, week.Monday.AddDays(7 + schedule.IsoDay - 1), schedule.LocalTime);

    public static DateOnly MondayOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>
    /// A local wall-clock time as a UTC moment. A time the clocks skip (02:30 on a spring-forward night) is read as
    /// the first minute after the gap; a time that happens twice (an autumn night) as its first occurrence.
    /// </summary>
    public static DateTimeOffset ToUtc(TimeZoneInfo zone, DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        // Gaps are at most a few hours long (usually one); a minute at a time keeps this obviously right.
        for (var guard = 0; zone.IsInvalidTime(local) && guard < 24 * 60; guard++)
            local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>A week named like "2026-W47", or null when <paramref name="name"/> is not one.</summary>
    public static DateOnly? ParseWeek(string name)
    {
        if (name.Length is < 7 or > 8 || name[4] != '-' || char.ToUpperInvariant(name[5]) != 'W'
            || !int.TryParse(name.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(name.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year < 1 || number < 1 || number > ISOWeek.GetWeeksInYear(year))
            return null;
        return DateOnly.FromDateTime(ISOWeek.ToDateTime(year, number, DayOfWeek.Monday));
    }
}

/// <summary>A subscription's day (ISO: Monday 1 … Sunday 7), local time and time zone.</summary>
internal sealed record DigestSchedule(int IsoDay, TimeOnly LocalTime, TimeZoneInfo Zone);

/// <summary>The digest of <paramref name="Week"/>, due at <paramref name="DueAt"/>.</summary>
internal sealed record DigestDue(Week Week, DateTimeOffset DueAt);

/// <summary>An ISO week in a time zone: its name and the UTC moments it starts and ends.</summary>
internal sealed record Week(string Name, DateOnly Monday, DateTime From, DateTime To)
{
    public static Week Of(DateOnly monday, TimeZoneInfo zone) => new(
        IsoWeek.Of(monday), monday,
        DigestScheduling.ToUtc(zone, monday, TimeOnly.MinValue).UtcDateTime,
        DigestScheduling.ToUtc(zone, monday.AddDays(7), TimeOnly.MinValue).UtcDateTime);

    public Week Before(TimeZoneInfo zone, int weeks = 1) => Of(Monday.AddDays(-7 * weeks), zone);
}
