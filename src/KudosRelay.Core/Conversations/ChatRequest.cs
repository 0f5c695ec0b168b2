using KudosRelay.Core.Messaging;

namespace KudosRelay.Core.Conversations;

/// <summary>The forms a chat command opens, by the id each platform's command table maps its command to.</summary>
public static class ChatForms
{
    /// <summary>Ask another department for help with a customer case: Slack <c>/escalate</c>, Teams <c>escalate</c>.</summary>
    public const string Escalate = "escalation.create";
}

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
    /// <remarks>
    /// <paramref name="Inputs"/> holds what the message's <see cref="InputBlock"/>s held when it was pressed, by id;
    /// <paramref name="MessageId"/> is the platform's id of the message that carried the button, where the adapter knows it.
    /// </remarks>
    public sealed record ButtonPressed(
        ChatUser From, string ActionId, string Payload, ChatUser? Picked = null, IReadOnlyDictionary<string, string>? Inputs = null, string? MessageId = null)
        : ChatRequest(From)
    {
        public string? Input(string id) => Inputs?.GetValueOrDefault(id) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
    }

    /// <summary>A command that opens a form (<c>/escalate</c> on Slack, <c>escalate</c> on Teams); <paramref name="FormId"/> names it.</summary>
    public sealed record FormRequested(ChatUser From, string FormId) : ChatRequest(From);

    /// <summary>
    /// A form sent back: <paramref name="SubmissionId"/> is the same for every step of one form (the Slack view id, the
    /// Teams card's message id), <paramref name="State"/> is <see cref="ChatForm.State"/> as the feature wrote it, and
    /// <paramref name="Values"/> what the fields held, by id (empty fields absent). A <see cref="InputKind.Person"/>
    /// field's value is a user id on the sender's platform.
    /// </summary>
    public sealed record FormSubmitted(ChatUser From, string FormId, string SubmissionId, string State, IReadOnlyDictionary<string, string> Values) : ChatRequest(From)
    {
        public string? Value(string id) => Values.GetValueOrDefault(id) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
    }
}

/// <summary>
/// A form: a Slack modal, a Teams card. <paramref name="SubmitLabel"/> null shows it without a submit button (a last
/// step that only reads). <paramref name="State"/> travels with the form and comes back with the submission untouched
/// (Slack's <c>private_metadata</c>: keep it under 3,000 characters). A form whose fields carry
/// <see cref="InputBlock.Error"/>s answers a submission with what to correct.
/// </summary>
public sealed record ChatForm(string FormId, string Title, string? SubmitLabel, IReadOnlyList<MessageBlock> Blocks, string State = "")
{
    /// <summary>The label of the button that dismisses the form without sending it (Slack shows "Cancel" without one).</summary>
    public string? CloseLabel { get; init; }

    /// <summary>
    /// The form as a message, for a platform that shows forms as messages (a Teams card): its title, its blocks, and a
    /// submit button whose action id is the form id and whose payload is the state. The router hands a press of it to
    /// the form's handler as a <see cref="ChatRequest.FormSubmitted"/> whose submission id is the message's id.
    /// </summary>
    public ChatMessage AsMessage() => new(Title,
    [
        new HeadingBlock(Title),
        .. Blocks,
        .. SubmitLabel is { } submit ? new MessageBlock[] { new ButtonsBlock([new ChatButton(submit, FormId, State, ButtonStyle.Primary)]) } : [],
    ]);

    public bool HasErrors => Blocks.OfType<InputBlock>().Any(input => input.Error is not null);
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
/// carried it; <paramref name="Form"/> opens a form or shows its next step. Anything for other people goes through the outbox.
/// </summary>
public sealed record ChatResponse(ChatMessage? Reply, ChatMessage? Replacement = null, ChatForm? Form = null)
{
    /// <summary>A longer read for the person who pressed a button, shown apart from the message (see <see cref="ChatPage"/>).</summary>
    public ChatPage? Page { get; init; }

    /// <summary>A replay of a request already handled, or a reply already in the outbox: nothing more to say.</summary>
    public static ChatResponse Nothing { get; } = new(Reply: null);
}

/// <summary>
/// A longer read for the person who pressed a button alone, too long for a reply and not meant to replace the message
/// for anyone else: a full list behind a summary. Slack publishes it as that person's Home tab, with a button labelled
/// <paramref name="HomeLabel"/> back to the usual Home, and says where it is with the response's
/// <see cref="ChatResponse.Reply"/>; Teams answers the press with it as the card that person sees.
/// </summary>
/// <remarks>
/// The Home tab rebuilds a page each time it is opened by handing the same press to the feature again, so a press
/// answered with a page must only read: the same press, made again, answers a fresh page (or a reply when it has none).
/// </remarks>
public sealed record ChatPage(ChatMessage Content, string HomeLabel);
