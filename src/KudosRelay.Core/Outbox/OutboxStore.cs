using System.Data.Common;
using System.Text.Json;
using Dapper;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Outbox;

/// <summary>The outbox table: enqueue inside a caller's transaction, lease, complete, inspect.</summary>
public sealed class OutboxStore(Db db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = OutboxJson.Stored;

    /// <summary>
    /// Adds a message in the caller's transaction, so it exists exactly when the state that caused
    /// it does. Returns its id, or null when a message with the same idempotency key already exists.
    /// </summary>
    public async Task<long?> EnqueueAsync(DbTransaction transaction, OutboxMessage message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var sql = db.Dialect.InsertUnlessExistsReturningId("outbox_messages", InsertColumns, InsertValues, "idempotency_key", "idempotency_key = @Key");
        return await db.UnlessDuplicateAsync(() => transaction.Connection!.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition(sql, PendingRow.Of(message, now), transaction, cancellationToken: cancellationToken)), null);
    }

    private const string InsertColumns =
        "idempotency_key, platform, target_kind, target_address, workspace_id, replaces_message_id, body, status, next_attempt_at, created_at";

    private static readonly string InsertValues = RowParameter<PendingRow>.Placeholders(PendingRow.Parameters);

    /// <summary>
    /// Takes up to <paramref name="batchSize"/> due messages for <paramref name="owner"/> until
    /// <paramref name="leaseFor"/> from now. Rows leased by a live owner are skipped; an expired
    /// lease (its owner died) makes the row due again.
    /// </summary>
    public async Task<IReadOnlyList<LeasedMessage>> LeaseDueAsync(string owner, int batchSize, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var lease = db.Dialect switch
        {
            SqlDialect.Sqlite => """
                UPDATE outbox_messages SET lease_owner = @Owner, lease_expires_at = @Until
                WHERE id IN (
                    SELECT id FROM outbox_messages
                    WHERE status = 'pending' AND next_attempt_at <= @Now AND (lease_expires_at IS NULL OR lease_expires_at < @Now)
                    ORDER BY next_attempt_at, id
                    LIMIT @BatchSize)
                RETURNING id
                """,
            // READPAST skips rows another instance is leasing right now instead of waiting for them.
            SqlDialect.SqlServer => """
                WITH due AS (
                    SELECT TOP (@BatchSize) id, lease_owner, lease_expires_at FROM outbox_messages WITH (UPDLOCK, READPAST, ROWLOCK)
                    WHERE status = 'pending' AND next_attempt_at <= @Now AND (lease_expires_at IS NULL OR lease_expires_at < @Now)
                    ORDER BY next_attempt_at, id)
                UPDATE due SET lease_owner = @Owner, lease_expires_at = @Until
                OUTPUT inserted.id
                """,
            _ => throw new NotSupportedException(db.Dialect.ToString()),
        };
        const string Read = """
            SELECT m.id AS Id, m.platform AS Platform, m.target_kind AS TargetKind, m.target_address AS TargetAddress,
                   m.workspace_id AS WorkspaceId, m.body AS Body, m.attempts AS Attempts,
                   m.replaces_message_id AS ReplacesMessageId, r.platform_message_ref AS ReplacesMessageRef
            FROM outbox_messages m LEFT JOIN outbox_messages r ON r.id = m.replaces_message_id
            WHERE m.id IN @Ids
            ORDER BY m.id
            """;
        var rows = await db.InTransactionAsync(async (connection, transaction) =>
        {
            var ids = (await connection.QueryAsync<long>(new CommandDefinition(
                lease, new { Owner = owner, Until = now + leaseFor, Now = now, BatchSize = batchSize }, transaction, cancellationToken: cancellationToken))).ToList();
            if (ids.Count == 0)
                return [];
            return await connection.QueryAsync<LeasedRow>(new CommandDefinition(Read, new { Ids = ids }, transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
        return rows.Select(row => row.ToLeased()).ToList();
    }

    private sealed record LeasedRow
    {
        public long Id { get; init; }
        public string Platform { get; init; } = "";
        public string TargetKind { get; init; } = "";
        public string TargetAddress { get; init; } = "";
        public string? WorkspaceId { get; init; }
        public string Body { get; init; } = "";
        public int Attempts { get; init; }
        public long? ReplacesMessageId { get; init; }
        public string? ReplacesMessageRef { get; init; }

        public LeasedMessage ToLeased() => new(
            Id,
            new ChatTarget(Platform, Enum.Parse<ChatTargetKind>(TargetKind), TargetAddress, WorkspaceId),
            JsonSerializer.Deserialize<ChatMessage>(Body, Json)!,
            Attempts,
            ReplacesMessageId,
            ReplacesMessageRef);
    }

    /// <summary>
    /// Records what happened to leased messages, all in one transaction. Rows whose lease was lost
    /// to another owner in the meantime are left alone.
    /// </summary>
    public Task CompleteAsync(string owner, IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
            return Task.CompletedTask;
        var now = clock.GetUtcNow().UtcDateTime;
        return db.InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var outcome in outcomes)
            {
                var updated = await connection.ExecuteAsync(new CommandDefinition(
                    CompleteSql, ToParameters(owner, outcome, now), transaction, cancellationToken: cancellationToken));
                // A deferral was no attempt: the platform was not asked, so there is nothing to add to the history.
                if (updated == 1 && !outcome.Deferred)
                    await connection.ExecuteAsync(new CommandDefinition(AttemptSql, new
                    {
                        outcome.MessageId,
                        outcome.Attempt,
                        Outcome = outcome.Status == OutboxStatus.Pending ? "retry" : outcome.Status,
                        outcome.Error,
                        Owner = owner,
                        Now = now,
                    }, transaction, cancellationToken: cancellationToken));
            }
        }, cancellationToken);
    }

    private const string CompleteSql = """
        UPDATE outbox_messages
        SET status = @Status, attempts = @Attempt, next_attempt_at = @NextAttemptAt, last_error = @Error,
            platform_message_ref = COALESCE(@MessageRef, platform_message_ref), sent_at = @SentAt,
            lease_owner = NULL, lease_expires_at = NULL
        WHERE id = @MessageId AND lease_owner = @Owner AND status = 'pending'
        """;

    private const string AttemptSql = """
        INSERT INTO outbox_attempts (outbox_message_id, attempt, outcome, error, lease_owner, attempted_at)
        VALUES (@MessageId, @Attempt, @Outcome, @Error, @Owner, @Now)
        """;

    private static object ToParameters(string owner, DeliveryOutcome outcome, DateTime now) => new
    {
        outcome.MessageId,
        Owner = owner,
        outcome.Status,
        outcome.Attempt,
        NextAttemptAt = outcome.NextAttemptAt ?? now,
        outcome.Error,
        outcome.MessageRef,
        SentAt = outcome.Status == OutboxStatus.Sent ? now : (DateTime?)null,
    };

    /// <summary>The ids of messages whose idempotency key starts with <paramref name="keyPrefix"/>, oldest first (e.g. all posts about one feedback item).</summary>
    public async Task<IReadOnlyList<OutboxKey>> FindByKeyPrefixAsync(DbTransaction transaction, string keyPrefix, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<OutboxKey>(new CommandDefinition(
            """
            SELECT id AS Id, idempotency_key AS IdempotencyKey, platform AS Platform, target_kind AS TargetKind, target_address AS TargetAddress,
                   workspace_id AS Workspace, replaces_message_id AS ReplacesMessageId
            FROM outbox_messages WHERE idempotency_key LIKE @Prefix ESCAPE '\' ORDER BY id
            """,
            new { Prefix = EscapeLike(keyPrefix) + "%" }, transaction, cancellationToken: cancellationToken))).ToList();

    /// <summary>
    /// Marks the revisions of message <paramref name="originalId"/> that are still waiting (not leased) as superseded: a
    /// newer revision is about to be queued, and the post should end up showing that one.
    /// </summary>
    public Task<int> SupersedePendingRevisionsAsync(DbTransaction transaction, long originalId, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET status = @Superseded WHERE replaces_message_id = @Id AND status = @Pending AND lease_owner IS NULL",
            new { Id = originalId, Superseded = OutboxStatus.Superseded, Pending = OutboxStatus.Pending }, transaction, cancellationToken: cancellationToken));

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>Extends every lease <paramref name="owner"/> holds to <paramref name="leaseFor"/> from now (the heartbeat of a batch in flight).</summary>
    public Task<int> RenewLeasesAsync(string owner, TimeSpan leaseFor, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET lease_expires_at = @Until WHERE lease_owner = @Owner AND status = 'pending'",
            new { Owner = owner, Until = clock.GetUtcNow().UtcDateTime + leaseFor }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Gives back the leases of <paramref name="owner"/> that were not completed (graceful shutdown).</summary>
    public Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = @Owner AND status = 'pending'",
            new { Owner = owner }, cancellationToken: cancellationToken)), cancellationToken);

    public async Task<IReadOnlyList<OutboxEntry>> ListAsync(string? status, int limit, CancellationToken cancellationToken)
    {
        var top = db.Dialect == SqlDialect.SqlServer ? "TOP (@Limit) " : "";
        var limitClause = db.Dialect == SqlDialect.Sqlite ? " LIMIT @Limit" : "";
        var sql = $"""
            SELECT {top}id AS Id, idempotency_key AS IdempotencyKey, platform AS Platform, target_kind AS TargetKind,
                   target_address AS TargetAddress, status AS Status, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
                   last_error AS LastError, platform_message_ref AS PlatformMessageRef, created_at AS CreatedAt, sent_at AS SentAt
            FROM outbox_messages
            WHERE (@Status IS NULL OR status = @Status)
            ORDER BY id DESC{limitClause}
            """;
        return (await db.WithConnectionAsync(connection => connection.QueryAsync<OutboxEntry>(new CommandDefinition(
            sql, new { Status = status, Limit = limit }, cancellationToken: cancellationToken)), cancellationToken)).ToList();
    }

    /// <summary>Puts a dead-lettered message back in the queue with a fresh attempt budget. False when there is no such dead message.</summary>
    public async Task<bool> RetryDeadAsync(long id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var updated = await db.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = @Now, lease_owner = NULL, lease_expires_at = NULL WHERE id = @Id AND status = 'dead'",
            new { Id = id, Now = now }, cancellationToken: cancellationToken)), cancellationToken);
        return updated == 1;
    }

    /// <summary>
    /// Queues every message the console sender printed (no platform was configured then) to be sent for real, with a
    /// fresh attempt budget. Their console references are dropped, so updates in place wait for the real post.
    /// Returns how many.
    /// </summary>
    public Task<int> RetryPrintedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition("""
            UPDATE outbox_messages
            SET status = 'pending', attempts = 0, next_attempt_at = @Now, platform_message_ref = NULL, sent_at = NULL,
                lease_owner = NULL, lease_expires_at = NULL
            WHERE status = 'printed'
            """, new { Now = now }, cancellationToken: cancellationToken)), cancellationToken);
    }

    public async Task<OutboxCounts> CountAsync(CancellationToken cancellationToken)
    {
        var rows = await db.WithConnectionAsync(connection => connection.QueryAsync<StatusCount>(new CommandDefinition(
            "SELECT status AS Status, COUNT(*) AS Count FROM outbox_messages GROUP BY status", cancellationToken: cancellationToken)), cancellationToken);
        var counts = rows.ToDictionary(row => row.Status, row => row.Count);
        return new OutboxCounts(counts.GetValueOrDefault(OutboxStatus.Pending), counts.GetValueOrDefault(OutboxStatus.Sent), counts.GetValueOrDefault(OutboxStatus.Dead))
        {
            Printed = counts.GetValueOrDefault(OutboxStatus.Printed),
        };
    }

    private sealed record StatusCount
    {
        public string Status { get; init; } = "";
        public int Count { get; init; }
    }

    public Task<IReadOnlyList<OutboxAttempt>> AttemptsAsync(long messageId, CancellationToken cancellationToken) =>
        db.WithConnectionAsync<IReadOnlyList<OutboxAttempt>>(async connection => (await connection.QueryAsync<OutboxAttempt>(new CommandDefinition(
            "SELECT attempt AS Attempt, outcome AS Outcome, error AS Error, lease_owner AS LeaseOwner, attempted_at AS AttemptedAt FROM outbox_attempts WHERE outbox_message_id = @Id ORDER BY attempt",
            new { Id = messageId }, cancellationToken: cancellationToken))).ToList(), cancellationToken);

    /// <summary>
    /// Adds many messages in the caller's transaction with one prepared statement; a message whose
    /// idempotency key exists already is skipped, as in <see cref="EnqueueAsync"/>. Returns how many were added.
    /// </summary>
    public async Task<int> EnqueueManyAsync(DbTransaction transaction, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
            return 0;
        var now = clock.GetUtcNow().UtcDateTime;
        var sql = db.Dialect.InsertUnlessExists("outbox_messages", InsertColumns, InsertValues, "idempotency_key", "idempotency_key = @Key");
        // Writing the bodies is most of the CPU of a large batch and each is independent: a big batch spreads it over the cores.
        var rows = messages.Count >= 256
            ? messages.AsParallel().AsOrdered().Select(message => PendingRow.Of(message, now)).ToList()
            : messages.Select(message => PendingRow.Of(message, now)).ToList();
        return await PreparedRows.ExecuteAsync(transaction, sql, rows, PendingRow.Parameters, cancellationToken, db.IsDuplicateKey);
    }

    /// <summary>
    /// As <see cref="EnqueueManyAsync"/>, returning each message's id in order, or null where its idempotency key
    /// existed already: for state that points at the message carrying it (a nudge and the message to update later).
    /// </summary>
    public async Task<IReadOnlyList<long?>> EnqueueManyReturningIdsAsync(DbTransaction transaction, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var sql = db.Dialect.InsertUnlessExistsReturningId("outbox_messages", InsertColumns, InsertValues, "idempotency_key", "idempotency_key = @Key");
        var rows = messages.Count >= 256
            ? messages.AsParallel().AsOrdered().Select(message => PendingRow.Of(message, now)).ToList()
            : messages.Select(message => PendingRow.Of(message, now)).ToList();
        return await PreparedRows.InsertReturningIdsAsync(transaction, sql, rows, PendingRow.Parameters, cancellationToken, db.IsDuplicateKey);
    }

    /// <summary>The parameters of <see cref="InsertValues"/> for one message.</summary>
    private sealed record PendingRow
    {
        public string Key { get; init; } = "";
        public string Platform { get; init; } = "";
        public string TargetKind { get; init; } = "";
        public string TargetAddress { get; init; } = "";
        public string? WorkspaceId { get; init; }
        public long? ReplacesId { get; init; }
        public string Body { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTime NextAttemptAt { get; init; }
        public DateTime Now { get; init; }

        public static readonly RowParameter<PendingRow>[] Parameters =
        [
            new("Key", row => row.Key), new("Platform", row => row.Platform), new("TargetKind", row => row.TargetKind),
            new("TargetAddress", row => row.TargetAddress), new("WorkspaceId", row => row.WorkspaceId), new("ReplacesId", row => row.ReplacesId),
            new("Body", row => row.Body), new("Status", row => row.Status), new("NextAttemptAt", row => row.NextAttemptAt), new("Now", row => row.Now),
        ];

        public static PendingRow Of(OutboxMessage message, DateTime now) => new()
        {
            Key = message.IdempotencyKey,
            Platform = message.Target.Platform,
            TargetKind = message.Target.Kind.ToString(),
            TargetAddress = message.Target.Address,
            WorkspaceId = message.Target.Workspace,
            ReplacesId = message.ReplacesMessageId,
            Body = JsonSerializer.Serialize(message.Message, Json),
            Status = OutboxStatus.Pending,
            NextAttemptAt = message.NotBefore is { } notBefore && notBefore > now ? notBefore : now,
            Now = now,
        };
    }
}

