using System.Data.Common;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Conversations;

/// <summary>Hands each request from any platform to the feature that answers it.</summary>
internal sealed class ChatRequestRouter(
    Db db, GivePeerKudosHandler peerKudos, IEnumerable<IButtonHandler> buttonHandlers, InboundRequestStore requests, IEnumerable<IFormHandler>? formHandlers = null,
    RecentPraise? recentPraise = null)
    : IChatRequestHandler
{
    public Task<ChatResponse> HandleAsync(ChatRequest request, CancellationToken cancellationToken) => request switch
    {
        ChatRequest.Help help => HelpAsync(help.From, help.Unrecognised, cancellationToken),
        ChatRequest.Settings settings => SettingsAsync(settings.From, cancellationToken),
        ChatRequest.Home home => HomeAsync(home.From, cancellationToken),
        ChatRequest.PeerKudos kudos => peerKudos.HandleAsync(kudos, cancellationToken),
        ChatRequest.ButtonPressed button => OnceAsync(button, () => ButtonAsync(button, cancellationToken), cancellationToken),
        ChatRequest.FormRequested form => FormHandler(form.FormId) is { } handler ? handler.OpenAsync(form, cancellationToken) : HelpAsync(form.From, null, cancellationToken),
        ChatRequest.FormSubmitted form => FormHandler(form.FormId) is { } handler ? handler.SubmitAsync(form, cancellationToken) : FormGoneAsync(form.From, cancellationToken),
        _ => HelpAsync(request.From, null, cancellationToken),
    };

    /// <summary>
    /// A button's features run transactions of their own, so its platform id is claimed before them in one of
    /// its own, and given up again if they fail: a replayed click does nothing, a retried failed one is handled.
    /// (Kudos claim theirs inside their own transaction.)
    /// </summary>
    private async Task<ChatResponse> OnceAsync(ChatRequest request, Func<Task<ChatResponse>> handle, CancellationToken cancellationToken)
    {
        if (request.Origin is not { } origin)
            return await handle();
        if (!await requests.ClaimAsync(origin.RequestId, cancellationToken))
            return ChatResponse.Nothing;
        try
        {
            return await handle();
        }
        catch
        {
            try
            {
                await requests.ReleaseAsync(origin.RequestId, CancellationToken.None);
            }
            catch (DbException)
            {
                // The database that failed the work fails this too; the claim then stays, and a retry is acknowledged unhandled.
            }
            throw;
        }
    }

    private Task<ChatResponse> HomeAsync(ChatUser user, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var person = await PeopleLookup.FindByChatUserAsync(transaction, user.Platform, user.UserId, cancellationToken);
            var praise = person is null || recentPraise is null ? [] : await recentPraise.BlocksAsync(transaction, person, cancellationToken);
            return new ChatResponse(ConversationMessages.Home(person?.Locale, praise));
        }, cancellationToken);

    private async Task<ChatResponse> HelpAsync(ChatUser user, string? unrecognised, CancellationToken cancellationToken) =>
        new(ConversationMessages.Help(await LocaleOfAsync(user, cancellationToken), unrecognised));

    private Task<string?> LocaleOfAsync(ChatUser user, CancellationToken cancellationToken) =>
        PeopleLookup.LocaleOfAsync(db, user.Platform, user.UserId, cancellationToken);

    private Task<ChatResponse> SettingsAsync(ChatUser user, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var person = await PeopleLookup.FindByChatUserAsync(transaction, user.Platform, user.UserId, cancellationToken);
            if (person is null)
                return new ChatResponse(ConversationMessages.NotKnownYet(null));
            var memberships = await PeopleLookup.MembershipsAsync(transaction, person.Id, cancellationToken);
            var identities = await PeopleLookup.IdentitiesAsync(transaction, person.Id, cancellationToken);
            return new ChatResponse(ConversationMessages.Settings(person, memberships, identities));
        }, cancellationToken);

    private IFormHandler? FormHandler(string formId) => (formHandlers ?? []).FirstOrDefault(h => h.FormId == formId);

    private async Task<ChatResponse> FormGoneAsync(ChatUser user, CancellationToken cancellationToken) =>
        new(ConversationMessages.ButtonNoLongerActive(await LocaleOfAsync(user, cancellationToken)));

    private async Task<ChatResponse> ButtonAsync(ChatRequest.ButtonPressed button, CancellationToken cancellationToken) =>
        FormHandler(button.ActionId) is { } form
            ? await form.SubmitAsync(new ChatRequest.FormSubmitted(button.From, button.ActionId, button.MessageId ?? "", button.Payload,
                button.Inputs ?? new Dictionary<string, string>()), cancellationToken)
        : buttonHandlers.FirstOrDefault(h => button.ActionId.StartsWith(h.ActionPrefix, StringComparison.Ordinal)) is { } handler
            ? await handler.HandleAsync(button, cancellationToken)
            : new ChatResponse(ConversationMessages.ButtonNoLongerActive(await LocaleOfAsync(button.From, cancellationToken)));
}
