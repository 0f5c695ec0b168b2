namespace KudosRelay.Core.Language;

/// <summary>
/// When something happened, in the reader's words and time zone: "this morning", "yesterday evening",
/// "on Tuesday morning" ("во вторник утром", "marți dimineață"), or a date beyond a week. Never a countdown
/// or a number of hours: people think in days and parts of days. The phrases are adverbials, so a sentence
/// can end with one ("The customer asked for help {when}.").
/// </summary>
internal static class Moments
{
    public static string Describe(DateTimeOffset when, DateTimeOffset now, TimeZoneInfo zone, string? locale)
    {
        var t = MessageCatalogue.Current.For(MessageCatalogue.SharedFeature, locale);
        var (day, part) = DayAndPart(TimeZoneInfo.ConvertTime(when, zone));
        var today = DayAndPart(TimeZoneInfo.ConvertTime(now, zone)).Day;
        return (today.DayNumber - day.DayNumber) switch
        {
            0 => t[$"moment.this.{part}"],
            1 => t[$"moment.yesterday.{part}"],
            >= -6 and <= 6 => t.Format("moment.on-weekday", ("weekday", t[$"weekday.{day.DayOfWeek.ToString().ToLowerInvariant()}"]), ("part", t[$"part.{part}"])),
            _ => t.Format("moment.on-date", ("date", day.ToString("d MMMM", t.Culture))),
        };
    }

    /// <summary>The day and part of day a local time belongs to; the small hours belong to the night of the day before.</summary>
    private static (DateOnly Day, string Part) DayAndPart(DateTimeOffset local) => local.Hour switch
    {
        < 5 => (DateOnly.FromDateTime(local.Date).AddDays(-1), "night"),
        < 12 => (DateOnly.FromDateTime(local.Date), "morning"),
        < 17 => (DateOnly.FromDateTime(local.Date), "afternoon"),
        < 22 => (DateOnly.FromDateTime(local.Date), "evening"),
        _ => (DateOnly.FromDateTime(local.Date), "night"),
    };
}
