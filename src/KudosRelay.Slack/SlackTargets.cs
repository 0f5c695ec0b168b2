using KudosRelay.Core.Messaging;

namespace KudosRelay.Slack;

/// <summary>
/// The outbox targets of platform "slack". A channel id (<c>C…</c>, <c>G…</c>, or a direct conversation
/// <c>D…</c>) and a person's user id are addressed as themselves; two answers to events need more than an
/// id and are written as <c>ephemeral:{channel}:{user}</c> (only that user sees it, in that channel) and
/// <c>home:{user}</c> (that user's Home tab). Slack ids are upper-case letters and digits, so neither
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

    public static bool IsHomeTab(ChatTarget target, out string user)
    {
        var isHome = target.Kind == ChatTargetKind.Person && target.Address.StartsWith(HomePrefix, StringComparison.Ordinal)
            && target.Address.Length > HomePrefix.Length;
        user = isHome ? target.Address[HomePrefix.Length..] : "";
        return isHome;
    }
}
