using System.Collections.Concurrent;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Slack.Rendering;
using KudosRelay.Slack.WebApi;
using KudosRelay.Slack.Workspaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KudosRelay.Slack;

/// <summary>
/// Delivers outbox messages to Slack (targets as <see cref="SlackTargets"/> describes them): a channel
/// gets <c>chat.postMessage</c>, a person gets <c>conversations.open</c> then <c>chat.postMessage</c>, an
/// ephemeral answer <c>chat.postEphemeral</c>, a Home tab <c>views.publish</c>, and a message that
/// replaces an earlier one is <c>chat.update</c>d in place. The message reference returned is
/// <c>channel:ts</c>. Nothing goes to a workspace that removed the app: those messages are dead-lettered.
/// </summary>
internal sealed partial class SlackChatSender(
    SlackWebApiClient slack, SlackWorkspaces workspaces, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackChatSender> logger) : IChatSender
{
    public const string PlatformName = "slack";

    /// <summary>User id → direct-message channel id; conversations.open answers the same channel every time.</summary>
    private readonly ConcurrentDictionary<string, string> directChannels = new(StringComparer.Ordinal);

    private static readonly TimeSpan IdentityWait = TimeSpan.FromSeconds(5);

    public string Platform => PlatformName;

    /// <summary>
    /// The Web API method the message will be delivered with and the conversation it shows in (a Home tab and an
    /// ephemeral answer show in none that Slack limits): the outbox leases it only when both budgets have room.
    /// </summary>
    public IReadOnlyList<SendBudget> BudgetsFor(ChatTarget target, bool updatesInPlace)
    {
        if (!options.Value.Pacing.Enabled)
            return [];
        var workspace = target.Workspace ?? "-";
        if (SlackTargets.IsHomeTab(target, out _))
            return SlackRateLimiter.BudgetsFor(workspace, "views.publish", null);
        if (SlackTargets.IsEphemeral(target, out _, out _))
            return SlackRateLimiter.BudgetsFor(workspace, "chat.postEphemeral", null);
        return SlackRateLimiter.BudgetsFor(workspace, updatesInPlace ? "chat.update" : "chat.postMessage", target.Address);
    }

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        if (await workspaces.FindAsync(message.Target.Workspace, cancellationToken) is { } revocation)
        {
            // A restart with a reinstalled app's new token is recognised by auth.test; until it answers, wait.
            return workspaces is { Bot: null, Problem: null }
                ? new SendResult.Deferred("waiting for auth.test before deciding about a revoked workspace", IdentityWait)
                : new SendResult.Permanent(revocation.Describe());
        }

        try
        {
            return await DeliverAsync(message, cancellationToken);
        }
        catch (SlackRenderException exception)
        {
            return new SendResult.Permanent(exception.Error);
        }
        catch (SlackApiException exception) when (exception.Error == SlackApiErrors.RateLimitedLocally)
        {
            // Our own limiter said wait: Slack was not asked, so no attempt is used up.
            return new SendResult.Deferred(exception.Error, exception.RetryAfter ?? SlackRateLimiter.MaxWait);
        }
        catch (SlackApiException exception)
        {
            LogFailed(message.Id, exception.Method, exception.Error);
            if (exception.Error is "token_revoked" or "account_inactive" && (message.Target.Workspace ?? workspaces.Bot?.TeamId) is { } workspace)
                await workspaces.RevokeAsync(workspace, exception.Error, clock.GetUtcNow(), cancellationToken);
            return exception.IsTransient
                ? new SendResult.Transient(exception.Error, exception.RetryAfter) { Throttled = exception.Error == "ratelimited" }
                : new SendResult.Permanent(exception.Error);
        }
    }

    private async Task<SendResult> DeliverAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var target = message.Target;
        if (SlackTargets.IsHomeTab(target, out var homeUser, out var page))
        {
            await slack.ViewsPublishAsync(homeUser, BlockKitRenderer.RenderHomeView(message.Message, page), cancellationToken);
            return new SendResult.Sent(null);
        }

        var payload = BlockKitRenderer.Render(message.Message);
        if (SlackTargets.IsEphemeral(target, out var channel, out var user))
        {
            // An ephemeral message cannot be updated later, so there is no reference to keep.
            await slack.ChatPostEphemeralAsync(channel, user, payload.Text, payload.Blocks, cancellationToken);
            return new SendResult.Sent(null);
        }
        if (message.ReplacesMessageRef is not null)
        {
            if (!PostedMessage.TryParse(message.ReplacesMessageRef, out var earlier))
                return new SendResult.Permanent("invalid_message_ref");
            var updated = await slack.ChatUpdateAsync(earlier.Channel, earlier.Ts, payload.Text, payload.Blocks, cancellationToken);
            return new SendResult.Sent(updated.MessageRef);
        }

        channel = target.Kind == ChatTargetKind.Person ? await DirectChannelAsync(target.Address, cancellationToken) : target.Address;
        if (message.Attempt > 1 && await AlreadyPostedAsync(channel, message.Id, cancellationToken) is { } found)
            return new SendResult.Sent(found.MessageRef);
        var posted = await slack.ChatPostMessageAsync(channel, payload.Text, payload.Blocks, message.Id, cancellationToken);
        return new SendResult.Sent(posted.MessageRef);
    }

    /// <summary>
    /// Before a post is sent again, the channel's recent history is searched for the earlier attempt: an attempt that
    /// timed out (or lost its connection) after Slack took the request may have been posted. Each post carries its
    /// outbox id in its metadata, so it is found by that. Slack refusing the look-up (a missing history scope, say)
    /// is no reason to give up the post: it is sent, as before this check existed.
    /// </summary>
    private async Task<PostedMessage?> AlreadyPostedAsync(string channel, long outboxId, CancellationToken cancellationToken)
    {
        try
        {
            return await slack.ConversationsHistoryAsync(channel, outboxId, HistoryDepth, cancellationToken) is { } ts ? new PostedMessage(channel, ts) : null;
        }
        catch (SlackApiException exception) when (!exception.IsTransient)
        {
            LogHistoryRefused(outboxId, exception.Error);
            return null;
        }
    }

    /// <summary>How far back an earlier attempt is looked for: the bot posts to a channel about once a second, so this covers minutes.</summary>
    private const int HistoryDepth = 100;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack refused the history look-up before resending outbox message {MessageId} ({Error}); sending it")]
    private partial void LogHistoryRefused(long messageId, string error);

    private async Task<string> DirectChannelAsync(string userId, CancellationToken cancellationToken)
    {
        if (directChannels.TryGetValue(userId, out var channel))
            return channel;
        channel = await slack.ConversationsOpenAsync(userId, cancellationToken);
        directChannels[userId] = channel;
        return channel;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack refused outbox message {MessageId}: {Method} answered {Error}")]
    private partial void LogFailed(long messageId, string method, string error);
}
