using System.Globalization;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Kudos;

internal static class ReviewButtons
{
    public const string Prefix = "review.";
    public const string Approve = "review.approve";
    public const string Decline = "review.decline";
}

/// <summary>The team lead's Approve / Decline on borderline feedback. Approve relays it; the card is replaced either way.</summary>
internal sealed class ReviewQueueHandler(Db db, FeedbackStore feedback, KudosRelayer relayer) : IButtonHandler
{
    public string ActionPrefix => ReviewButtons.Prefix;

    public Task<ChatResponse> HandleAsync(ChatRequest.ButtonPressed button, CancellationToken cancellationToken)
    {
        if (!long.TryParse(button.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var feedbackId)
            || button.ActionId is not (ReviewButtons.Approve or ReviewButtons.Decline))
            return Task.FromResult(new ChatResponse(Conversations.ConversationMessages.ButtonNoLongerActive(null)));

        return db.InTransactionAsync(async (_, transaction) =>
        {
            var reviewer = await PeopleLookup.FindByChatUserAsync(transaction, button.From.Platform, button.From.UserId, cancellationToken);
            var item = await feedback.GetAsync(transaction, feedbackId, cancellationToken);
            if (reviewer is null || item is null)
                return new ChatResponse(Conversations.ConversationMessages.ButtonNoLongerActive(reviewer?.Locale));
            if (item.Status != FeedbackStatus.InReview)
                return new ChatResponse(KudosMessages.AlreadyReviewed(reviewer.Locale));
            var team = item.TeamId is null ? null : await PeopleLookup.FindTeamByIdAsync(transaction, item.TeamId.Value, cancellationToken);
            if (team?.LeadPersonId != reviewer.Id)
                return new ChatResponse(KudosMessages.OnlyTheLeadReviews(reviewer.Locale));

            var praise = Praise.Of(item);
            if (button.ActionId == ReviewButtons.Decline)
            {
                await feedback.SetRoutingAsync(transaction, item.Id, FeedbackStatus.Declined, item.AgentPersonId, item.TeamId, cancellationToken);
                return new ChatResponse(null, KudosMessages.ReviewDecided(false, reviewer, praise));
            }
            await relayer.RelayAsync(new KudosRoutes(transaction), item, team.TeamKey, cancellationToken);
            return new ChatResponse(null, KudosMessages.ReviewDecided(true, reviewer, praise));
        }, cancellationToken);
    }
}
