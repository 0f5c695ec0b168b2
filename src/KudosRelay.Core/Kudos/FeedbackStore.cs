using System.Data.Common;
using Dapper;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Kudos;

/// <summary>Customer feedback as it arrived (helpdesk webhook, survey, CSV), one row per source and external id.</summary>
internal sealed class FeedbackStore(Db db, TimeProvider clock)
{
    /// <summary>
    /// Stores <paramref name="item"/> in the caller's transaction; its Id, CreatedAt and UpdatedAt are
    /// ignored and set here. Returns the new id, or null when the same source already sent this
    /// external id (webhooks and imports resend).
    /// </summary>
    public async Task<long?> InsertAsync(DbTransaction transaction, FeedbackItem item, CancellationToken cancellationToken)
    {
        var sql = db.Dialect.InsertUnlessExistsReturningId("feedback_items", InsertColumns, InsertValues, "source, external_id", "source = @Source AND external_id = @ExternalId");
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.UnlessDuplicateAsync(() => transaction.Connection!.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            sql, item with { CreatedAt = now, UpdatedAt = now }, transaction, cancellationToken: cancellationToken)), null);
    }

    private const string InsertColumns = """
        source, external_id, received_at, agent_email, agent_person_id, team_id, case_ref, language, rating_scale,
        rating_value, score, customer_name, redacted_text, original_text, status, relayed_in, created_at, updated_at
        """;

    private static readonly RowParameter<FeedbackItem>[] InsertParameters =
    [
        new("Source", item => item.Source), new("ExternalId", item => item.ExternalId), new("ReceivedAt", item => item.ReceivedAt),
        new("AgentEmail", item => item.AgentEmail), new("AgentPersonId", item => item.AgentPersonId), new("TeamId", item => item.TeamId),
        new("CaseRef", item => item.CaseRef), new("Language", item => item.Language), new("RatingScale", item => item.RatingScale),
        new("RatingValue", item => item.RatingValue), new("Score", item => item.Score), new("CustomerName", item => item.CustomerName),
        new("RedactedText", item => item.RedactedText), new("OriginalText", item => item.OriginalText), new("Status", item => item.Status),
        new("RelayedIn", item => item.RelayedIn), new("CreatedAt", item => item.CreatedAt), new("UpdatedAt", item => item.UpdatedAt),
    ];

    private static readonly string InsertValues = RowParameter<FeedbackItem>.Placeholders(InsertParameters);

    public Task<FeedbackItem?> FindAsync(string source, string externalId, CancellationToken cancellationToken) =>
        db.WithConnectionAsync(connection => connection.QuerySingleOrDefaultAsync<FeedbackItem?>(new CommandDefinition(
            $"SELECT {Columns} FROM feedback_items WHERE source = @Source AND external_id = @ExternalId",
            new { Source = source, ExternalId = externalId }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Records where an item went: its status, the agent it was matched to and the team.</summary>
    public async Task SetRoutingAsync(DbTransaction transaction, long id, string status, long? agentPersonId, long? teamId, CancellationToken cancellationToken, string? relayedIn = null) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            SetRoutingSql,
            new { Id = id, Status = status, AgentPersonId = agentPersonId, TeamId = teamId, RelayedIn = relayedIn, Now = clock.GetUtcNow().UtcDateTime },
            transaction, cancellationToken: cancellationToken));

    private const string SetRoutingSql =
        "UPDATE feedback_items SET status = @Status, agent_person_id = @AgentPersonId, team_id = @TeamId, relayed_in = @RelayedIn, updated_at = @Now WHERE id = @Id";

    /// <summary>The same lookup inside the caller's transaction, so items earlier in one batch are seen.</summary>
    public Task<FeedbackItem?> FindAsync(DbTransaction transaction, string source, string externalId, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<FeedbackItem?>(new CommandDefinition(
            $"SELECT {Columns} FROM feedback_items WHERE source = @Source AND external_id = @ExternalId",
            new { Source = source, ExternalId = externalId }, transaction, cancellationToken: cancellationToken));

    public Task<FeedbackItem?> GetAsync(DbTransaction transaction, long id, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<FeedbackItem?>(new CommandDefinition(
            $"SELECT {Columns} FROM feedback_items WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));

    private const string Columns = """
        id AS Id, source AS Source, external_id AS ExternalId, received_at AS ReceivedAt, agent_email AS AgentEmail,
        agent_person_id AS AgentPersonId, team_id AS TeamId, case_ref AS CaseRef, language AS Language,
        rating_scale AS RatingScale, rating_value AS RatingValue, score AS Score, customer_name AS CustomerName,
        redacted_text AS RedactedText, original_text AS OriginalText, status AS Status, relayed_in AS RelayedIn,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>
    /// Writes what may change after arrival — status, score, rating (customers revise them), language
    /// and texts — from <paramref name="item"/>, found by its Id. False when there is no such item.
    /// </summary>
    public async Task<bool> UpdateAsync(DbTransaction transaction, FeedbackItem item, CancellationToken cancellationToken)
    {
        const string Sql = """
            UPDATE feedback_items
            SET status = @Status, score = @Score, rating_scale = @RatingScale, rating_value = @RatingValue,
                language = @Language, redacted_text = @RedactedText, original_text = @OriginalText, updated_at = @UpdatedAt
            WHERE id = @Id
            """;
        var updated = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            Sql, item with { UpdatedAt = clock.GetUtcNow().UtcDateTime }, transaction, cancellationToken: cancellationToken));
        return updated == 1;
    }

    /// <summary>The stored items of <paramref name="source"/> among <paramref name="externalIds"/>, by external id, in the caller's transaction.</summary>
    public async Task<IReadOnlyDictionary<string, FeedbackItem>> FindManyAsync(
        DbTransaction transaction, string source, IEnumerable<string> externalIds, CancellationToken cancellationToken) =>
        (await ManyKeys.QueryAsync<FeedbackItem, string>(transaction, db.Dialect,
            $"SELECT {Columns} FROM feedback_items WHERE source = @Source AND external_id IN @Keys", externalIds, new { Source = source }, cancellationToken))
            .ToDictionary(item => item.ExternalId, StringComparer.Ordinal);

    /// <summary>
    /// Stores items of one source in the caller's transaction with one prepared statement, and returns the ids of
    /// those it stored by external id. An item whose source and external id are stored already (before, or by
    /// another writer meanwhile) is left as it is and has no id here. External ids must be distinct.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> InsertManyAsync(
        DbTransaction transaction, string source, IReadOnlyList<FeedbackItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
            return new Dictionary<string, long>();
        var sql = db.Dialect.InsertUnlessExistsReturningId("feedback_items", InsertColumns, InsertValues, "source, external_id", "source = @Source AND external_id = @ExternalId");
        var now = clock.GetUtcNow().UtcDateTime;
        // The batch's source and time are bound for every row as they are, rather than copied into each row first.
        var parameters = InsertParameters.Select(parameter => parameter.Name switch
        {
            "Source" => new RowParameter<FeedbackItem>("Source", _ => source),
            "CreatedAt" or "UpdatedAt" => new RowParameter<FeedbackItem>(parameter.Name, _ => now),
            _ => parameter,
        }).ToList();
        var ids = await PreparedRows.InsertReturningIdsAsync(db, transaction, sql, items, parameters, cancellationToken, db.IsDuplicateKey);
        var byExternalId = new Dictionary<string, long>(items.Count, StringComparer.Ordinal);
        for (var index = 0; index < items.Count; index++)
            if (ids[index] is { } id)
                byExternalId[items[index].ExternalId] = id;
        return byExternalId;
    }

    /// <summary>Records where many items went (see <see cref="SetRoutingAsync"/>) with one prepared statement.</summary>
    public async Task SetRoutingManyAsync(DbTransaction transaction, IReadOnlyList<FeedbackRouting> routings, CancellationToken cancellationToken)
    {
        if (routings.Count == 0)
            return;
        var now = clock.GetUtcNow().UtcDateTime;
        await PreparedRows.ExecuteAsync(db, transaction, SetRoutingSql, routings,
        [
            new("Id", routing => routing.Id), new("Status", routing => routing.Status), new("AgentPersonId", routing => routing.AgentPersonId),
            new("TeamId", routing => routing.TeamId), new("RelayedIn", routing => routing.RelayedIn), new("Now", _ => now),
        ], cancellationToken);
    }

    /// <summary>
    /// The items of summary <paramref name="relayedIn"/> that still count (not withdrawn), oldest first: those of one
    /// agent, or of one team when <paramref name="agentPersonId"/> is null.
    /// </summary>
    public async Task<IReadOnlyList<FeedbackItem>> ListRelayedInAsync(
        DbTransaction transaction, string relayedIn, long? agentPersonId, long? teamId, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<FeedbackItem>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM feedback_items
            WHERE relayed_in = @RelayedIn AND status = @Relayed
              AND (@AgentPersonId IS NULL OR agent_person_id = @AgentPersonId) AND (@TeamId IS NULL OR team_id = @TeamId)
            ORDER BY received_at, id
            """,
            new { RelayedIn = relayedIn, Relayed = FeedbackStatus.Relayed, AgentPersonId = agentPersonId, TeamId = teamId },
            transaction, cancellationToken: cancellationToken))).ToList();

    /// <summary>
    /// Moves the items of summary <paramref name="fromKey"/> received since <paramref name="since"/> (all when null) into
    /// summary <paramref name="toKey"/>, whatever their status, so that a later withdrawal revises the summary that told
    /// them. Items received earlier stay where they are. Returns how many moved.
    /// </summary>
    public Task<int> MoveToSummaryAsync(DbTransaction transaction, string fromKey, string toKey, DateTime? since, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE feedback_items SET relayed_in = @ToKey, updated_at = @Now
            WHERE relayed_in = @FromKey AND (@Since IS NULL OR received_at >= @Since)
            """,
            new { FromKey = fromKey, ToKey = toKey, Since = since, Now = clock.GetUtcNow().UtcDateTime }, transaction, cancellationToken: cancellationToken));

    /// <summary>How many items arrived in [<paramref name="since"/>, <paramref name="until"/>), per status (the digest's numbers).</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountByStatusSinceAsync(DateTime since, DateTime until, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT status AS Status, COUNT(*) AS Count FROM feedback_items
            WHERE received_at >= @Since AND received_at < @Until
            GROUP BY status
            """;
        var rows = await db.WithConnectionAsync(connection => connection.QueryAsync<StatusCount>(new CommandDefinition(
            Sql, new { Since = since, Until = until }, cancellationToken: cancellationToken)), cancellationToken);
        return rows.ToDictionary(row => row.Status, row => row.Count);
    }

    private sealed record StatusCount
    {
        public string Status { get; init; } = "";
        public int Count { get; init; }
    }

    /// <summary>
    /// The items of summary <paramref name="relayedIn"/> that still count (not withdrawn), as its full list shows them: how
    /// many and since when, and the newest <paramref name="limit"/>, newest first. Those of one agent, or of one team when
    /// <paramref name="agentPersonId"/> is null; with <paramref name="everyAgent"/> false, only the items whose agent cannot
    /// be reached in chat (what the channel of a team that does not post kudos heard).
    /// </summary>
    public async Task<SummaryItems> SummaryItemsAsync(
        DbTransaction transaction, string relayedIn, long? agentPersonId, long? teamId, bool everyAgent, int limit, CancellationToken cancellationToken)
    {
        const string Where = """
            WHERE relayed_in = @RelayedIn AND status = @Relayed
              AND (@AgentPersonId IS NULL OR agent_person_id = @AgentPersonId) AND (@TeamId IS NULL OR team_id = @TeamId)
              AND (@EveryAgent = 1 OR agent_person_id IS NULL
                   OR NOT EXISTS (SELECT 1 FROM chat_identities i WHERE i.person_id = feedback_items.agent_person_id))
            """;
        var (top, limitClause) = db.Dialect.RowLimit();
        var parameters = new
        {
            RelayedIn = relayedIn, Relayed = FeedbackStatus.Relayed, AgentPersonId = agentPersonId, TeamId = teamId,
            EveryAgent = everyAgent, Limit = limit,
        };
        var connection = transaction.Connection!;
        var tally = await connection.QuerySingleAsync<CountSince>(new CommandDefinition(
            $"SELECT COUNT(*) AS Count, MIN(received_at) AS Earliest FROM feedback_items {Where}", parameters, transaction, cancellationToken: cancellationToken));
        var newest = tally.Count == 0 ? [] : (await connection.QueryAsync<FeedbackItem>(new CommandDefinition(
            $"SELECT {top}{Columns} FROM feedback_items {Where} ORDER BY received_at DESC, id DESC{limitClause}",
            parameters, transaction, cancellationToken: cancellationToken))).ToList();
        return new SummaryItems(tally.Count, tally.Earliest, newest);
    }

    private sealed record CountSince
    {
        public int Count { get; init; }
        public DateTime? Earliest { get; init; }
    }

    /// <summary>
    /// The customer praise written since <paramref name="since"/> that reached a person and still counts (their own, or
    /// thanks that travelled to them as a resolver): how many, and the newest <paramref name="limit"/> items, newest first.
    /// </summary>
    public async Task<(int Count, IReadOnlyList<FeedbackItem> Newest)> RecentPraiseAsync(
        DbTransaction transaction, long personId, DateTime since, int limit, CancellationToken cancellationToken)
    {
        // Kudos are made when their feedback arrives or later, so "k.created_at >= @Since" only narrows the search to the index.
        const string Praise = """
            FROM kudos k JOIN feedback_items f ON f.id = k.feedback_item_id
            WHERE k.recipient_person_id = @PersonId AND k.kind = @Customer AND k.status = @Relayed
              AND k.created_at >= @Since AND f.received_at >= @Since
            """;
        var (top, limitClause) = db.Dialect.RowLimit();
        var parameters = new { PersonId = personId, Customer = KudosKind.Customer, Relayed = KudosStatus.Relayed, Since = since, Limit = limit };
        var connection = transaction.Connection!;
        var count = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) {Praise}", parameters, transaction, cancellationToken: cancellationToken));
        if (count == 0)
            return (0, []);
        var newest = await connection.QueryAsync<FeedbackItem>(new CommandDefinition($"""
            SELECT {Columns} FROM feedback_items
            WHERE id IN (SELECT {top}f.id {Praise} ORDER BY f.received_at DESC, f.id DESC{limitClause})
            ORDER BY received_at DESC, id DESC
            """, parameters, transaction, cancellationToken: cancellationToken));
        return (count, newest.ToList());
    }
}

