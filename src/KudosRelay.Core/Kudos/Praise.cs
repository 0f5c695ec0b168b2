using System.Globalization;

namespace KudosRelay.Core.Kudos;

/// <summary>
/// What a customer gave, as a kudos message shows it: their own words (redacted, never translated) and/or a
/// rating, their first name when it is shown, and the case it was about.
/// </summary>
internal sealed record Praise(string? Words, string? Customer, string? RatingScale, double? RatingValue, string? CaseRef)
{
    public static Praise Of(FeedbackItem item) => new(
        item.RedactedText is { Length: > 0 } words ? words : null,
        item.CustomerName is { Length: > 0 } name ? name : null,
        item.RatingScale, item.RatingValue,
        item.CaseRef is { Length: > 0 } caseRef ? caseRef : null);

    /// <summary>
    /// The rating as a glance shows it, the same in every language: ★★★★☆ for five-point scales, 9/10, 95 %, 👍.
    /// Null without a rating.
    /// </summary>
    public string? Rating => (RatingScale, RatingValue) switch
    {
        ("csat5" or "stars5", { } value) => Stars((int)Math.Clamp(Math.Round(value), 0, 5)),
        ("nps10", { } value) => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value):0}/10"),
        ("percent", { } value) => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value):0}%"),
        ("thumbs", _) => "👍",
        _ => null,
    };

    private static string Stars(int filled) => new string('★', filled) + new string('☆', 5 - filled);
}
