using System.Globalization;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Kudos;

/// <summary>
/// "Say thanks back" on a colleague's passed-on thanks: the agent who passed it hears the colleague's thank-you
/// by direct message, once, and the colleague's message shows that it was said instead of the button.
/// </summary>
internal sealed class ThankBackHandler(Db db, FeedbackStore feedback, OutboxStore outbox) : IButtonHandler
{
    public string ActionPrefix => KudosDmButtons.ThankBack;

    public Task<ChatResponse> HandleAsync(ChatRequest.ButtonPressed button, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var colleague = await PeopleLookup.FindByChatUserAsync(transaction, button.From.Platform, button.From.UserId, cancellationToken);
            if (colleague is null)
                return new ChatResponse(ConversationMessages.NotKnownYet(null));
            var item = long.TryParse(button.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var feedbackId)
                ? await feedback.GetAsync(transaction, feedbackId, cancellationToken)
                : null;
            var agent = item?.AgentPersonId is { } agentId ? await PeopleLookup.GetAsync(transaction, agentId, cancellationToken) : null;
            // Only a colleague the thanks was passed on to can thank back for it.
            if (item is null || agent is null
                || (await outbox.FindByKeyPrefixAsync(transaction, KudosDmState.PassedOnKey(item.Id, colleague.Id), cancellationToken)).Count == 0)
                return new ChatResponse(ConversationMessages.ButtonNoLongerActive(colleague.Locale));

            var identities = await PeopleLookup.IdentitiesAsync(transaction, agent.Id, cancellationToken);
            // The agent pressed "Pass it on" in chat, so they are reachable there; preferably on the colleague's platform.
            var reachable = identities.FirstOrDefault(identity => identity.Platform == button.From.Platform) ?? (identities.Count > 0 ? identities[0] : null);
            if (reachable is null)
                return new ChatResponse(ConversationMessages.ButtonNoLongerActive(colleague.Locale));
            await outbox.EnqueueAsync(transaction, new OutboxMessage(
                    KudosDmState.ThankedBackKey(item.Id, colleague.Id),
                    new ChatTarget(reachable.Platform, ChatTargetKind.Person, reachable.UserId, reachable.Workspace),
                    KudosMessages.ThanksBack(agent, colleague)), cancellationToken);

            var team = item.TeamId is { } teamId ? await PeopleLookup.FindTeamByIdAsync(transaction, teamId, cancellationToken) : null;
            var crossDepartment = await PeopleLookup.AreInDifferentUnitsAsync(transaction, agent.Id, colleague.Id, cancellationToken);
            return new ChatResponse(null, KudosMessages.PassedOn(colleague, agent, team?.Name, item.Id, Praise.Of(item), crossDepartment, thankedBack: true));
        }, cancellationToken);
}
