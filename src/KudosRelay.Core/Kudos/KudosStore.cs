using System.Data.Common;
using Dapper;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Kudos;

/// <summary>Kudos given: customer praise relayed from a feedback item, or peer kudos typed in chat.</summary>
internal sealed class KudosStore(Db db, TimeProvider clock)
{
    /// <summary>
    /// Stores <paramref name="kudos"/> in the caller's transaction; its Id and WithdrawnAt are ignored, and CreatedAt is now
    /// unless given (feedback imported long after it arrived counts in the week it arrived).
    /// </summary>
    public async Task<long> InsertAsync(DbTransaction transaction, KudosItem kudos, CancellationToken cancellationToken)
    {
        var sql = db.Dialect.InsertReturningId("kudos", InsertColumns, InsertValues);
        return await transaction.Connection!.QuerySingleAsync<long>(new CommandDefinition(
            sql, kudos with { CreatedAt = kudos.CreatedAt == default ? clock.GetUtcNow().UtcDateTime : kudos.CreatedAt }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Stores many kudos in the caller's transaction with one prepared statement (see <see cref="InsertAsync"/>).</summary>
    public async Task InsertManyAsync(DbTransaction transaction, IReadOnlyList<KudosItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
            return;
        var now = clock.GetUtcNow().UtcDateTime;
        // Kudos without a time of their own count from now, bound as such rather than copied into each row first.
        var parameters = InsertParameters
            .Select(parameter => parameter.Name == "CreatedAt" ? new RowParameter<KudosItem>("CreatedAt", item => item.CreatedAt == default ? now : item.CreatedAt) : parameter)
            .ToList();
        await PreparedRows.ExecuteAsync(db, transaction, $"INSERT INTO kudos ({InsertColumns}) VALUES ({InsertValues})", items, parameters, cancellationToken);
    }

    private const string InsertColumns =
        "kind, feedback_item_id, giver_person_id, recipient_person_id, team_id, text, cross_department, status, created_at";

    private static readonly RowParameter<KudosItem>[] InsertParameters =
    [
        new("Kind", item => item.Kind), new("FeedbackItemId", item => item.FeedbackItemId), new("GiverPersonId", item => item.GiverPersonId),
        new("RecipientPersonId", item => item.RecipientPersonId), new("TeamId", item => item.TeamId), new("Text", item => item.Text),
        new("CrossDepartment", item => item.CrossDepartment), new("Status", item => item.Status), new("CreatedAt", item => item.CreatedAt),
    ];

    private static readonly string InsertValues = RowParameter<KudosItem>.Placeholders(InsertParameters);

    /// <summary>Marks kudos as withdrawn at <paramref name="at"/>. False when there is no such kudos or it was withdrawn already.</summary>
    public async Task<bool> WithdrawAsync(DbTransaction transaction, long id, DateTime at, CancellationToken cancellationToken)
    {
        const string Sql = """
            UPDATE kudos SET status = @Withdrawn, withdrawn_at = @At
            WHERE id = @Id AND status <> @Withdrawn
            """;
        var updated = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            Sql, new { Id = id, At = at, Withdrawn = KudosStatus.Withdrawn }, transaction, cancellationToken: cancellationToken));
        return updated == 1;
    }

    /// <summary>Withdraws every kudos made from one feedback item (its rating changed); returns how many.</summary>
    public async Task<int> WithdrawForFeedbackAsync(DbTransaction transaction, long feedbackItemId, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE kudos SET status = @Withdrawn, withdrawn_at = @At WHERE feedback_item_id = @FeedbackItemId AND status <> @Withdrawn",
            new { FeedbackItemId = feedbackItemId, At = clock.GetUtcNow().UtcDateTime, Withdrawn = KudosStatus.Withdrawn },
            transaction, cancellationToken: cancellationToken));

