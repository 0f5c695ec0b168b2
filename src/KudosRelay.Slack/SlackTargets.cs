using System.Text.Json;
using System.Text.Json.Nodes;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;

namespace KudosRelay.Slack;

/// <summary>
/// The outbox targets of platform "slack". A channel id (<c>C…</c>, <c>G…</c>, or a direct conversation
/// <c>D…</c>) and a person's user id are addressed as themselves; two answers to events need more than an
/// id and are written as <c>ephemeral:{channel}:{user}</c> (only that user sees it, in that channel) and
/// <c>home:{user}</c> (that user's Home tab), or <c>home:{user}:{action id}:{payload}</c> for a page on it (a
/// <see cref="ChatPage"/>) with the press that made it. Slack ids are upper-case letters and digits, so neither
/// prefix can be mistaken for one.
/// </summary>
internal static class SlackTargets
{
    private const string EphemeralPrefix = "ephemeral:";
    private const string HomePrefix = "home:";

    public static ChatTarget Conversation(string channel, string? workspace) =>
        new(SlackChatSender.PlatformName, ChatTargetKind.Channel, channel, workspace);

    public static ChatTarget Ephemeral(string channel, string user, string? workspace) =>
        new(SlackChatSender.PlatformName, ChatTargetKind.Channel, $"{EphemeralPrefix}{channel}:{user}", workspace);

    public static ChatTarget HomeTab(string user, string? workspace) =>
        new(SlackChatSender.PlatformName, ChatTargetKind.Person, HomePrefix + user, workspace);

    /// <summary>A page on <paramref name="user"/>'s Home tab, made by the press <paramref name="origin"/>.</summary>
    public static ChatTarget PageTab(string user, string? workspace, SlackPageOrigin origin) =>
        new(SlackChatSender.PlatformName, ChatTargetKind.Person, $"{HomePrefix}{user}:{origin.ActionId}:{origin.Payload}", workspace);

    public static bool IsEphemeral(ChatTarget target, out string channel, out string user)
    {
        channel = user = "";
        if (target.Kind != ChatTargetKind.Channel || !target.Address.StartsWith(EphemeralPrefix, StringComparison.Ordinal))
            return false;
        var rest = target.Address.AsSpan(EphemeralPrefix.Length);
        var colon = rest.IndexOf(':');
        if (colon <= 0 || colon == rest.Length - 1)
            return false;
        channel = rest[..colon].ToString();
        user = rest[(colon + 1)..].ToString();
        return true;
    }

    public static bool IsHomeTab(ChatTarget target, out string user) => IsHomeTab(target, out user, out _);

    /// <summary>A Home tab target; <paramref name="page"/> is the press behind a page, null for the usual Home.</summary>
    public static bool IsHomeTab(ChatTarget target, out string user, out SlackPageOrigin? page)
    {
        user = "";
        page = null;
        if (target.Kind != ChatTargetKind.Person || !target.Address.StartsWith(HomePrefix, StringComparison.Ordinal) || target.Address.Length == HomePrefix.Length)
            return false;
        var rest = target.Address[HomePrefix.Length..];
        var userEnd = rest.IndexOf(':', StringComparison.Ordinal);
        if (userEnd < 0)
        {
            user = rest;
            return true;
        }
        var actionEnd = rest.IndexOf(':', userEnd + 1);
        if (userEnd == 0 || actionEnd < 0)
            return false;
        user = rest[..userEnd];
        page = new SlackPageOrigin(rest[(userEnd + 1)..actionEnd], rest[(actionEnd + 1)..]);
        return true;
    }
}

/// <summary>
/// The press that made a page on a Home tab: its action id (never holding a colon, like every action id of ours) and
/// payload. The view keeps it in its <c>private_metadata</c>, so opening the tab again asks for the page afresh.
/// </summary>
internal sealed record SlackPageOrigin(string ActionId, string Payload)
{
    public string ToMetadata() => new JsonObject { ["action"] = ActionId, ["payload"] = Payload }.ToJsonString();

    /// <summary>The press behind a Home view, when the view is one of our pages; null for any other view or metadata.</summary>
    public static SlackPageOrigin? FromView(string? callbackId, string? privateMetadata)
    {
        if (callbackId != Rendering.BlockKitRenderer.PageCallbackId || privateMetadata is not { Length: > 0 })
            return null;
        try
        {
            return JsonNode.Parse(privateMetadata) is JsonObject metadata
                && metadata["action"] is JsonValue action && action.TryGetValue<string>(out var actionId) && actionId.Length > 0
                && metadata["payload"] is JsonValue payload && payload.TryGetValue<string>(out var value)
                ? new SlackPageOrigin(actionId, value)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
