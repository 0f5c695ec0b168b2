using KudosRelay.Core.Messaging;

namespace KudosRelay.Core.Conversations;

/// <summary>
/// Someone on a chat platform. <paramref name="UserId"/> is the id the organisation file uses for
/// that platform (a Slack user id; an Azure AD object id on Teams); <paramref name="Workspace"/> is the
/// Slack team id or the Teams tenant id.
/// </summary>
public sealed record ChatUser(string Platform, string? Workspace, string UserId, string? DisplayName = null);

/// <summary>What a person asked of the bot, already verified and parsed by a platform adapter.</summary>
public abstract record ChatRequest(ChatUser From)
{
    /// <summary>The platform's id of this one invocation and where its answer goes; null when the platform gives none.</summary>
    public InboundOrigin? Origin { get; init; }

    /// <summary>"help", or anything the adapter could not parse into a request.</summary>
    public sealed record Help(ChatUser From, string? Unrecognised = null) : ChatRequest(From);

    public sealed record Settings(ChatUser From) : ChatRequest(From);

    /// <summary>The bot's home, where a person opens it (the Slack Home tab): what it does and how to use it.</summary>
    public sealed record Home(ChatUser From) : ChatRequest(From);

    /// <summary><c>/kudos @someone thanks for …</c>: <paramref name="To"/> is the mentioned person.</summary>
    public sealed record PeerKudos(ChatUser From, ChatUser To, string Text) : ChatRequest(From);

    /// <summary>
    /// A button on one of our messages: the <see cref="ChatButton.ActionId"/> and payload the feature put there.
    /// <paramref name="Picked"/> is the person chosen in a <see cref="PersonPickerBlock"/>, on the presser's platform.
    /// </summary>
    public sealed record ButtonPressed(ChatUser From, string ActionId, string Payload, ChatUser? Picked = null) : ChatRequest(From);
}

/// <summary>
/// The platform's own id of one invocation (<c>slack:trigger:…</c>, <c>slack:event:…</c>, <c>teams:activity:…</c>):
/// what a request changes is stored once per id, however often the platform sends it. With
/// <paramref name="ReplyTarget"/>, the reply to a request that changes something is written to the outbox
/// (under <paramref name="ReplyKey"/>) in the same transaction as the change, instead of by the adapter afterwards.
/// </summary>
public sealed record InboundOrigin(string RequestId, ChatTarget? ReplyTarget = null, string? ReplyKey = null);

/// <summary>
/// The answer to a request. <paramref name="Reply"/> goes only to the person who asked (ephemeral in
/// Slack, a reply in Teams); <paramref name="Replacement"/>, for a button, replaces the message that
/// carried it. Anything for other people goes through the outbox.
/// </summary>
public sealed record ChatResponse(ChatMessage? Reply, ChatMessage? Replacement = null)
{
    /// <summary>A replay of a request already handled, or a reply already in the outbox: nothing more to say.</summary>
    public static ChatResponse Nothing { get; } = new(Reply: null);
}