    /// <summary>Counts the kudos of a withdrawn feedback item again (its rating is positive again); returns how many.</summary>
    public async Task<int> RestoreForFeedbackAsync(DbTransaction transaction, long feedbackItemId, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE kudos SET status = @Relayed, withdrawn_at = NULL WHERE feedback_item_id = @FeedbackItemId AND status = @Withdrawn",
            new { FeedbackItemId = feedbackItemId, Relayed = KudosStatus.Relayed, Withdrawn = KudosStatus.Withdrawn },
            transaction, cancellationToken: cancellationToken));

    /// <summary>The kudos a person received in [<paramref name="since"/>, <paramref name="until"/>), oldest first; withdrawn ones are left out.</summary>
    public Task<IReadOnlyList<KudosItem>> ListForRecipientAsync(long personId, DateTime since, DateTime until, CancellationToken cancellationToken) =>
        ListAsync($"""
            SELECT {Columns} FROM kudos k LEFT JOIN feedback_items f ON f.id = k.feedback_item_id
            WHERE k.recipient_person_id = @PersonId AND k.created_at >= @Since AND k.created_at < @Until AND k.status <> @Withdrawn
            ORDER BY k.created_at, k.id
            """, new { PersonId = personId, Since = since, Until = until, Withdrawn = KudosStatus.Withdrawn }, cancellationToken);

    /// <summary>All kudos created in [<paramref name="since"/>, <paramref name="until"/>) and not withdrawn, oldest first (the digest's list).</summary>
    public Task<IReadOnlyList<KudosItem>> ListCreatedBetweenAsync(DateTime since, DateTime until, CancellationToken cancellationToken) =>
        ListAsync($"""
            SELECT {Columns} FROM kudos k LEFT JOIN feedback_items f ON f.id = k.feedback_item_id
            WHERE k.created_at >= @Since AND k.created_at < @Until AND k.status <> @Withdrawn
            ORDER BY k.created_at, k.id
            """, new { Since = since, Until = until, Withdrawn = KudosStatus.Withdrawn }, cancellationToken);

    // A kudos made from a feedback item reads the item's words (see KudosItem.Text).
    private const string Columns = """
        k.id AS Id, k.kind AS Kind, k.feedback_item_id AS FeedbackItemId, k.giver_person_id AS GiverPersonId,
        k.recipient_person_id AS RecipientPersonId, k.team_id AS TeamId,
        CASE WHEN k.feedback_item_id IS NULL OR k.text <> '' THEN k.text ELSE COALESCE(f.redacted_text, '') END AS Text,
        k.cross_department AS CrossDepartment, k.status AS Status, k.created_at AS CreatedAt, k.withdrawn_at AS WithdrawnAt
        """;

    private Task<IReadOnlyList<KudosItem>> ListAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        db.WithConnectionAsync<IReadOnlyList<KudosItem>>(async connection => (await connection.QueryAsync<KudosItem>(new CommandDefinition(
            sql, parameters, cancellationToken: cancellationToken))).ToList(), cancellationToken);
}

/// <summary>
/// A row of <c>kudos</c>. Named <c>KudosItem</c> rather than <c>Kudos</c> because a type named like its
/// namespace (<c>KudosRelay.Core.Kudos</c>) cannot be written unqualified from the test namespace.
/// </summary>
internal sealed record KudosItem
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public long? FeedbackItemId { get; init; }
    public long? GiverPersonId { get; init; }
    public long? RecipientPersonId { get; init; }
    public long? TeamId { get; init; }
    /// <summary>
    /// The giver's words. Kudos made from a feedback item store none: their words are the item's redacted text, read with
    /// them (so an item whose customer changed their words reads the new ones), not a copy per kudos.
    /// </summary>
    public string Text { get; init; } = "";

    public bool CrossDepartment { get; init; }
    public string Status { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? WithdrawnAt { get; init; }
}

internal static class KudosKind
{
    public const string Customer = "customer";
    public const string Peer = "peer";
}

internal static class KudosStatus
{
    public const string Relayed = "relayed";
    public const string Withdrawn = "withdrawn";
}
