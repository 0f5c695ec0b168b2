using KudosRelay.Core.Kudos;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

public sealed class PositivityTests
{
    private static PositivityVerdict Score(Rating? rating, string? text = null) =>
        Positivity.Score(rating, text, null, PositivityOptions.Default);

    [Theory]
    [InlineData("csat5", 5, "Positive", 1.0, "CSAT 5 of 5")]
    [InlineData("csat5", 4, "Positive", 0.75, "CSAT 4 of 5")]
    [InlineData("csat5", 3, "Borderline", 0.5, "CSAT 3 of 5")]
    [InlineData("csat5", 2, "Negative", 0.25, "CSAT 2 of 5")]
    [InlineData("csat5", 1, "Negative", 0.0, "CSAT 1 of 5")]
    [InlineData("nps10", 10, "Positive", 1.0, "NPS 10 of 10")]
    [InlineData("nps10", 9, "Positive", 0.9, "NPS 9 of 10")]
    [InlineData("nps10", 8, "Borderline", 0.8, "NPS 8 of 10")]
    [InlineData("nps10", 7, "Borderline", 0.7, "NPS 7 of 10")]
    [InlineData("nps10", 6, "Negative", 0.6, "NPS 6 of 10")]
    [InlineData("nps10", 0, "Negative", 0.0, "NPS 0 of 10")]
    [InlineData("stars5", 4.5, "Positive", 0.875, "4.5 of 5 stars")]
    [InlineData("stars5", 3, "Borderline", 0.5, "3 of 5 stars")]
    [InlineData("stars5", 2, "Negative", 0.25, "2 of 5 stars")]
    [InlineData("thumbs", 1, "Positive", 1.0, "thumbs up")]
    [InlineData("thumbs", 0, "Negative", 0.0, "thumbs down")]
    [InlineData("percent", 100, "Positive", 1.0, "100%")]
    [InlineData("percent", 80, "Positive", 0.8, "80%")]
    [InlineData("percent", 79.5, "Borderline", 0.795, "79.5%")]
    [InlineData("percent", 60, "Borderline", 0.6, "60%")]
    [InlineData("percent", 59.9, "Negative", 0.599, "59.9%")]
    [InlineData("percent", 0, "Negative", 0.0, "0%")]
    [InlineData(" CSAT5 ", 5, "Positive", 1.0, "CSAT 5 of 5")]
    public void Every_scale_is_normalised_to_a_score_and_a_verdict(string scale, double value, string polarity, double score, string reason)
    {
        var verdict = Score(new Rating(scale, value));

        Assert.Equal(Enum.Parse<Polarity>(polarity), verdict.Polarity);
        Assert.Equal(score, verdict.Score!.Value, 6);
        Assert.Equal(reason, verdict.Reason);
    }

    [Theory]
    [InlineData("csat5", 0, "rating 0 is out of range: csat5 (CSAT) allows 1 to 5")]
    [InlineData("csat5", 6, "rating 6 is out of range: csat5 (CSAT) allows 1 to 5")]
    [InlineData("nps10", 11, "rating 11 is out of range: nps10 (NPS) allows 0 to 10")]
    [InlineData("nps10", -1, "rating -1 is out of range: nps10 (NPS) allows 0 to 10")]
    [InlineData("stars5", 5.5, "rating 5.5 is out of range: stars5 allows 1 to 5")]
    [InlineData("thumbs", 0.5, "rating 0.5 is out of range: thumbs allows up or down (1 or 0)")]
    [InlineData("percent", 101, "rating 101 is out of range: percent allows 0 to 100")]
    [InlineData("percent", double.NaN, "rating value for scale 'percent' is not a number")]
    [InlineData("likert7", 3, "unknown rating scale 'likert7': expected csat5, nps10, stars5, thumbs or percent")]
    public void A_value_out_of_range_is_a_validation_error_naming_the_scale_and_range(string scale, double value, string error)
    {
        var check = Positivity.Validate(new Rating(scale, value));

        Assert.False(check.IsValid);
        Assert.Equal(error, check.Error);
    }

