using KudosRelay.Slack.WebApi;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Slack.Tests.WebApi;

public sealed class SlackRateLimiterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Posts_to_one_channel_spend_a_shared_budget_of_a_burst_of_three_then_one_a_second()
    {
        var budgets = SlackRateLimiter.BudgetsFor("T1", "chat.postMessage", "C1");
        var channel = Assert.Single(budgets, budget => budget.Key == "slack:T1:conversation:C1");
        DateTime? next = null;
        var now = Now.UtcDateTime;

        var waits = Enumerable.Range(0, 6).Select(_ =>
        {
            var wait = channel.Delay(next, now);
            next = channel.Take(next, now + wait);
            return wait.TotalSeconds;
        }).ToList();

        Assert.Equal([0, 0, 0, 1, 2, 3], waits);
        Assert.Contains(budgets, budget => budget.Key == "slack:T1:chat.postMessage");
    }

    [Fact]
    public void Channels_are_budgeted_apart_and_a_home_tab_spends_only_its_method()
    {
        Assert.NotEqual(SlackRateLimiter.BudgetsFor("T1", "chat.postMessage", "C1")[1].Key, SlackRateLimiter.BudgetsFor("T1", "chat.postMessage", "C2")[1].Key);
        Assert.Equal("slack:T1:views.publish", Assert.Single(SlackRateLimiter.BudgetsFor("T1", "views.publish", null)).Key);
    }

    [Fact]
    public void A_tier_3_method_allows_fifty_a_minute()
    {
        var limiter = new SlackRateLimiter(new ManualClock(Now));

        var waits = Enumerable.Range(0, 7).Select(_ => limiter.Reserve("conversations.open", Now)).ToList();

        Assert.All(waits.Take(5), w => Assert.Equal(TimeSpan.Zero, w));
        Assert.Equal(TimeSpan.FromMinutes(1) / 50, waits[5]);
        Assert.Equal(TimeSpan.FromMinutes(1) / 50 * 2, waits[6]);
    }

    [Fact]
    public async Task A_wait_longer_than_the_limit_is_returned_instead_of_waited_and_outbox_deliveries_are_never_held_here()
    {
        var limiter = new SlackRateLimiter(new ManualClock(Now));
        for (var i = 0; i < 12; i++)
            limiter.Reserve("conversations.open", Now);

        var tooLong = await limiter.WaitAsync("conversations.open", CancellationToken.None);

        Assert.True(tooLong > SlackRateLimiter.MaxWait);
        for (var i = 0; i < 50; i++)
            Assert.Null(await limiter.WaitAsync("chat.postMessage", CancellationToken.None));
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
