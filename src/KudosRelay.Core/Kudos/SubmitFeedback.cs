using System.Data.Common;
using KudosRelay.Core.Outbox;
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
    public const string Restored = "restored";
    public const string Unrouted = "unrouted";
    public const string Rejected = "rejected";

    /// <summary>Positive, but received before the import's relay window: stored and counted for digests, sent to nobody.</summary>
    public const string Stored = "stored";
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
/// An item with what can be worked out before touching the database: its positivity and its redacted
/// text and customer name. Scoring is the CPU-heavy part of intake, so a large import does it on
/// another core while the previous batch is written.
/// </summary>
internal sealed record ScoredFeedback(IncomingFeedback Item, PositivityVerdict Verdict, string? RedactedText, string? CustomerName);

/// <summary>
/// A batch as far as it is worked out before its transaction: which items are new to it (<paramref name="Fresh"/>, with the
/// rows they are stored as and, for positive ones, the <paramref name="Routes"/> they take) and which repeat an item earlier
/// in it (<paramref name="SeenBefore"/>).
/// </summary>
internal sealed record PreparedBatch(
    string Source, IReadOnlyList<ScoredFeedback> Items, RelayChoice Choice, IReadOnlyList<int> Fresh, IReadOnlyList<int> SeenBefore,
    IReadOnlyList<FeedbackItem> Rows, IReadOnlyList<RelayRoute?> Routes);

