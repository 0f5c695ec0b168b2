using System.Net;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Host.Tests.Slack;

/// <summary>Outbox messages for "slack" travelling through the real dispatcher to a fake Slack Web API.</summary>
public sealed class SlackDeliveryTests : IAsyncLifetime
{
    private SlackTestHost host = null!;
    private OutboxStore store = null!;

    public async Task InitializeAsync()
    {
        host = await SlackTestHost.StartAsync();
        store = new OutboxStore(host.Database.Db, TimeProvider.System);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_message_for_a_slack_channel_arrives_as_chat_postMessage_with_the_bot_token_and_is_marked_sent()
    {
        var id = await EnqueueAsync("k1", new ChatTarget("slack", ChatTargetKind.Channel, "C0123", "T111"));

        var call = Assert.Single(await host.Slack.WaitForAsync("chat.postMessage"));
        var entry = await WaitForStatusAsync(id, OutboxStatus.Sent);

        Assert.Equal("POST", call.HttpMethod);
        Assert.Equal($"Bearer {SlackTestHost.BotToken}", call.Authorization);
        Assert.Equal("application/json; charset=utf-8", call.ContentType);
        // Sent whole with its length, not chunked: servers and proxies that misread a chunked body lose the connection.
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(call.Body), call.ContentLength);
        Assert.Equal("C0123", (string?)call.Json["channel"]);
        Assert.Equal("Message k1", (string?)call.Json["text"]);
        Assert.Equal(["header", "section", "actions"], call.Json["blocks"]!.AsArray().Select(b => (string)b!["type"]!));
        SlackOpenApi.AssertParametersMatch("chat.postMessage", call);
        Assert.Matches(@"^C0123:1700000000\.\d{6}$", entry.PlatformMessageRef);
    }

    [Fact]
    public async Task A_message_for_a_person_opens_the_direct_conversation_first()
    {
        await EnqueueAsync("k2", new ChatTarget("slack", ChatTargetKind.Person, "U0ANA", "T111"));

        var posted = Assert.Single(await host.Slack.WaitForAsync("chat.postMessage"));
        var opened = Assert.Single(host.Slack.CallsTo("conversations.open"));

        Assert.Equal("U0ANA", (string?)opened.Json["users"]);
        SlackOpenApi.AssertParametersMatch("conversations.open", opened);
        Assert.Equal("D0DIRECT", (string?)posted.Json["channel"]);
    }

    [Fact]
    public async Task A_replacement_updates_the_earlier_message_in_place()
    {
        var first = await EnqueueAsync("k3", new ChatTarget("slack", ChatTargetKind.Channel, "C0123"));
        var sent = await WaitForStatusAsync(first, OutboxStatus.Sent);
        var target = new ChatTarget("slack", ChatTargetKind.Channel, "C0123");
        await OutboxTestData.EnqueueAsync(host.Database.Db, store, new OutboxMessage("k3-done", target, new ChatMessage("Done", [new TextBlock("Done")]), first));

        var update = Assert.Single(await host.Slack.WaitForAsync("chat.update"));

        Assert.Equal("C0123", (string?)update.Json["channel"]);
        Assert.Equal(sent.PlatformMessageRef!.Split(':')[1], (string?)update.Json["ts"]);
        SlackOpenApi.AssertParametersMatch("chat.update", update);
    }

    [Fact]
    public async Task Slack_answering_channel_not_found_dead_letters_the_message_with_that_code()
    {
        host.Slack.Script("chat.postMessage", FakeReply.Error("channel_not_found"));

        var id = await EnqueueAsync("k6", new ChatTarget("slack", ChatTargetKind.Channel, "C0GONE"));
        var entry = await WaitForStatusAsync(id, OutboxStatus.Dead);

        Assert.Equal("channel_not_found", entry.LastError);
        Assert.Single(host.Slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task After_tokens_revoked_nothing_more_is_sent_to_that_workspace()
    {
        var revoked = SlackInboundTests.EventBody("Ev900", """{"type":"tokens_revoked","tokens":{"oauth":[],"bot":["UBOT"]}}""");
        Assert.Equal(HttpStatusCode.OK, (await host.PostSignedAsync("/slack/events", revoked, "application/json")).StatusCode);

        var id = await EnqueueAsync("k7", new ChatTarget("slack", ChatTargetKind.Channel, "C0123", "T111"));
        var entry = await WaitForStatusAsync(id, OutboxStatus.Dead);

        Assert.StartsWith("tokens_revoked: Slack workspace T111 removed KudosRelay or revoked its token", entry.LastError, StringComparison.Ordinal);
        Assert.Empty(host.Slack.CallsTo("chat.postMessage"));
    }

    private async Task<long> EnqueueAsync(string key, ChatTarget target)
    {
        var message = OutboxTestData.Message(key) with { Target = target };
        return (await OutboxTestData.EnqueueAsync(host.Database.Db, store, message))!.Value;
    }

    private Task<OutboxEntry> WaitForStatusAsync(long id, string status) => WaitForAsync(id, e => e.Status == status);

    private async Task<OutboxEntry> WaitForAsync(long id, Func<OutboxEntry, bool> condition)
    {
        OutboxEntry? entry = null;
        for (var i = 0; i < 400; i++)
        {
            entry = (await store.ListAsync(null, 100, CancellationToken.None)).SingleOrDefault(e => e.Id == id);
            if (entry is not null && condition(entry))
                return entry;
            await Task.Delay(50);
        }
        throw new TimeoutException($"outbox message {id} is {entry?.Status} after {entry?.Attempts} attempts ({entry?.LastError})");
    }
}
