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

    private async Task<ChatResponse> NeedsColleagueAsync(ChatRequest.ButtonPressed button, CancellationToken cancellationToken) =>
        new(KudosMessages.PassItOnNeedsColleague(await PeopleLookup.LocaleOfAsync(db, button.From.Platform, button.From.UserId, cancellationToken)));

    public Task<ChatResponse> HandleAsync(ChatRequest.ButtonPressed button, CancellationToken cancellationToken)
    {
        if (button.Picked is not { UserId.Length: > 0 } picked)
            return NeedsColleagueAsync(button, cancellationToken);

        return db.InTransactionAsync(async (_, transaction) =>
        {
            var (press, refusal) = await KudosDmState.PressContextAsync(transaction, feedback, button, cancellationToken);
            if (press is null)
                return refusal!;
            var colleague = await PeopleLookup.FindByChatUserAsync(transaction, picked.Platform, picked.UserId, cancellationToken);
            if (colleague is null)
                return new ChatResponse(KudosMessages.ColleagueNotKnown(press.Agent.Locale));
            if (colleague.Id == press.Agent.Id)
                return new ChatResponse(KudosMessages.PassItOnToSelf(press.Agent.Locale));

            // The colleague was picked by their id on the presser's platform, so that is where they hear it.
            var praise = Praise.Of(press.Item);
            var crossDepartment = await PeopleLookup.AreInDifferentUnitsAsync(transaction, press.Agent.Id, colleague.Id, cancellationToken);
            var enqueued = await outbox.EnqueueAsync(transaction, new OutboxMessage(
                KudosDmState.PassedOnKey(press.Item.Id, colleague.Id),
                new ChatTarget(picked.Platform, ChatTargetKind.Person, picked.UserId, picked.Workspace),
                KudosMessages.PassedOn(colleague, press.Agent, press.Team?.Name, press.Item.Id, praise, crossDepartment, thankedBack: false)), cancellationToken);
            // The outbox key is the memory of who heard it: a second pick of the same colleague (or a press racing this one) stores and sends nothing.
            if (enqueued is null)
                return new ChatResponse(KudosMessages.AlreadyPassedOn(press.Agent.Locale, colleague), await KudosDmState.CurrentMessageAsync(transaction, outbox, press, cancellationToken));
            await kudos.InsertAsync(transaction, new KudosItem
            {
                Kind = KudosKind.Peer,
                FeedbackItemId = press.Item.Id,
                GiverPersonId = press.Agent.Id,
                RecipientPersonId = colleague.Id,
                TeamId = press.Item.TeamId,
                CrossDepartment = crossDepartment,
                Status = KudosStatus.Relayed,
            }, cancellationToken);
            return new ChatResponse(null, await KudosDmState.CurrentMessageAsync(transaction, outbox, press, cancellationToken));
        }, cancellationToken);
    }
}
