using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Kudos;

/// <summary>
/// "Pass it on" on an agent's customer kudos: the colleague they picked gets the customer's thanks
/// (redacted, as relayed) in a direct message from the agent, stored as peer kudos for the digest.
/// Each colleague hears it once per feedback item, however often the agent picks them.
/// </summary>
internal sealed class PassItOnHandler(Db db, FeedbackStore feedback, KudosStore kudos, OutboxStore outbox) : IButtonHandler
{
    public string ActionPrefix => KudosDmButtons.PassItOn;

    public Task<ChatResponse> HandleAsync(ChatRequest.ButtonPressed button, CancellationToken cancellationToken)
    {
        if (button.Picked is not { UserId.Length: > 0 } picked)
            return Task.FromResult(new ChatResponse(KudosMessages.PassItOnNeedsColleague()));

        return db.InTransactionAsync(async (_, transaction) =>
        {
            var (press, refusal) = await KudosDmState.PressContextAsync(transaction, feedback, button, cancellationToken);
            if (press is null)
                return refusal!;
            var colleague = await PeopleLookup.FindByChatUserAsync(transaction, picked.Platform, picked.UserId, cancellationToken);
            if (colleague is null)
                return new ChatResponse(KudosMessages.ColleagueNotKnown());
            if (colleague.Id == press.Agent.Id)
                return new ChatResponse(KudosMessages.PassItOnToSelf());

            var state = await KudosDmState.LoadAsync(transaction, outbox, press.Item, press.Team, cancellationToken);
            if (state.PassedTo.Contains(colleague.DisplayName, StringComparer.Ordinal))
                return new ChatResponse(KudosMessages.AlreadyPassedOn(colleague), await KudosDmState.CurrentMessageAsync(transaction, outbox, press, cancellationToken));

            var quote = KudosRelayer.QuoteOf(press.Item);
            var crossDepartment = await PeopleLookup.AreInDifferentUnitsAsync(transaction, press.Agent.Id, colleague.Id, cancellationToken);
            var identities = await PeopleLookup.IdentitiesAsync(transaction, colleague.Id, cancellationToken);
            var reachable = identities.FirstOrDefault(i => i.Platform == button.From.Platform) ?? (identities.Count > 0 ? identities[0] : null);
            if (reachable is not null)
            {
                var enqueued = await outbox.EnqueueAsync(transaction, new OutboxMessage(
                    KudosDmState.PassedOnKey(press.Item.Id, colleague.Id),
                    new ChatTarget(reachable.Platform, ChatTargetKind.Person, reachable.UserId, reachable.Workspace),
                    KudosMessages.PassedOn(colleague, press.Agent, press.Item.CustomerName, quote, crossDepartment)), cancellationToken);
                // A press racing this one (another instance) already passed it on: say so instead of storing it twice.
                if (enqueued is null)
                    return new ChatResponse(KudosMessages.AlreadyPassedOn(colleague), await KudosDmState.CurrentMessageAsync(transaction, outbox, press, cancellationToken));
            }
            await kudos.InsertAsync(transaction, new KudosItem
            {
                Kind = KudosKind.Peer,
                FeedbackItemId = press.Item.Id,
                GiverPersonId = press.Agent.Id,
                RecipientPersonId = colleague.Id,
                TeamId = press.Item.TeamId,
                Text = quote,
                CrossDepartment = crossDepartment,
                Status = KudosStatus.Relayed,
            }, cancellationToken);

            var updated = await KudosDmState.CurrentMessageAsync(transaction, outbox, press, cancellationToken);
            return new ChatResponse(reachable is null ? KudosMessages.PassedOnButUnreachable(colleague) : null, updated);
        }, cancellationToken);
    }
}
