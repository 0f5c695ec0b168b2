using System.Text;
using KudosRelay.Slack.Inbound;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Slack.Tests.Inbound;

public sealed class SlackSignatureTests
{
    private static readonly System.Text.Json.Nodes.JsonNode Vector = SpecFiles.Load("slack", "request-signing", "signing-test-vector.json");
    private static readonly string Secret = (string)Vector["signing_secret"]!;
    private static readonly string Timestamp = (string)Vector["timestamp"]!;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes((string)Vector["body"]!);
    private static readonly string Expected = (string)Vector["expected_signature"]!;

    private static SlackSignature At(long unixSeconds) =>
        new(Secret, new ManualClock(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));

    [Fact]
    public void Slacks_worked_example_is_valid_at_its_own_time()
    {
        var signature = At((long)Vector["clock_for_valid_check_unix"]!);

        Assert.Equal(Expected, signature.Sign(Timestamp, Body));
        Assert.True(signature.IsValid(Timestamp, Expected, Body));
    }

    [Fact]
    public void The_worked_example_with_another_body_is_refused()
    {
        var negative = Vector["negative_cases"]![0]!;
        var tampered = Encoding.UTF8.GetBytes((string)negative["body"]!);
        var signature = At(1531420618);

        Assert.False(signature.IsValid(Timestamp, Expected, tampered));
        Assert.Equal((string)negative["correct_signature_for_that_body"]!, signature.Sign(Timestamp, tampered));
    }

    [Fact]
    public void The_worked_example_is_refused_today()
    {
        var signature = new SlackSignature(Secret, TimeProvider.System);

        Assert.False(signature.IsValid(Timestamp, Expected, Body));
    }

    [Theory]
    [InlineData(300, true)]
    [InlineData(-300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    public void The_timestamp_may_be_five_minutes_off_and_no_more(int skewSeconds, bool valid)
    {
        var signature = At(1531420618 + skewSeconds);

        Assert.Equal(valid, signature.IsValid(Timestamp, Expected, Body));
    }

    [Theory]
    [InlineData(null, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("1531420618", null)]
    [InlineData("", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("1531420618 ", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("-1531420618", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("1531420618", "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("1531420618", "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("1531420618", "v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B50")]
    [InlineData("1531420618", "v0=zz114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("1531420618", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b504")]
    [InlineData("1531420618", "v0=")]
    public void Missing_or_malformed_headers_are_refused(string? timestamp, string? provided)
    {
        Assert.False(At(1531420618).IsValid(timestamp, provided, Body));
    }

    [Fact]
    public void An_empty_secret_refuses_everything()
    {
        var signature = new SlackSignature("", new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1531420618)));

        Assert.False(signature.IsValid(Timestamp, signature.Sign(Timestamp, Body), Body));
    }
}
