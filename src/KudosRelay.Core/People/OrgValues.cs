using System.Globalization;
using System.Text.RegularExpressions;

namespace KudosRelay.Core.People;

/// <summary>
/// The scalar formats of an org file (durations, clock times, days, dates, addresses), read and
/// written in one place so that an exported file always reads back to the same values.
/// </summary>
internal static partial class OrgValues
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly (DayOfWeek Day, string Short)[] Days =
    [
        (DayOfWeek.Monday, "Mon"), (DayOfWeek.Tuesday, "Tue"), (DayOfWeek.Wednesday, "Wed"), (DayOfWeek.Thursday, "Thu"),
        (DayOfWeek.Friday, "Fri"), (DayOfWeek.Saturday, "Sat"), (DayOfWeek.Sunday, "Sun"),
    ];

    // Deliberately loose: one @, something on each side, a dot in the domain. Mail servers are the real judge.
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s.]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^(?:(\d{1,4})h)?(?:(\d{1,5})m)?$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(\d{1,2}):(\d{2})$")]
    private static partial Regex ClockPattern();

    public static bool IsEmail(string value) => EmailPattern().IsMatch(value);

    public static bool IsKey(string value) => KeyPattern().IsMatch(value);

    /// <summary>Reads "16h", "90m" or "1h30m" as minutes.</summary>
    public static int? ParseDuration(string value)
    {
        var match = DurationPattern().Match(value);
        if (!match.Success || (!match.Groups[1].Success && !match.Groups[2].Success))
            return null;
        var hours = match.Groups[1].Success ? int.Parse(match.Groups[1].Value, Invariant) : 0;
        var minutes = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, Invariant) : 0;
        return hours * 60 + minutes;
    }

    public static string FormatDuration(int minutes) => (minutes / 60, minutes % 60) switch
    {
        (0, var m) => $"{m}m",
        (var h, 0) => $"{h}h",
        var (h, m) => $"{h}h{m}m",
    };

    /// <summary>Reads "HH:mm" as minutes since midnight; "24:00" only when <paramref name="allowEndOfDay"/>.</summary>
    public static int? ParseClockMinutes(string value, bool allowEndOfDay)
    {
        var match = ClockPattern().Match(value);
        if (!match.Success)
            return null;
        var hours = int.Parse(match.Groups[1].Value, Invariant);
        var minutes = int.Parse(match.Groups[2].Value, Invariant);
        if (minutes > 59 || hours > 24 || (hours == 24 && (minutes != 0 || !allowEndOfDay)))
            return null;
        return hours * 60 + minutes;
    }

    public static string FormatClockMinutes(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";

    public static string FormatTime(TimeOnly time) => FormatClockMinutes(time.Hour * 60 + time.Minute);

    /// <summary>Reads "Mon" or "Monday" in any letter case.</summary>
    public static DayOfWeek? ParseDay(string value)
    {
        foreach (var (day, shortName) in Days)
            if (string.Equals(value, shortName, StringComparison.OrdinalIgnoreCase)
                || string.Equals(value, day.ToString(), StringComparison.OrdinalIgnoreCase))
                return day;
        return null;
    }

    public static string ShortDay(DayOfWeek day) => Days.First(entry => entry.Day == day).Short;

    /// <summary>Days Monday first, the order the file and the database use.</summary>
    public static IReadOnlyList<DayOfWeek> MondayFirst(IEnumerable<DayOfWeek> days) =>
        days.Distinct().OrderBy(day => ((int)day + 6) % 7).ToList();

    /// <summary>Working days as the departments table stores them: "Mon,Tue,Wed,Thu,Fri".</summary>
    public static string FormatWorkingDays(IEnumerable<DayOfWeek> days) => string.Join(',', MondayFirst(days).Select(ShortDay));

    public static IReadOnlyList<DayOfWeek> ParseWorkingDays(string stored) =>
        MondayFirst(stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseDay).OfType<DayOfWeek>());

    /// <summary>Digest days are stored ISO-style: Monday = 1 … Sunday = 7.</summary>
    public static int IsoDayNumber(DayOfWeek day) => day == DayOfWeek.Sunday ? 7 : (int)day;

    public static DayOfWeek FromIsoDayNumber(int number) => number == 7 ? DayOfWeek.Sunday : (DayOfWeek)number;

    public static DateOnly? ParseDate(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", Invariant, DateTimeStyles.None, out var date) ? date : null;

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);

    /// <summary>
    /// True for IANA zone ids this machine knows ("Europe/Sofia", "UTC"). Windows ids such as
    /// "GTB Standard Time" are refused even where the runtime would translate them, so that every
    /// stored zone means the same thing on every host.
    /// </summary>
    public static bool IsIanaTimeZone(string value) =>
        value == "UTC"
        || (TimeZoneInfo.TryFindSystemTimeZoneById(value, out var zone) && (zone.HasIanaId || TimeZoneInfo.TryConvertIanaIdToWindowsId(value, out _)));

    public static bool IsLocale(string value)
    {
        if (value.Length == 0)
            return false;
        try
        {
            return CultureInfo.GetCultureInfo(value, predefinedOnly: true) is { } culture && !culture.Equals(CultureInfo.InvariantCulture);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}
