using System.Data.Common;
using Dapper;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Digests;

/// <summary>Digest runs: one per subscription and ISO week, claimed before the digest is built.</summary>
internal sealed class DigestRunStore(Db db, TimeProvider clock)
{
    /// <summary>
    /// Claims the run of <paramref name="subscriptionId"/> for <paramref name="isoWeek"/> in the caller's
    /// transaction. Returns its id, or null when the week was claimed already — by this instance or
    /// another one; the unique key on (subscription_id, iso_week) decides.
    /// </summary>
    public async Task<long?> TryClaimAsync(DbTransaction transaction, long subscriptionId, string isoWeek, CancellationToken cancellationToken)
    {
        var sql = db.Dialect.InsertUnlessExistsReturningId("digest_runs", InsertColumns, InsertValues, "subscription_id, iso_week", "subscription_id = @SubscriptionId AND iso_week = @IsoWeek");
        return await db.UnlessDuplicateAsync(() => transaction.Connection!.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(sql, new
        {
            SubscriptionId = subscriptionId,
            IsoWeek = isoWeek,
            Status = DigestRunStatus.Claimed,
            Now = clock.GetUtcNow().UtcDateTime,
        }, transaction, cancellationToken: cancellationToken)), null);
    }

    private const string InsertColumns = "subscription_id, iso_week, status, created_at";
    private const string InsertValues = "@SubscriptionId, @IsoWeek, @Status, @Now";

    /// <summary>
    /// Marks a claimed run completed with the outbox message that carries the digest; <paramref name="late"/> when it
    /// went out well after its time (after downtime). False when it is not a claimed run.
    /// </summary>
    public async Task<bool> CompleteAsync(DbTransaction transaction, long runId, long outboxMessageId, bool late, CancellationToken cancellationToken)
    {
        const string Sql = """
            UPDATE digest_runs SET status = @Completed, outbox_message_id = @OutboxMessageId, late = @Late
            WHERE id = @Id AND status = @Claimed
            """;
        var updated = await transaction.Connection!.ExecuteAsync(new CommandDefinition(Sql, new
        {
            Id = runId,
            OutboxMessageId = outboxMessageId,
            Late = late,
            Completed = DigestRunStatus.Completed,
            Claimed = DigestRunStatus.Claimed,
        }, transaction, cancellationToken: cancellationToken));
        return updated == 1;
    }

    /// <summary>The runs of a subscription, oldest week first.</summary>
    public Task<IReadOnlyList<DigestRun>> ListAsync(long subscriptionId, CancellationToken cancellationToken) =>
        db.WithConnectionAsync<IReadOnlyList<DigestRun>>(async connection => (await connection.QueryAsync<DigestRun>(new CommandDefinition("""
            SELECT id AS Id, subscription_id AS SubscriptionId, iso_week AS IsoWeek, status AS Status,
                   outbox_message_id AS OutboxMessageId, CASE WHEN late = 1 THEN 1 ELSE 0 END AS Late, created_at AS CreatedAt
            FROM digest_runs WHERE subscription_id = @SubscriptionId
            ORDER BY iso_week, id
            """, new { SubscriptionId = subscriptionId }, cancellationToken: cancellationToken))).ToList(), cancellationToken);
}

/// <summary>A row of <c>digest_runs</c>.</summary>
internal sealed record DigestRun
{
    public long Id { get; init; }
    public long SubscriptionId { get; init; }
    public string IsoWeek { get; init; } = "";
    public string Status { get; init; } = "";
    public long? OutboxMessageId { get; init; }
    public bool Late { get; init; }
    public DateTime CreatedAt { get; init; }
}

internal static class DigestRunStatus
{
    public const string Claimed = "claimed";
    public const string Completed = "completed";
}
