using KudosRelay.Core.Kudos;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Conversations;

/// <summary>Hands each request from any platform to the feature that answers it.</summary>
internal sealed class ChatRequestRouter(Db db, GivePeerKudosHandler peerKudos, IEnumerable<IButtonHandler> buttonHandlers) : IChatRequestHandler
{
    public Task<ChatResponse> HandleAsync(ChatRequest request, CancellationToken cancellationToken) => request switch
    {
        ChatRequest.Help help => Task.FromResult(new ChatResponse(ConversationMessages.Help(help.Unrecognised))),
        ChatRequest.Settings settings => SettingsAsync(settings.From, cancellationToken),
        ChatRequest.PeerKudos kudos => peerKudos.HandleAsync(kudos, cancellationToken),
        ChatRequest.ButtonPressed button => ButtonAsync(button, cancellationToken),
        _ => Task.FromResult(new ChatResponse(ConversationMessages.Help(null))),
    };

    private Task<ChatResponse> SettingsAsync(ChatUser user, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var person = await PeopleLookup.FindByChatUserAsync(transaction, user.Platform, user.UserId, cancellationToken);
            if (person is null)
                return new ChatResponse(ConversationMessages.NotKnownYet());
            var memberships = await PeopleLookup.MembershipsAsync(transaction, person.Id, cancellationToken);
            var identities = await PeopleLookup.IdentitiesAsync(transaction, person.Id, cancellationToken);
            return new ChatResponse(ConversationMessages.Settings(person, memberships, identities));
        }, cancellationToken);

    private Task<ChatResponse> ButtonAsync(ChatRequest.ButtonPressed button, CancellationToken cancellationToken) =>
        buttonHandlers.FirstOrDefault(h => button.ActionId.StartsWith(h.ActionPrefix, StringComparison.Ordinal)) is { } handler
            ? handler.HandleAsync(button, cancellationToken)
            : Task.FromResult(new ChatResponse(ConversationMessages.ButtonNoLongerActive()));
}
