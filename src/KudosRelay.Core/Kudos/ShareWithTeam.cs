using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Kudos;

/// <summary>
/// "Share with the team", offered when a team's channel posting is off: the customer kudos are
/// posted in the team's channels once (the same outbox keys as an automatic post), and the agent's
/// message shows "Shared with the team" instead of the button.
/// </summary>
internal sealed class ShareWithTeamHandler(Db db, FeedbackStore feedback, OutboxStore outbox) : IButtonHandler
{
    public string ActionPrefix => KudosDmButtons.Share;

    public Task<ChatResponse> HandleAsync(ChatRequest.ButtonPressed button, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var (press, refusal) = await KudosDmState.PressContextAsync(transaction, feedback, button, cancellationToken);
            if (press is null)
                return refusal!;
            var channels = press.Team is null ? [] : await PeopleLookup.TeamChannelsAsync(transaction, press.Team.Id, cancellationToken);
            if (channels.Count == 0)
                return new ChatResponse(KudosMessages.NoTeamChannel(press.Agent.Locale));

            var identities = await PeopleLookup.IdentitiesAsync(transaction, press.Agent.Id, cancellationToken);
            var post = KudosMessages.CustomerKudosForTeam(press.Team!.Locale, press.Agent, identities, Praise.Of(press.Item), press.Team.Name);
            foreach (var channel in channels)
                await outbox.EnqueueAsync(transaction, new OutboxMessage(
                    KudosDmState.TeamPostKey(press.Item.Id, channel.Platform),
                    new ChatTarget(channel.Platform, ChatTargetKind.Channel, channel.ChannelId),
                    post), cancellationToken);
            return new ChatResponse(null, await KudosDmState.CurrentMessageAsync(transaction, outbox, press, cancellationToken));
        }, cancellationToken);
}
