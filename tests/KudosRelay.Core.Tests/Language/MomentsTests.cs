using KudosRelay.Core.Language;
using Xunit;

namespace KudosRelay.Core.Tests.Language;

public sealed class MomentsTests
{
    private static readonly TimeZoneInfo Sofia = TimeZoneInfo.FindSystemTimeZoneById("Europe/Sofia");

    // Thursday 3 December 2026, 10:00 in Sofia (UTC+2).
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("en", "on Tuesday morning")]
    [InlineData("bg", "във вторник сутринта")]
    [InlineData("ru", "во вторник утром")]
    [InlineData("ro", "marți dimineață")]
    public void A_morning_earlier_in_the_week_is_named_by_its_weekday(string locale, string expected) =>
        Assert.Equal(expected, Moments.Describe(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero), Now, Sofia, locale));

    [Theory]
    [InlineData("en", "yesterday afternoon")]
    [InlineData("bg", "вчера следобед")]
    [InlineData("ru", "вчера днём")]
    [InlineData("ro", "ieri după-amiază")]
    public void Yesterday_is_yesterday(string locale, string expected) =>
        Assert.Equal(expected, Moments.Describe(new DateTimeOffset(2026, 12, 2, 13, 0, 0, TimeSpan.Zero), Now, Sofia, locale));

    [Theory]
    [InlineData("en", "this morning")]
    [InlineData("ru", "сегодня утром")]
    public void Earlier_today_is_this_part_of_the_day(string locale, string expected) =>
        Assert.Equal(expected, Moments.Describe(new DateTimeOffset(2026, 12, 3, 5, 0, 0, TimeSpan.Zero), Now, Sofia, locale));

    [Theory]
    [InlineData("en", "last night")]
    [InlineData("bg", "снощи")]
    [InlineData("ro", "azi-noapte")]
    public void The_small_hours_belong_to_the_night_before(string locale, string expected) =>
        Assert.Equal(expected, Moments.Describe(new DateTimeOffset(2026, 12, 3, 1, 0, 0, TimeSpan.Zero), Now, Sofia, locale));

    [Fact]
    public void The_readers_time_zone_decides_the_day()
    {
        // Monday 23:30 in London is Tuesday 01:30 in Sofia: Monday night there, not Tuesday morning.
        var late = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero);

        Assert.Equal("on Monday night", Moments.Describe(late, Now, Sofia, "en"));
        Assert.Equal("on Monday night", Moments.Describe(late, Now, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"), "en"));
        Assert.Equal("on Tuesday morning", Moments.Describe(late.AddHours(5), Now, Sofia, "en"));
    }

    [Theory]
    [InlineData("en", "on 20 November")]
    [InlineData("bg", "на 20 ноември")]
    [InlineData("ru", "20 ноября")]
    [InlineData("ro", "pe 20 noiembrie")]
    public void More_than_a_week_ago_is_a_date_in_the_readers_language(string locale, string expected) =>
        Assert.Equal(expected, Moments.Describe(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), Now, Sofia, locale));
}
