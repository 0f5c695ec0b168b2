using System.Collections.Concurrent;
using KudosRelay.Core.Messaging;
using KudosRelay.Slack.Rendering;
using KudosRelay.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace KudosRelay.Slack;

/// <summary>
/// Delivers outbox messages to Slack: a channel gets <c>chat.postMessage</c>, a person gets
/// <c>conversations.open</c> then <c>chat.postMessage</c>, and a message that replaces an earlier one
/// is <c>chat.update</c>d in place. The message reference returned is <c>channel:ts</c>.
/// </summary>
internal sealed partial class SlackChatSender(SlackWebApiClient slack, SlackWorkspaces workspaces, TimeProvider clock, ILogger<SlackChatSender> logger) : IChatSender
{
    public const string PlatformName = "slack";

    /// <summary>User id → direct-message channel id; conversations.open answers the same channel every time.</summary>
    private readonly ConcurrentDictionary<string, string> directChannels = new(StringComparer.Ordinal);

    public string Platform => PlatformName;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        if (workspaces.IsRevoked(message.Target.Workspace))
            return new SendResult.Permanent("token_revoked");

        try
        {
            var payload = BlockKitRenderer.Render(message.Message);
            if (message.ReplacesMessageRef is not null)
            {
                if (!PostedMessage.TryParse(message.ReplacesMessageRef, out var earlier))
                    return new SendResult.Permanent("invalid_message_ref");
                var updated = await slack.ChatUpdateAsync(earlier.Channel, earlier.Ts, payload.Text, payload.Blocks, cancellationToken);
                return new SendResult.Sent(updated.MessageRef);
            }

            var channel = message.Target.Kind == ChatTargetKind.Person
                ? await DirectChannelAsync(message.Target.Address, cancellationToken)
                : message.Target.Address;
            var posted = await slack.ChatPostMessageAsync(channel, payload.Text, payload.Blocks, cancellationToken);
            return new SendResult.Sent(posted.MessageRef);
        }
        catch (SlackRenderException exception)
        {
            return new SendResult.Permanent(exception.Error);
        }
        catch (SlackApiException exception)
        {
            LogFailed(message.Id, exception.Method, exception.Error);
            if (exception.Error is "token_revoked" or "account_inactive" && message.Target.Workspace is { } workspace)
                workspaces.Revoke(workspace, clock.GetUtcNow());
            return exception.IsTransient
                ? new SendResult.Transient(exception.Error, exception.RetryAfter)
                : new SendResult.Permanent(exception.Error);
        }
    }

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
