using System.Collections.Concurrent;
using System.Globalization;

namespace KudosRelay.Core.Kudos;

internal enum Polarity { Positive, Borderline, Negative }

/// <summary>A rating as the survey tool sent it: <c>csat5</c>, <c>nps10</c>, <c>stars5</c>, <c>thumbs</c> (1 up, 0 down) or <c>percent</c>.</summary>
internal sealed record Rating(string Scale, double Value)
{
    public static Rating Thumbs(bool up) => new("thumbs", up ? 1 : 0);
}

/// <summary>Why a borderline item needs a person's look, in words the review card can say in the lead's language.</summary>
internal enum ReviewWhy { UnclearWords, MiddleRating, Contradiction }

/// <summary>
/// <paramref name="Score"/> is 0–1; <paramref name="Reason"/> is short, human-readable and safe to show an operator
/// (the intake's answer); <paramref name="Why"/> is what the review card tells a team lead.
/// </summary>
internal sealed record PositivityVerdict(Polarity Polarity, double? Score, string Reason, ReviewWhy Why = ReviewWhy.UnclearWords);

/// <summary>The outcome of checking a rating: either its 0–1 score, or an error that names the scale and the allowed range.</summary>
internal sealed record RatingCheck(double Score, string? Error)
{
    public bool IsValid => Error is null;

    internal static RatingCheck Invalid(string error) => new(double.NaN, error);
}

/// <summary>
/// Decides whether feedback is praise worth relaying. The rating decides when there is one; text is scored by a
/// transparent lexicon (<see cref="PositivityLexicon"/>) when there is none, and a text that clearly contradicts
/// the rating sends the item to review instead.
/// </summary>
internal static class Positivity
{
    public const string Csat5 = "csat5", Nps10 = "nps10", Stars5 = "stars5", Thumbs = "thumbs", Percent = "percent";

    /// <summary>Checks the scale and range; the intake rejects the item with <see cref="RatingCheck.Error"/> when invalid.</summary>
    public static RatingCheck Validate(Rating rating)
    {
        var value = rating.Value;
        if (!double.IsFinite(value))
            return RatingCheck.Invalid($"rating value for scale '{rating.Scale}' is not a number");
        return Normalise(rating.Scale) switch
        {
            Csat5 => InRange(value, 1, 5, "csat5 (CSAT) allows 1 to 5"),
            Stars5 => InRange(value, 1, 5, "stars5 allows 1 to 5"),
            Nps10 => InRange(value, 0, 10, "nps10 (NPS) allows 0 to 10"),
            Percent => InRange(value, 0, 100, "percent allows 0 to 100"),
            Thumbs => value is 0 or 1
                ? new RatingCheck(value, null)
                : RatingCheck.Invalid($"rating {Format(value)} is out of range: thumbs allows up or down (1 or 0)"),
            _ => RatingCheck.Invalid($"unknown rating scale '{rating.Scale}': expected csat5, nps10, stars5, thumbs or percent"),
        };

        static RatingCheck InRange(double value, double min, double max, string allowed) =>
            value < min || value > max
                ? RatingCheck.Invalid($"rating {Format(value)} is out of range: {allowed}")
                : new RatingCheck((value - min) / (max - min), null);
    }

    /// <summary>
    /// Parses a rating as it arrives in JSON or CSV text: a number, or <c>up</c>/<c>down</c>/<c>true</c>/<c>false</c>
    /// for thumbs. Returns the rating, or the error to report for the field.
    /// </summary>
    public static (Rating? Rating, string? Error) Parse(string? scale, string? value)
    {
        if (string.IsNullOrWhiteSpace(scale))
            return (null, "rating scale is missing: expected csat5, nps10, stars5, thumbs or percent");
        var trimmed = value?.Trim() ?? "";
        if (Normalise(scale) == Thumbs)
        {
            switch (trimmed.ToLowerInvariant())
            {
                case "up" or "true" or "yes" or "👍": return (Rating.Thumbs(true), null);
                case "down" or "false" or "no" or "👎": return (Rating.Thumbs(false), null);
            }
        }
        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return (null, $"rating value '{trimmed}' for scale '{scale}' is not a number");
        var rating = new Rating(scale, number);
        var check = Validate(rating);
        return check.IsValid ? (rating, null) : (null, check.Error);
    }

