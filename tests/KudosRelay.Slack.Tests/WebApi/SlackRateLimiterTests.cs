using KudosRelay.Slack.WebApi;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Slack.Tests.WebApi;

public sealed class SlackRateLimiterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_channel_gets_a_burst_of_three_then_one_post_a_second_then_is_told_to_come_back_later()
    {
        var limiter = new SlackRateLimiter(new ManualClock(Now));

        var waits = Enumerable.Range(0, 9).Select(_ => limiter.Reserve("chat.postMessage", "C1", Now).TotalSeconds).ToList();

        Assert.Equal([0, 0, 0, 1, 2, 3, 4, 5, 6], waits);
        // The refused ninth call took no slot: after one second the next one waits five again, not six.
        Assert.Equal(5, limiter.Reserve("chat.postMessage", "C1", Now.AddSeconds(1)).TotalSeconds);
    }

    [Fact]
    public void Channels_are_limited_apart()
    {
        var limiter = new SlackRateLimiter(new ManualClock(Now));
        for (var i = 0; i < 5; i++)
            limiter.Reserve("chat.postMessage", "C1", Now);

        Assert.Equal(TimeSpan.Zero, limiter.Reserve("chat.postMessage", "C2", Now));
    }

    [Fact]
    public void A_tier_3_method_allows_fifty_a_minute()
    {
        var limiter = new SlackRateLimiter(new ManualClock(Now));

        var waits = Enumerable.Range(0, 7).Select(_ => limiter.Reserve("conversations.open", null, Now)).ToList();

        Assert.All(waits.Take(5), w => Assert.Equal(TimeSpan.Zero, w));
        Assert.Equal(TimeSpan.FromMinutes(1) / 50, waits[5]);
        Assert.Equal(TimeSpan.FromMinutes(1) / 50 * 2, waits[6]);
    }

    [Fact]
    public async Task A_wait_longer_than_the_limit_is_returned_instead_of_waited()
    {
        var limiter = new SlackRateLimiter(new ManualClock(Now));
        for (var i = 0; i < 8; i++)
            limiter.Reserve("chat.postMessage", "C1", Now);

        var tooLong = await limiter.WaitAsync("chat.postMessage", "C1", CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(6), tooLong);
    }

    [Fact]
    public void The_tier_table_matches_slacks_published_tiers()
    {
        var published = SpecFiles.Load("slack", "web-api", "rate_limit_tiers.json").AsObject();

        Assert.All(SlackMethodTiers.Used, pair => Assert.Equal((string?)published[pair.Key], pair.Value));
    }

    [Fact]
    public void Every_client_method_is_named_after_a_slack_method_in_the_tier_table()
    {
        var methods = typeof(SlackWebApiClient).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Where(m => m.Name != nameof(SlackWebApiClient.PostToResponseUrlAsync))
            .ToList();

        Assert.Equal(SlackMethodTiers.Used.Count, methods.Count);
        foreach (var method in methods)
        {
            Assert.EndsWith("Async", method.Name, StringComparison.Ordinal);
            Assert.Equal(typeof(CancellationToken), method.GetParameters().Last().ParameterType);
            Assert.Contains(SlackMethodTiers.Used.Keys, slack => ToMethodName(slack) == method.Name);
        }
    }

    [Theory]
    [InlineData("ratelimited", true)]
    [InlineData("internal_error", true)]
    [InlineData("service_unavailable", true)]
    [InlineData("fatal_error", true)]
    [InlineData("request_timeout", true)]
    [InlineData("channel_not_found", false)]
    [InlineData("not_in_channel", false)]
    [InlineData("account_inactive", false)]
    [InlineData("invalid_auth", false)]
    [InlineData("token_revoked", false)]
    [InlineData("is_archived", false)]
    [InlineData("msg_too_long", false)]
    [InlineData("no_text", false)]
    [InlineData("something_new", false)]
    public void Errors_are_classified(string error, bool transient)
    {
        Assert.Equal(transient, SlackApiErrors.IsTransient(error));
        Assert.False(transient && SlackApiErrors.KnownPermanent.Contains(error));
    }

    private static string ToMethodName(string slackMethod) =>
        string.Concat(slackMethod.Split('.').Select(part => char.ToUpperInvariant(part[0]) + part[1..])) + "Async";
}
