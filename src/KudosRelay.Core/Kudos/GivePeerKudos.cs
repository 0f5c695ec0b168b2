using KudosRelay.Core.Conversations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Kudos;

/// <summary>
/// <c>kudos @someone text</c>: stores the kudos, sends the recipient a direct message through the
/// outbox in the same transaction, and thanks the giver. Kudos between people who share no team or
/// department are flagged for the weekly digest. With an <see cref="InboundOrigin"/>, the platform's id is
/// claimed in the same transaction, so a replay or retry of the same invocation stores nothing, and a
/// reply target makes the giver's thanks part of that transaction too.
/// </summary>
internal sealed class GivePeerKudosHandler(Db db, KudosStore kudos, OutboxStore outbox, InboundRequestStore requests)
{
    /// <summary>Long enough for a heartfelt paragraph; longer text is cut so a chat message stays readable.</summary>
    internal const int MaxTextLength = 1000;

    public async Task<ChatResponse> HandleAsync(ChatRequest.PeerKudos request, CancellationToken cancellationToken)
    {
        var text = request.Text.Trim();
        if (text.Length > MaxTextLength)
            text = string.Concat(text.AsSpan(0, MaxTextLength - 1), "…");

        var origin = request.Origin;
        return await db.InTransactionAsync(async (_, transaction) =>
        {
            if (origin is not null && !await requests.ClaimAsync(transaction, origin.RequestId, cancellationToken))
                return ChatResponse.Nothing;
            var giver = await PeopleLookup.FindByChatUserAsync(transaction, request.From.Platform, request.From.UserId, cancellationToken);
            if (giver is null)
                return new ChatResponse(ConversationMessages.NotKnownYet(null));
            if (text.Length == 0)
                return new ChatResponse(KudosMessages.PeerKudosNeedsText(giver.Locale));
            var recipient = await PeopleLookup.FindByChatUserAsync(transaction, request.To.Platform, request.To.UserId, cancellationToken);
            if (recipient is null)
                return new ChatResponse(KudosMessages.RecipientNotKnown(giver.Locale, request.To.DisplayName));
            if (recipient.Id == giver.Id)
                return new ChatResponse(KudosMessages.SelfKudos(giver.Locale));

            var crossDepartment = await PeopleLookup.AreInDifferentUnitsAsync(transaction, giver.Id, recipient.Id, cancellationToken);
            var kudosId = await kudos.InsertAsync(transaction, new KudosItem
            {
                Kind = KudosKind.Peer,
                GiverPersonId = giver.Id,
                RecipientPersonId = recipient.Id,
                Text = text,
                CrossDepartment = crossDepartment,
                Status = KudosStatus.Relayed,
            }, cancellationToken);

            var identities = await PeopleLookup.IdentitiesAsync(transaction, recipient.Id, cancellationToken);
            var reachable = identities.FirstOrDefault(i => i.Platform == request.From.Platform) ?? (identities.Count > 0 ? identities[0] : null);
            // An org file names a person's chat id without their workspace; on the giver's platform the request knows it
            // (a Teams tenant, from the verified activity), and the sender needs it to open a 1:1 with someone new to the bot.
            var workspace = reachable?.Workspace is { Length: > 0 } known ? known
                : reachable?.Platform == request.From.Platform ? request.To.Workspace ?? request.From.Workspace : null;
            if (reachable is not null)
                await outbox.EnqueueAsync(transaction, new OutboxMessage(
                    $"kudos:{kudosId}:recipient",
                    new ChatTarget(reachable.Platform, ChatTargetKind.Person, reachable.UserId, workspace),
                    KudosMessages.PeerKudosReceived(recipient, giver, text, crossDepartment)), cancellationToken);
            var thanks = KudosMessages.PeerKudosSent(giver.Locale, recipient, delivered: reachable is not null);
            if (origin is not { ReplyTarget: { } replyTarget })
                return new ChatResponse(thanks);
            await outbox.EnqueueAsync(transaction, new OutboxMessage(origin.ReplyKey ?? $"{origin.RequestId}:reply", replyTarget, thanks), cancellationToken);
            return ChatResponse.Nothing;
        }, cancellationToken);
    }
}