    /// <summary>
    /// The verdict for one item. <paramref name="rating"/> must have passed <see cref="Validate"/>: an invalid
    /// rating here is a programming error, not customer input, and throws.
    /// </summary>
    public static PositivityVerdict Score(Rating? rating, string? text, string? language, PositivityOptions options)
    {
        var words = string.IsNullOrWhiteSpace(text) ? null : text;
        if (rating is null)
            return words is null ? new PositivityVerdict(Polarity.Borderline, null, "no rating and no text") : PositivityLexicon.ScoreText(words, language, options);

        var check = Validate(rating);
        if (!check.IsValid)
            throw new ArgumentException(check.Error + "; call Positivity.Validate first", nameof(rating));

        var (polarity, described) = Judge(rating, Normalise(rating.Scale), options);
        var verdict = polarity == Polarity.Borderline
            ? new PositivityVerdict(polarity, check.Score, described, ReviewWhy.MiddleRating)
            : new PositivityVerdict(polarity, check.Score, described);
        if (words is null || polarity == Polarity.Borderline)
            return verdict;

        // A five-star "terrible" is a slip, sarcasm or a complaint about someone else: a person should look at it. Only
        // then is the text's reason worded.
        var reads = (polarity, PositivityLexicon.TextPolarity(words, language, options)) switch
        {
            (Polarity.Positive, Polarity.Negative) => "negative",
            (Polarity.Negative, Polarity.Positive) => "positive",
            _ => null,
        };
        return reads is null
            ? verdict
            : verdict with
            {
                Polarity = Polarity.Borderline,
                Reason = $"{described} but the text reads {reads} ({PositivityLexicon.ScoreText(words, language, options).Reason}): they contradict, so it goes to review",
                Why = ReviewWhy.Contradiction,
            };
    }

    private static (Polarity, string) Judge(Rating rating, string scale, PositivityOptions options)
    {
        var value = rating.Value;
        if (scale == Thumbs)
            return value >= 1 ? (Polarity.Positive, "thumbs up") : (Polarity.Negative, "thumbs down");

        var thresholds = scale switch
        {
            Csat5 => options.Csat5,
            Nps10 => options.Nps10,
            Stars5 => options.Stars5,
            _ => options.Percent,
        };
        var polarity = value >= thresholds.PositiveAtLeast ? Polarity.Positive
            : value < thresholds.NegativeBelow ? Polarity.Negative
            : Polarity.Borderline;
        return (polarity, Describe(scale, value));
    }

    // Whole ratings are nearly all there is, and formatting one cost more than judging it: each is worded once.
    private static readonly ConcurrentDictionary<(string Scale, int Value), string> WholeRatings = new();

    private static string Describe(string scale, double value) =>
        double.IsInteger(value) && value is >= 0 and <= 100
            ? WholeRatings.GetOrAdd((scale, (int)value), static rating => Words(rating.Scale, rating.Value))
            : Words(scale, value);

    private static string Words(string scale, double value) => scale switch
    {
        Csat5 => $"CSAT {Format(value)} of 5",
        Nps10 => $"NPS {Format(value)} of 10",
        Stars5 => $"{Format(value)} of 5 stars",
        _ => $"{Format(value)}%",
    };

    // Scale names come from webhooks and CSV headers, so "CSAT5" and " csat5 " are accepted as written.
    private static string Normalise(string scale) => scale.Trim().ToLowerInvariant() switch
    {
        Csat5 => Csat5,
        Nps10 => Nps10,
        Stars5 => Stars5,
        Thumbs => Thumbs,
        Percent => Percent,
        _ => "",
    };

    internal static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
