using System.Globalization;
using Xunit;

namespace KudosRelay.Data.Tests.Sqlite;

public sealed class StoredTimestampTests
{
    [Theory]
    [InlineData("2026-11-23 09:05:07")]
    [InlineData("2026-11-23 09:05:07.1")]
    [InlineData("2026-11-23 09:05:07.1234567")]
    [InlineData("2024-02-29T23:59:59.0000001")]
    [InlineData("0001-01-01 00:00:00")]
    public void A_stored_timestamp_reads_as_the_general_parser_reads_it(string text)
    {
        Assert.True(StoredTimestamp.TryParse(text, out var fast));

        var general = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.Equal(general, fast);
        Assert.Equal(DateTimeKind.Utc, fast.Kind);
    }

    [Theory]
    [InlineData("2026-11-23")]
    [InlineData("2026-11-23 09:05")]
    [InlineData("2026-11-23 09:05:07.")]
    [InlineData("2026-11-23 09:05:07.12345678")]
    [InlineData("2026-11-23 09:05:07Z")]
    [InlineData("2026-11-23 09:05:07+02:00")]
    [InlineData("2026-02-30 09:05:07")]
    [InlineData("2026-13-01 09:05:07")]
    [InlineData("2026-11-23 24:00:00")]
    [InlineData("2026/11/23 09:05:07")]
    [InlineData("2026-1a-23 09:05:07")]
    public void Any_other_form_is_left_to_the_general_parser(string text) =>
        Assert.False(StoredTimestamp.TryParse(text, out _));
}