    [Fact]
    public void Scoring_an_unvalidated_bad_rating_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => Score(new Rating("csat5", 9)));

    [Theory]
    [InlineData("thumbs", "up", 1.0)]
    [InlineData("thumbs", "Down", 0.0)]
    [InlineData("thumbs", "true", 1.0)]
    [InlineData("thumbs", "0", 0.0)]
    [InlineData("csat5", "4", 4.0)]
    [InlineData("percent", "87.5", 87.5)]
    public void Ratings_arriving_as_text_are_parsed(string scale, string value, double expected)
    {
        var (rating, error) = Positivity.Parse(scale, value);

        Assert.Null(error);
        Assert.Equal(expected, rating!.Value);
    }

    [Theory]
    [InlineData("csat5", "five", "rating value 'five' for scale 'csat5' is not a number")]
    [InlineData("csat5", "7", "rating 7 is out of range: csat5 (CSAT) allows 1 to 5")]
    [InlineData("", "3", "rating scale is missing: expected csat5, nps10, stars5, thumbs or percent")]
    [InlineData("thumbs", "sideways", "rating value 'sideways' for scale 'thumbs' is not a number")]
    public void Unparseable_ratings_say_why(string scale, string value, string expected) =>
        Assert.Equal(expected, Positivity.Parse(scale, value).Error);

    [Fact]
    public void Thresholds_are_configurable()
    {
        var strict = PositivityOptions.Default with { Csat5 = new ScaleThresholds(5, 4) };

        Assert.Equal(Polarity.Borderline, Positivity.Score(new Rating("csat5", 4), null, null, strict).Polarity);
        Assert.Equal(Polarity.Negative, Positivity.Score(new Rating("csat5", 3), null, null, strict).Polarity);
    }

    [Fact]
    public void Default_options_have_no_problems_and_bad_ones_name_their_key()
    {
        Assert.Empty(PositivityOptions.Default.Problems());
        var bad = PositivityOptions.Default with { Nps10 = new ScaleThresholds(12, 13) };

        Assert.Equal(
            ["Kudos:Positivity:Nps10:PositiveAtLeast must be between 0 and 10", "Kudos:Positivity:Nps10:NegativeBelow must not be above Kudos:Positivity:Nps10:PositiveAtLeast"],
            bad.Problems());
    }

    [Fact]
    public void The_rating_decides_when_the_text_agrees_or_is_neutral()
    {
        Assert.Equal(new PositivityVerdict(Polarity.Positive, 1, "5 of 5 stars"), Score(new Rating("stars5", 5), "Ana was great"));
        Assert.Equal(Polarity.Positive, Score(new Rating("stars5", 5), "Order 123").Polarity);
        Assert.Equal(Polarity.Negative, Score(new Rating("csat5", 1), "It's okay I guess").Polarity);
    }

    [Fact]
    public void A_positive_rating_with_clearly_negative_text_goes_to_review()
    {
        var verdict = Score(new Rating("stars5", 5), "terrible");

        Assert.Equal(Polarity.Borderline, verdict.Polarity);
        Assert.Equal(1, verdict.Score);
        Assert.Equal("5 of 5 stars but the text reads negative (matched: terrible(-3) (en)): they contradict, so it goes to review", verdict.Reason);
    }

    [Fact]
    public void A_negative_rating_with_clearly_positive_text_goes_to_review()
    {
        var verdict = Positivity.Score(new Rating("nps10", 2), "Спасибо, всё отлично!", null, PositivityOptions.Default);

        Assert.Equal(Polarity.Borderline, verdict.Polarity);
        Assert.Contains("contradict", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_borderline_rating_stays_borderline_whatever_the_text() =>
        Assert.Equal(Polarity.Borderline, Score(new Rating("csat5", 3), "Thank you, brilliant").Polarity);

    [Fact]
    public void Nothing_to_judge_is_borderline() =>
        Assert.Equal(new PositivityVerdict(Polarity.Borderline, null, "no rating and no text"), Score(null, "  "));

    [Fact]
    public void Text_alone_is_scored_by_the_lexicon()
    {
        var verdict = Score(null, "Ana was so helpful, thank you!");

        Assert.Equal(Polarity.Positive, verdict.Polarity);
        Assert.Equal("matched: so helpful(+3), thank(+2) (en)", verdict.Reason);
        Assert.InRange(verdict.Score!.Value, 0.5, 1);
    }
}
