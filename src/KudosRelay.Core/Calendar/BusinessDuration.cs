using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KudosRelay.Core.Calendar;

/// <summary>
/// A length of working time as an org file writes it: whole working days plus minutes ("1d", "4h", "90m",
/// "1d4h"). A day is one working day of the calendar it is counted in (8 hours for 09:00–17:00), so a
/// department that changes its hours keeps "one working day" meaning one working day.
/// </summary>
internal readonly partial record struct BusinessDuration(int Days, int Minutes)
{
    public static BusinessDuration Zero => default;

    public static BusinessDuration FromDays(int days) => new(days, 0);

    public static BusinessDuration FromHours(int hours) => new(0, hours * 60);

    public static BusinessDuration FromMinutes(int minutes) => new(0, minutes);

    public bool IsZero => Days == 0 && Minutes == 0;

    /// <summary>The working time this is under <paramref name="hours"/>.</summary>
    public TimeSpan In(BusinessHours hours) => hours.WorkingDayLength * Days + TimeSpan.FromMinutes(Minutes);

    [GeneratedRegex(@"^(?:(\d{1,3})d)?(?:(\d{1,4})h)?(?:(\d{1,5})m)?$")]
    private static partial Regex Pattern();

    /// <summary>Reads "2d", "4h", "90m", "1d4h30m" (in that order of units) or "0"; null for anything else.</summary>
    public static BusinessDuration? Parse(string text)
    {
        if (text == "0")
            return Zero;
        var match = Pattern().Match(text);
        if (!match.Success || match.Length == 0)
            return null;
        int Group(int index) => match.Groups[index].Success ? int.Parse(match.Groups[index].Value, CultureInfo.InvariantCulture) : 0;
        return new BusinessDuration(Group(1), Group(2) * 60 + Group(3));
    }

    /// <summary>The shortest form <see cref="Parse"/> reads back to the same value: "1d", "4h", "1h30m", "0m".</summary>
    public override string ToString()
    {
        if (IsZero)
            return "0m";
        var text = new StringBuilder();
        if (Days > 0)
            text.Append(CultureInfo.InvariantCulture, $"{Days}d");
        if (Minutes / 60 > 0)
            text.Append(CultureInfo.InvariantCulture, $"{Minutes / 60}h");
        if (Minutes % 60 > 0)
            text.Append(CultureInfo.InvariantCulture, $"{Minutes % 60}m");
        return text.ToString();
    }
}