/// <summary>What a summary's full list shows: how many items still count, the earliest, and the newest few.</summary>
internal sealed record SummaryItems(int Count, DateTime? Earliest, IReadOnlyList<FeedbackItem> Newest);

/// <summary>Where a feedback item went: its status, the agent it was matched to and the team.</summary>
internal sealed record FeedbackRouting(long Id, string Status, long? AgentPersonId, long? TeamId, string? RelayedIn = null);

/// <summary>A row of <c>feedback_items</c>.</summary>
internal sealed record FeedbackItem
{
    public long Id { get; init; }
    public string Source { get; init; } = "";
    public string ExternalId { get; init; } = "";
    public DateTime ReceivedAt { get; init; }
    public string? AgentEmail { get; init; }
    public long? AgentPersonId { get; init; }
    public long? TeamId { get; init; }
    public string? CaseRef { get; init; }
    public string? Language { get; init; }
    public string? RatingScale { get; init; }
    public double? RatingValue { get; init; }
    public double? Score { get; init; }
    public string? CustomerName { get; init; }
    public string? RedactedText { get; init; }
    public string? OriginalText { get; init; }
    public string Status { get; init; } = "";

    /// <summary>The key of the summary this item was relayed in (see <see cref="RelaySummary"/>); null when relayed on its own or not at all.</summary>
    public string? RelayedIn { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}