/// <summary>
/// Takes a batch of feedback from one source: scores and redacts each item, stores it once per
/// (source, external id), and relays the positive ones — all in one transaction with their outbox rows.
/// </summary>
internal sealed class SubmitFeedbackHandler(
    Db db, FeedbackStore feedback, KudosStore kudos, OutboxStore outbox, KudosRelayer relayer, OpenSummaryStore openSummaries, KudosOptions options)
{
    /// <summary>
    /// The item keeps its original text only where <see cref="KudosOptions.StoreOriginalText"/> stores it: nothing else
    /// reads it once scored and redacted, and a large import holds thousands of items between the two steps.
    /// </summary>
    public ScoredFeedback Score(IncomingFeedback item) => new(
        options.StoreOriginalText || item.Text is null ? item : item with { Text = null },
        Positivity.Score(item.Rating, item.Text, item.Language, options.Positivity),
        item.Text is null ? null : Redactor.Redact(item.Text, item.CustomerName, options.CustomerNaming),
        Redactor.CustomerName(item.CustomerName, options.CustomerNaming));

    public Task<IReadOnlyList<FeedbackOutcome>> SubmitAsync(string source, IReadOnlyList<IncomingFeedback> items, CancellationToken cancellationToken) =>
        SubmitAsync(source, items.Select(Score).ToList(), FeedbackRelayPlan.Live, cancellationToken);

    public Task<IReadOnlyList<FeedbackOutcome>> SubmitAsync(string source, IReadOnlyList<ScoredFeedback> items, CancellationToken cancellationToken) =>
        SubmitAsync(source, items, FeedbackRelayPlan.Live, cancellationToken);

    /// <summary>
    /// Opens <paramref name="summary"/> for a bulk import of <paramref name="source"/>, whose batches are stored in
    /// transactions of their own: it is listed as open until <see cref="RelaySummaryAsync"/> queues its messages, so an
    /// import that stops before that leaves it behind. Summaries an earlier import of the source left behind are taken
    /// over: their items received since <paramref name="relaySince"/> (all when null) join this summary, and those that
    /// still count are gathered into it now. Returns how many were gathered.
    /// </summary>
    public Task<int> OpenSummaryAsync(string source, RelaySummary summary, DateTime? relaySince, CancellationToken cancellationToken)
    {
        source = CanonicalSource(source);
        return db.InTransactionAsync(async (_, transaction) =>
        {
            // Closing an earlier import's summary first waits for a batch of it still being written (it holds the row), so none of its items is missed.
            var takenOver = false;
            foreach (var earlier in await openSummaries.ListAsync(transaction, source, cancellationToken))
                if (await openSummaries.CloseAsync(transaction, earlier, cancellationToken))
                {
                    await feedback.MoveToSummaryAsync(transaction, earlier, summary.Key, relaySince, cancellationToken);
                    takenOver = true;
                }
            await openSummaries.OpenAsync(transaction, summary.Key, source, cancellationToken);
            summary.IsOpen = true;
            summary.Clear();
            return takenOver ? await relayer.GatherStoredAsync(transaction, summary, cancellationToken) : 0;
        }, cancellationToken);
    }

    /// <summary>
    /// Queues the messages of a summary gathered over many batches (a bulk import), in one transaction that also closes
    /// it; returns how many. Throws <see cref="SummaryTakenOverException"/> when another import took it over meanwhile.
    /// </summary>
    public Task<int> RelaySummaryAsync(RelaySummary summary, CancellationToken cancellationToken) =>
        summary is { IsEmpty: true, IsOpen: false, IsStale: false }
            ? Task.FromResult(0)
            : db.InTransactionAsync(async (_, transaction) =>
            {
                if (summary.IsOpen && !await openSummaries.CloseAsync(transaction, summary.Key, cancellationToken))
                    throw new SummaryTakenOverException();
                return await relayer.EnqueueSummaryAsync(transaction, summary, cancellationToken);
            }, cancellationToken);

    /// <summary>
    /// A source is one source however its name is written ("helpdesk", "HelpDesk"), as configuration keys are:
    /// items are unique per canonical source and external id.
    /// </summary>
    public static string CanonicalSource(string source) => source.Trim().ToLowerInvariant();

    /// <summary>Stores and relays a batch in one transaction, which also looks up where its items go.</summary>
    public Task<IReadOnlyList<FeedbackOutcome>> SubmitAsync(string source, IReadOnlyList<ScoredFeedback> items, FeedbackRelayPlan plan, CancellationToken cancellationToken)
    {
        source = CanonicalSource(source);
        var choice = RelayChoice.For(plan, items);
        return InBatchTransactionAsync(choice, async routes => await WriteBatchAsync(routes, await PrepareAsync(routes, source, items, choice, cancellationToken), cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Works out what a batch will write before its transaction, from the people and teams as <paramref name="routes"/>
    /// know them, in a read of its own that leaves the writer alone: a bulk import prepares the next batch on its reading
    /// task while the writer stores the previous one. <see cref="SubmitAsync(PreparedBatch, bool, CancellationToken)"/> stores it.
    /// </summary>
    public Task<PreparedBatch> PrepareAsync(
        string source, IReadOnlyList<ScoredFeedback> items, FeedbackRelayPlan plan, RecentRoutes routes, CancellationToken cancellationToken)
    {
        source = CanonicalSource(source);
        var choice = RelayChoice.For(plan, items);
        return db.ReadAsync(transaction => PrepareAsync(routes.In(transaction), source, items, choice, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Stores and relays a batch prepared before its transaction, in one transaction with its outbox rows; with
    /// <paramref name="checkpointedElsewhere"/>, the caller checkpoints beside it (see <see cref="Db.CheckpointAsync"/>).
    /// </summary>
    public Task<IReadOnlyList<FeedbackOutcome>> SubmitAsync(PreparedBatch batch, bool checkpointedElsewhere, CancellationToken cancellationToken) =>
        InBatchTransactionAsync(batch.Choice, routes => WriteBatchAsync(routes, batch, cancellationToken), cancellationToken, checkpointedElsewhere);

    private Task<IReadOnlyList<FeedbackOutcome>> InBatchTransactionAsync(
        RelayChoice choice, Func<KudosRoutes, Task<IReadOnlyList<FeedbackOutcome>>> work, CancellationToken cancellationToken, bool checkpointedElsewhere = false)
    {
        var attempts = 0;
        return db.InTransactionAsync(async (_, transaction) =>
        {
            // A batch that runs again (its transaction lost to another) has added its items to the summary once already.
            if (++attempts > 1)
                choice.Summary?.MarkStale();
            if (choice.Summary is { IsOpen: true } open && !await openSummaries.TouchAsync(transaction, open.Key, cancellationToken))
                throw new SummaryTakenOverException();
            var outcomes = await work(new KudosRoutes(transaction, new DeferredKudosWrites()));
            await RelayBatchSummaryAsync(transaction, choice, cancellationToken);
            return outcomes;
        }, cancellationToken, checkpointedElsewhere);
    }

    /// <summary>
    /// Tells the items seen for the first time in a batch from those seen before in it, and gives each new one the row it is
    /// stored as: a positive one with the route it is about to take, so relaying it does not write each row twice.
    /// </summary>
    private async Task<PreparedBatch> PrepareAsync(
        KudosRoutes routes, string source, IReadOnlyList<ScoredFeedback> items, RelayChoice choice, CancellationToken cancellationToken)
    {
        var firstSeen = new HashSet<string>(StringComparer.Ordinal);
        var fresh = new List<int>(items.Count);
        var seenBefore = new List<int>();
        for (var index = 0; index < items.Count; index++)
            (firstSeen.Add(items[index].Item.ExternalId) ? fresh : seenBefore).Add(index);

        var rows = new List<FeedbackItem>(fresh.Count);
        var itemRoutes = new RelayRoute?[fresh.Count];
        for (var i = 0; i < fresh.Count; i++)
        {
            var scored = items[fresh[i]];
            if (scored.Verdict.Polarity != Polarity.Positive)
            {
                rows.Add(NewRow(source, scored));
                continue;
            }
            var route = itemRoutes[i] = await KudosRelayer.RouteAsync(routes, scored.Item.AgentEmail, scored.Item.Team, cancellationToken);
            var summarised = route.ReachesAnyone && choice.Of(scored.Item.ReceivedAt, scored.Item.AgentEmail) == RelayMode.Summary;
            rows.Add(NewRow(source, scored, route, summarised ? choice.Summary!.Key : null));
        }
        return new PreparedBatch(source, items, choice, fresh, seenBefore, rows, itemRoutes);
    }

    /// <summary>
    /// The first item of each external id in the batch is inserted with one prepared statement per table, unless
    /// the insert's own unique check finds it stored already (before this batch, or by another writer meanwhile).
    /// Items seen before (stored, or earlier in this batch) are then handled one by one, in order, exactly as a
    /// resend is.
    /// </summary>
    private async Task<IReadOnlyList<FeedbackOutcome>> WriteBatchAsync(KudosRoutes routes, PreparedBatch batch, CancellationToken cancellationToken)
    {
        var (source, items, choice, fresh, rows) = (batch.Source, batch.Items, batch.Choice, batch.Fresh, batch.Rows);
        var transaction = routes.Transaction;
        var ids = await feedback.InsertManyAsync(transaction, source, rows, cancellationToken);
        var storedBefore = fresh.Where(index => !ids.ContainsKey(items[index].Item.ExternalId)).ToList();
        var stored = storedBefore.Count == 0
            ? new Dictionary<string, FeedbackItem>()
            : await feedback.FindManyAsync(transaction, source, storedBefore.Select(index => items[index].Item.ExternalId), cancellationToken);

        var outcomes = new FeedbackOutcome[items.Count];
        // What this batch wrote of each new item: a resend with the same rating and words is a duplicate without reading it back.
        var writtenHere = new Dictionary<string, FeedbackItem>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < fresh.Count; i++)
        {
            if (!ids.TryGetValue(rows[i].ExternalId, out var id))
                continue;
            var row = rows[i] with { Id = id };
            writtenHere[row.ExternalId] = row;
            var scored = items[fresh[i]];
            outcomes[fresh[i]] = await DecideAsync(routes, row, scored.Item.Team, scored.Verdict, choice, cancellationToken, batch.Routes[i]);
        }
        await WriteDeferredAsync(routes, cancellationToken);

        // Rows written above, or changed by an earlier resend in this batch, are read again; the rest as found.
        var changedHere = new HashSet<string>(ids.Keys, StringComparer.Ordinal);
        foreach (var index in storedBefore.Concat(batch.SeenBefore).Order())
        {
            var externalId = items[index].Item.ExternalId;
            if (writtenHere.TryGetValue(externalId, out var written) && IsUnchangedResend(written, items[index]))
            {
                outcomes[index] = Duplicate(externalId);
                continue;
            }
            writtenHere.Remove(externalId);
            var existing = changedHere.Add(externalId) ? stored.GetValueOrDefault(externalId) : await feedback.FindAsync(transaction, source, externalId, cancellationToken);
            outcomes[index] = existing is null
                ? await SubmitNewAsync(routes, source, items[index], choice, cancellationToken)
                : await ResubmittedAsync(routes, existing, items[index], choice, cancellationToken);
            await WriteDeferredAsync(routes, cancellationToken);
        }
        return outcomes;
    }

    /// <summary>A summary of this batch alone (live intake catching up) goes out with it; an import's goes out once the file is done.</summary>
    private async Task RelayBatchSummaryAsync(DbTransaction transaction, RelayChoice choice, CancellationToken cancellationToken)
    {
        if (choice is { SummaryPerBatch: true, Summary: { IsEmpty: false } summary })
            await relayer.EnqueueSummaryAsync(transaction, summary, cancellationToken);
    }

    private async Task WriteDeferredAsync(KudosRoutes routes, CancellationToken cancellationToken)
    {
        var writes = routes.DeferredWrites!;
        if (writes.IsEmpty)
            return;
        await kudos.InsertManyAsync(routes.Transaction, writes.Kudos, cancellationToken);
        await outbox.EnqueueManyAsync(routes.Transaction, writes.Messages, cancellationToken);
        await feedback.SetRoutingManyAsync(routes.Transaction, writes.Routings, cancellationToken);
        writes.Clear();
    }

    /// <summary>A new item's row; a positive one with the <paramref name="route"/> it is about to take, so relaying it does not write it twice.</summary>
    private FeedbackItem NewRow(string source, ScoredFeedback scored, RelayRoute? route = null, string? relayedIn = null) => new()
    {
        Source = source,
        ExternalId = scored.Item.ExternalId,
        ReceivedAt = scored.Item.ReceivedAt,
        AgentEmail = scored.Item.AgentEmail,
        CaseRef = scored.Item.CaseRef,
        Language = scored.Item.Language,
        RatingScale = scored.Item.Rating?.Scale,
        RatingValue = scored.Item.Rating?.Value,
        Score = scored.Verdict.Score,
        CustomerName = scored.CustomerName,
        RedactedText = scored.RedactedText,
        OriginalText = options.StoreOriginalText ? scored.Item.Text : null,
        Status = route?.Status ?? FeedbackStatus.NotPositive,
        AgentPersonId = route?.Agent?.Id,
        TeamId = route?.Team?.Id,
        RelayedIn = relayedIn,
    };

    private async Task<FeedbackOutcome> SubmitNewAsync(KudosRoutes routes, string source, ScoredFeedback scored, RelayChoice choice, CancellationToken cancellationToken)
    {
        var row = NewRow(source, scored);
        var id = await feedback.InsertAsync(routes.Transaction, row, cancellationToken);
        if (id is null)
            return Duplicate(scored.Item.ExternalId);
        return await DecideAsync(routes, row with { Id = id.Value }, scored.Item.Team, scored.Verdict, choice, cancellationToken);
    }

    /// <summary>What happens to a stored item; a positive one takes <paramref name="route"/> when its batch prepared it.</summary>
    private async ValueTask<FeedbackOutcome> DecideAsync(
        KudosRoutes routes, FeedbackItem row, string? teamKey, PositivityVerdict verdict, RelayChoice choice, CancellationToken cancellationToken, RelayRoute? route = null)
    {
        var mode = choice.Of(row);
        switch (verdict.Polarity)
        {
            case Polarity.Positive:
                var relay = mode switch
                {
                    RelayMode.Quiet => await relayer.StoreQuietlyAsync(routes, row, route ?? await KudosRelayer.RouteAsync(routes, row.AgentEmail, teamKey, cancellationToken), cancellationToken),
                    RelayMode.Summary => await relayer.SummariseAsync(routes, row, route ?? await KudosRelayer.RouteAsync(routes, row.AgentEmail, teamKey, cancellationToken), choice.Summary!, cancellationToken),
                    _ => await relayer.RelayAsync(routes, row, teamKey, cancellationToken),
                };
                return new FeedbackOutcome(row.ExternalId, (relay, mode) switch
                {
                    ({ Relayed: false }, _) => FeedbackResult.Unrouted,
                    (_, RelayMode.Quiet) => FeedbackResult.Stored,
                    (_, RelayMode.Summary) => FeedbackResult.Relayed,
                    ({ Enqueued: 0 }, _) => FeedbackResult.Updated,
                    _ => FeedbackResult.Relayed,
                }, Reason: relay.Description);
            case Polarity.Borderline when options.ReviewEnabled && mode == RelayMode.Quiet:
                return new FeedbackOutcome(row.ExternalId, FeedbackResult.NotPositive, Reason: $"{verdict.Reason} (borderline, and received before the relay window: not sent for review)");
            case Polarity.Borderline when options.ReviewEnabled:
                var review = await relayer.QueueForReviewAsync(routes, row, teamKey, verdict.Why, cancellationToken);
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
    private async Task<FeedbackOutcome> ResubmittedAsync(KudosRoutes routes, FeedbackItem existing, ScoredFeedback scored, RelayChoice choice, CancellationToken cancellationToken)
    {
        var (item, verdict, redacted) = (scored.Item, scored.Verdict, scored.RedactedText);
        var transaction = routes.Transaction;
        if (IsUnchangedResend(existing, scored))
            return Duplicate(item.ExternalId);

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
        // An item of the summary still being gathered changes: the summary reads its items back before it goes out.
        if (choice.Summary is { } summary && existing.RelayedIn == summary.Key)
            summary.MarkStale();
        if (wasRelayed && verdict.Polarity != Polarity.Positive)
        {
            await feedback.UpdateAsync(transaction, changed with { Status = FeedbackStatus.Withdrawn }, cancellationToken);
            await relayer.WithdrawAsync(transaction, existing, cancellationToken);
            return new FeedbackOutcome(item.ExternalId, FeedbackResult.Withdrawn, Reason: verdict.Reason);
        }
        if (existing.Status == FeedbackStatus.Withdrawn && verdict.Polarity == Polarity.Positive)
        {
            // Its posts exist (their outbox keys are taken): they are updated in place back to the praise, not sent again.
            var restoredItem = changed with { Status = FeedbackStatus.Relayed };
            await feedback.UpdateAsync(transaction, restoredItem, cancellationToken);
            var posts = await relayer.RestoreAsync(transaction, restoredItem, cancellationToken);
            return new FeedbackOutcome(item.ExternalId, FeedbackResult.Restored,
                Reason: posts > 0 ? $"positive again: {posts} post(s) show the praise again, updated in place" : "positive again: it counts again; there was no post to update");
        }
        if (wasRelayed || existing.Status is FeedbackStatus.InReview or FeedbackStatus.Declined)
        {
            await feedback.UpdateAsync(transaction, changed with { Status = existing.Status }, cancellationToken);
            return new FeedbackOutcome(item.ExternalId, FeedbackResult.Updated, Reason: "already handled; nothing new was sent");
        }
        await feedback.UpdateAsync(transaction, changed, cancellationToken);
        var decided = await DecideAsync(routes, changed, item.Team, verdict, choice, cancellationToken);
        return decided.Result == FeedbackResult.NotPositive ? decided with { Result = FeedbackResult.Updated } : decided;
    }

    /// <summary>The same rating and the same words as stored: a resend, with nothing to do.</summary>
    private static bool IsUnchangedResend(FeedbackItem stored, ScoredFeedback scored) =>
        stored.RatingScale == scored.Item.Rating?.Scale && stored.RatingValue == scored.Item.Rating?.Value && stored.RedactedText == scored.RedactedText;

    private static FeedbackOutcome Duplicate(string externalId) => new(externalId, FeedbackResult.Duplicate, Reason: FeedbackOutcome.AlreadyReceived);
}

/// <summary>Another import of the same source took over this import's summary, with the items stored so far; this one stops.</summary>
internal sealed class SummaryTakenOverException()
    : Exception("another import of the same source took over this import's summary, with the items it stored so far");

internal enum RelayMode
{
    Each,
    Summary,
    Quiet,
}

/// <summary>
/// How each positive item of one batch is relayed under a <see cref="FeedbackRelayPlan"/>: old ones quietly, those of
/// an import (or of an agent with many in one live batch) in a summary, the rest one message each.
/// </summary>
internal sealed record RelayChoice(FeedbackRelayPlan Plan, RelaySummary? Summary, bool SummaryPerBatch, IReadOnlySet<string> CrowdedAgents)
{
    public static RelayChoice For(FeedbackRelayPlan plan, IReadOnlyList<ScoredFeedback> items)
    {
        if (plan.Summary is not null || plan.SummariseAbovePerAgent is not { } threshold)
            return new(plan, plan.Summary, false, new HashSet<string>());
        var crowded = items
            .Where(scored => scored.Verdict.Polarity == Polarity.Positive && scored.Item.AgentEmail is { Length: > 0 })
            .GroupBy(scored => scored.Item.AgentEmail!, StringComparer.OrdinalIgnoreCase)
            .Where(group => group.Select(scored => scored.Item.ExternalId).Distinct(StringComparer.Ordinal).Count() > threshold)
            .Select(group => group.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new(plan, crowded.Count > 0 ? RelaySummary.New("batch") : null, true, crowded);
    }

    public RelayMode Of(FeedbackItem item) => Of(item.ReceivedAt, item.AgentEmail);

    public RelayMode Of(DateTime receivedAt, string? agentEmail) =>
        Plan.IsOld(receivedAt) ? RelayMode.Quiet
        : Summary is not null && (!SummaryPerBatch || (agentEmail is { } email && CrowdedAgents.Contains(email))) ? RelayMode.Summary
        : RelayMode.Each;
}
