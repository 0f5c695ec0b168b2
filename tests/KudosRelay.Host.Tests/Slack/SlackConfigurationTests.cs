using System.Net;
using KudosRelay.Core.Messaging;
using KudosRelay.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace KudosRelay.Host.Tests.Slack;

public sealed class SlackConfigurationTests
{
    [Fact]
    public async Task Without_slack_keys_the_endpoints_are_404_and_the_console_sender_stays()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await TestServer.StartAsync(database);

        foreach (var path in new[] { "/slack/events", "/slack/commands", "/slack/interactions" })
        {
            using var content = new StringContent("{}");
            Assert.Equal(HttpStatusCode.NotFound, (await server.Client.PostAsync(new Uri(path, UriKind.Relative), content)).StatusCode);
        }
        Assert.Equal(["console"], server.Services.GetServices<IChatSender>().Select(s => s.Platform));
        Assert.Empty(server.Services.GetServices<KudosRelay.Core.People.IChatDirectory>());
    }

    [Theory]
    [InlineData("--Slack:SigningSecret=s", "Slack:BotToken")]
    [InlineData("--Slack:BotToken=xoxb-1", "Slack:SigningSecret")]
    public async Task Half_a_configuration_stops_start_up_naming_the_missing_key(string given, string missing)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(database, given, "--Slack:ApiBaseUrl=http://127.0.0.1:9/api/"));

        Assert.Contains(missing, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_base_url_without_a_trailing_slash_is_refused_naming_the_key()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestServer.StartAsync(database, "--Slack:SigningSecret=s", "--Slack:BotToken=xoxb-1", "--Slack:ApiBaseUrl=http://127.0.0.1:9/api"));

        Assert.Contains("Slack:ApiBaseUrl", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bot_token_slack_refuses_makes_slack_readiness_fail_with_the_reason()
    {
        await using var fake = await FakeSlackApi.StartAsync();
        fake.Script("auth.test", FakeReply.Error("invalid_auth"));
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await TestServer.StartAsync(database, "--Slack:SigningSecret=s", "--Slack:BotToken=xoxb-bad", $"--Slack:ApiBaseUrl={fake.BaseUrl}");
        await fake.WaitForAsync("auth.test");

        // The fake has seen the call; the host takes in the answer a moment later.
        var ready = await server.Client.GetAsync(new Uri("/slack/readyz", UriKind.Relative));
        for (var poll = 0; poll < 400 && (await ready.Content.ReadAsStringAsync()).Contains("has not answered yet", StringComparison.Ordinal); poll++)
        {
            await Task.Delay(25);
            ready = await server.Client.GetAsync(new Uri("/slack/readyz", UriKind.Relative));
        }
        var overall = await server.Client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("invalid_auth", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, overall.StatusCode);
        var reason = await overall.Content.ReadAsStringAsync();
        Assert.Contains("Slack refuses the bot token", reason, StringComparison.Ordinal);
        Assert.Contains("invalid_auth", reason, StringComparison.Ordinal);
    }
}
