using System.Net;
using Dapper;
using KudosRelay.Core.Outbox;
using Xunit;

namespace KudosRelay.Host.Tests.Slack;

/// <summary>Uninstalls and revoked tokens are remembered in the database: across restarts, until a reinstall.</summary>
public sealed class SlackWorkspaceRevocationTests : IAsyncLifetime
{
    private const string Json = "application/json";
    private static readonly DateTimeOffset Uninstalled = DateTimeOffset.UtcNow.AddMinutes(-10);
    private SlackTestHost host = null!;

    public async Task InitializeAsync() => host = await SlackTestHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_workspace_that_uninstalled_the_app_is_still_not_sent_to_after_a_restart_on_the_same_database()
    {
        await UninstallAsync();

        host = await host.RestartAsync();
        await host.WaitUntilReadyAsync();
        var id = await SlackOutbox.EnqueueAsync(host, "after-restart", "T111");
        var entry = await SlackOutbox.WaitForAsync(host, id, e => e.Status == OutboxStatus.Dead);

        Assert.StartsWith("app_uninstalled: Slack workspace T111 removed KudosRelay", entry.LastError, StringComparison.Ordinal);
        Assert.Contains("until the app is reinstalled", entry.LastError, StringComparison.Ordinal);
        Assert.Empty(host.Slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task Other_workspaces_are_still_sent_to()
    {
        await UninstallAsync();

        var id = await SlackOutbox.EnqueueAsync(host, "elsewhere", "T999");

        await host.Slack.WaitForAsync("chat.postMessage");
        Assert.Equal(OutboxStatus.Sent, (await SlackOutbox.WaitForAsync(host, id, e => e.Status != OutboxStatus.Pending)).Status);
    }

    [Fact]
    public async Task A_retried_event_from_before_the_uninstall_changes_nothing_but_a_newer_event_shows_the_app_is_back()
    {
        await UninstallAsync();

        await PostEventAsync("EvOld", Uninstalled.AddMinutes(-1));     // Slack retrying an event from before the uninstall
        var before = await SlackOutbox.EnqueueAsync(host, "before-reinstall", "T111");
        Assert.Equal(OutboxStatus.Dead, (await SlackOutbox.WaitForAsync(host, before, e => e.Status != OutboxStatus.Pending)).Status);

        await PostEventAsync("EvNew", Uninstalled.AddMinutes(5));      // someone talks to the reinstalled app
        var after = await SlackOutbox.EnqueueAsync(host, "after-reinstall", "T111");

        Assert.Equal(OutboxStatus.Sent, (await SlackOutbox.WaitForAsync(host, after, e => e.Status != OutboxStatus.Pending)).Status);
        Assert.Contains(host.Slack.CallsTo("chat.postMessage"), call => (string?)call.Json["text"] == "Message after-reinstall");
    }

    [Fact]
    public async Task A_restart_with_the_new_token_of_a_reinstalled_app_resumes_sending()
    {
        await UninstallAsync();

        host = await host.RestartAsync("--Slack:BotToken=xoxb-after-reinstall");
        await host.WaitUntilReadyAsync();
        var id = await SlackOutbox.EnqueueAsync(host, "new-token", "T111");

        Assert.Equal(OutboxStatus.Sent, (await SlackOutbox.WaitForAsync(host, id, e => e.Status != OutboxStatus.Pending)).Status);
        var call = Assert.Single(host.Slack.CallsTo("chat.postMessage"));
        Assert.Equal("Bearer xoxb-after-reinstall", call.Authorization);
    }

    [Fact]
    public async Task A_signed_uninstall_naming_no_real_workspace_is_acknowledged_and_stores_nothing()
    {
        var body = SlackInboundTests.EventBody("EvForged", """{"type":"app_uninstalled"}""", Uninstalled).Replace("\"T111\"", "\"../../etc\"", StringComparison.Ordinal);

        var response = await host.PostSignedAsync("/slack/events", body, Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await host.Database.Db.WithConnectionAsync(connection =>
            connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM slack_workspaces"), CancellationToken.None));
    }

    private async Task UninstallAsync()
    {
        var body = SlackInboundTests.EventBody("EvGone", """{"type":"app_uninstalled"}""", Uninstalled);
        Assert.Equal(HttpStatusCode.OK, (await host.PostSignedAsync("/slack/events", body, Json)).StatusCode);
    }

    private async Task PostEventAsync(string eventId, DateTimeOffset at)
    {
        var body = SlackInboundTests.EventBody(eventId, """{"type":"app_home_opened","user":"U0ANA","channel":"D0ANA","tab":"home"}""", at);
        Assert.Equal(HttpStatusCode.OK, (await host.PostSignedAsync("/slack/events", body, Json)).StatusCode);
    }
}
