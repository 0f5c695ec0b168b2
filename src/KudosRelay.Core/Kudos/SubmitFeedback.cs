using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Kudos;

/// <summary>One piece of customer feedback as a source sent it, already parsed and checked for shape.</summary>
internal sealed record IncomingFeedback(
    string ExternalId,
    DateTime ReceivedAt,
    Rating? Rating,
    string? Text,
    string? AgentEmail,
    string? Team,
    string? CustomerName,
    string? CaseRef,
    string? Language);

/// <summary>What happened to one item, as the intake answers it.</summary>
internal sealed record FeedbackOutcome(string? ExternalId, string Result, string? Field = null, string? Reason = null, int? Index = null)
{
    public const string AlreadyReceived = "already received from this source with this externalId; nothing was sent again";

    public static FeedbackOutcome Rejected(string? externalId, int index, string field, string reason) =>
        new(externalId, FeedbackResult.Rejected, field, reason, index);
}

internal static class FeedbackResult
{
    public const string Relayed = "relayed";
    public const string QueuedForReview = "queued-for-review";
    public const string NotPositive = "not-positive";
    public const string Duplicate = "duplicate";
    public const string Updated = "updated";
    public const string Withdrawn = "withdrawn";
    public const string Unrouted = "unrouted";
    public const string Rejected = "rejected";
}

/// <summary>Feedback item statuses as stored.</summary>
internal static class FeedbackStatus
{
    public const string Relayed = "relayed";
    public const string InReview = "in-review";
    public const string Declined = "declined";
    public const string NotPositive = "not-positive";
    public const string Unrouted = "unrouted";
    public const string Withdrawn = "withdrawn";
}

/// <summary>
/// Takes a batch of feedback from one source: scores and redacts each item, stores it once per
/// (source, external id), and relays the positive ones — all in one transaction with their outbox rows.
/// </summary>
internal sealed class SubmitFeedbackHandler(Db db, FeedbackStore feedback, KudosRelayer relayer, KudosOptions options)
{
    public Task<IReadOnlyList<FeedbackOutcome>> SubmitAsync(string source, IReadOnlyList<IncomingFeedback> items, CancellationToken cancellationToken) =>
        db.InTransactionAsync<IReadOnlyList<FeedbackOutcome>>(async (_, transaction) =>
        {
            var outcomes = new List<FeedbackOutcome>(items.Count);
            var routes = new KudosRoutes(transaction);
            foreach (var item in items)
                outcomes.Add(await SubmitOneAsync(routes, source, item, cancellationToken));
            return outcomes;
        }, cancellationToken);

    private async Task<FeedbackOutcome> SubmitOneAsync(KudosRoutes routes, string source, IncomingFeedback item, CancellationToken cancellationToken)
    {
        var transaction = routes.Transaction;
        var verdict = Positivity.Score(item.Rating, item.Text, item.Language, options.Positivity);
        var existing = await feedback.FindAsync(transaction, source, item.ExternalId, cancellationToken);
        if (existing is not null)
            return await ResubmittedAsync(routes, existing, item, verdict, cancellationToken);

        var row = new FeedbackItem
        {
            Source = source,
            ExternalId = item.ExternalId,
            ReceivedAt = item.ReceivedAt,
            AgentEmail = item.AgentEmail,
            CaseRef = item.CaseRef,
            Language = item.Language,
            RatingScale = item.Rating?.Scale,
            RatingValue = item.Rating?.Value,
            Score = verdict.Score,
            CustomerName = Redactor.CustomerName(item.CustomerName, options.CustomerNaming),
            RedactedText = item.Text is null ? null : Redactor.Redact(item.Text, item.CustomerName, options.CustomerNaming),
            OriginalText = options.StoreOriginalText ? item.Text : null,
            Status = FeedbackStatus.NotPositive,
        };
        var id = await feedback.InsertAsync(transaction, row, cancellationToken);
        if (id is null)
            return new FeedbackOutcome(item.ExternalId, FeedbackResult.Duplicate, Reason: FeedbackOutcome.AlreadyReceived);
        return await DecideAsync(routes, row with { Id = id.Value }, item.Team, verdict, cancellationToken);
    }

    private async Task<FeedbackOutcome> DecideAsync(KudosRoutes routes, FeedbackItem row, string? teamKey, PositivityVerdict verdict, CancellationToken cancellationToken)
    {
        switch (verdict.Polarity)
        {
            case Polarity.Positive:
                var relay = await relayer.RelayAsync(routes, row, teamKey, cancellationToken);
                return new FeedbackOutcome(row.ExternalId, relay.Relayed ? FeedbackResult.Relayed : FeedbackResult.Unrouted, Reason: relay.Description);
            case Polarity.Borderline when options.ReviewEnabled:
                var review = await relayer.QueueForReviewAsync(routes, row, teamKey, verdict.Reason, cancellationToken);
                return review.Queued
                    ? new FeedbackOutcome(row.ExternalId, FeedbackResult.QueuedForReview, Reason: verdict.Reason)
                    : new FeedbackOutcome(row.ExternalId, FeedbackResult.NotPositive, Reason: $"{verdict.Reason}; {review.Description}");
            case Polarity.Borderline:
                return new FeedbackOutcome(row.ExternalId, FeedbackResult.NotPositive, Reason: $"{verdict.Reason} (borderline; the review queue is off)");
            default:
                return new FeedbackOutcome(row.ExternalId, FeedbackResult.NotPositive, Reason: verdict.Reason);
        }
    }

    /// <summary>The same (source, external id) again: a resend, or a customer who changed their rating.</summary>
    private async Task<FeedbackOutcome> ResubmittedAsync(KudosRoutes routes, FeedbackItem existing, IncomingFeedback item, PositivityVerdict verdict, CancellationToken cancellationToken)
    {
        var transaction = routes.Transaction;
        var redacted = item.Text is null ? null : Redactor.Redact(item.Text, item.CustomerName, options.CustomerNaming);
        if (existing.RatingScale == item.Rating?.Scale && existing.RatingValue == item.Rating?.Value && existing.RedactedText == redacted)
            return new FeedbackOutcome(item.ExternalId, FeedbackResult.Duplicate, Reason: FeedbackOutcome.AlreadyReceived);

        var changed = existing with
        {
            RatingScale = item.Rating?.Scale,
            RatingValue = item.Rating?.Value,
            Score = verdict.Score,
            RedactedText = redacted,
            OriginalText = options.StoreOriginalText ? item.Text : null,
            Language = item.Language ?? existing.Language,
        };
        var wasRelayed = existing.Status == FeedbackStatus.Relayed;
        if (wasRelayed && verdict.Polarity != Polarity.Positive)
        {
            await feedback.UpdateAsync(transaction, changed with { Status = FeedbackStatus.Withdrawn }, cancellationToken);
            await relayer.WithdrawAsync(transaction, existing.Id, cancellationToken);
            return new FeedbackOutcome(item.ExternalId, FeedbackResult.Withdrawn, Reason: verdict.Reason);
        }
        if (wasRelayed || existing.Status is FeedbackStatus.InReview or FeedbackStatus.Declined)
        {
            await feedback.UpdateAsync(transaction, changed with { Status = existing.Status }, cancellationToken);
            return new FeedbackOutcome(item.ExternalId, FeedbackResult.Updated, Reason: "already handled; nothing new was sent");
        }
        await feedback.UpdateAsync(transaction, changed, cancellationToken);
        var decided = await DecideAsync(routes, changed, item.Team, verdict, cancellationToken);
        return decided.Result == FeedbackResult.NotPositive ? decided with { Result = FeedbackResult.Updated } : decided;
    }
}
