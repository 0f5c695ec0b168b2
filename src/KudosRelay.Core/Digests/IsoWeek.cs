using System.Globalization;

namespace KudosRelay.Core.Digests;

/// <summary>ISO 8601 week names ("2026-W48"): the key that makes a weekly digest run once per week.</summary>
internal static class IsoWeek
{
    /// <summary>
    /// The ISO week <paramref name="date"/> falls in. Its year is the ISO year, which differs from the
    /// calendar year around New Year (2027-01-01 is in 2026-W53, 2025-12-29 in 2026-W01).
    /// </summary>
    public static string Of(DateOnly date)
    {
        var day = date.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day):D4}-W{ISOWeek.GetWeekOfYear(day):D2}");
    }
}