public sealed record LeasedMessage(long Id, ChatTarget Target, ChatMessage Message, int Attempts, long? ReplacesMessageId, string? ReplacesMessageRef);

/// <summary>The result of one attempt, as the store records it.</summary>
public sealed record DeliveryOutcome(long MessageId, string Status, int Attempt, DateTime? NextAttemptAt, string? Error, string? MessageRef, bool Deferred = false);

public sealed record OutboxKey
{
    public long Id { get; init; }
    public string IdempotencyKey { get; init; } = "";
    public string Platform { get; init; } = "";
    public string TargetKind { get; init; } = "";
    public string TargetAddress { get; init; } = "";
    public string? Workspace { get; init; }
    public long? ReplacesMessageId { get; init; }

    public ChatTarget Target => new(Platform, Enum.Parse<ChatTargetKind>(TargetKind), TargetAddress, Workspace);
}

public sealed record OutboxCounts(int Pending, int Sent, int Dead)
{
    /// <summary>Printed by the console sender, delivered to nobody.</summary>
    public int Printed { get; init; }
}

public sealed record OutboxAttempt
{
    public int Attempt { get; init; }
    public string Outcome { get; init; } = "";
    public string? Error { get; init; }
    public string LeaseOwner { get; init; } = "";
    public DateTime AttemptedAt { get; init; }
}
