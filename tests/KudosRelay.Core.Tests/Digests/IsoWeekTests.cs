using KudosRelay.Core.Digests;
using Xunit;

namespace KudosRelay.Core.Tests.Digests;

public sealed class IsoWeekTests
{
    [Theory]
    [InlineData("2026-11-23", "2026-W48")]
    [InlineData("2026-01-05", "2026-W02")]
    [InlineData("2026-12-31", "2026-W53")]
    [InlineData("2027-01-01", "2026-W53")]
    [InlineData("2027-01-04", "2027-W01")]
    [InlineData("2025-12-29", "2026-W01")]
    public void Weeks_are_named_by_their_iso_year_around_new_year(string date, string week) =>
        Assert.Equal(week, IsoWeek.Of(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));
}
