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
    public async Task<IReadOnlyList<LeasedMessage>> LeaseDueAsync(string owner, int batchSize, TimeSpan leaseFor, CancellationToken cancellationToken) =>
        (await LeaseSendableAsync(owner, batchSize, leaseFor, _ => [], cancellationToken)).Leased;

    /// <summary>
    /// Looks at up to <paramref name="batchSize"/> due messages and leases, for <paramref name="owner"/> until
    /// <paramref name="leaseFor"/> from now, those whose rate budgets (<paramref name="budgetsOf"/>) all have room now,
    /// taking their slots in the same transaction: every instance leasing from this database shares the budgets. A
    /// message that must wait is not leased; its next attempt moves to the time its budgets are expected to have room
    /// (the messages of one channel one slot after another), using up no attempt. Rows leased by a live owner are
    /// skipped; an expired lease (its owner died) makes the row due again.
    /// </summary>
    public async Task<LeasedBatch> LeaseSendableAsync(
        string owner, int batchSize, TimeSpan leaseFor, Func<LeaseCandidate, IReadOnlyList<SendBudget>> budgetsOf, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = db.Dialect switch
        {
            SqlDialect.Sqlite => """
                SELECT id AS Id, platform AS Platform, target_kind AS TargetKind, target_address AS TargetAddress,
                       workspace_id AS WorkspaceId, replaces_message_id AS ReplacesMessageId
                FROM outbox_messages
                WHERE status = 'pending' AND next_attempt_at <= @Now AND (lease_expires_at IS NULL OR lease_expires_at < @Now)
                ORDER BY next_attempt_at, id
                LIMIT @BatchSize
                """,
            // UPDLOCK holds the rows until the lease is written; READPAST skips rows another instance is leasing right now.
            SqlDialect.SqlServer => """
                SELECT TOP (@BatchSize) id AS Id, platform AS Platform, target_kind AS TargetKind, target_address AS TargetAddress,
                       workspace_id AS WorkspaceId, replaces_message_id AS ReplacesMessageId
                FROM outbox_messages WITH (UPDLOCK, READPAST, ROWLOCK)
                WHERE status = 'pending' AND next_attempt_at <= @Now AND (lease_expires_at IS NULL OR lease_expires_at < @Now)
                ORDER BY next_attempt_at, id
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
        var (rows, paced) = await db.InTransactionAsync<(IEnumerable<LeasedRow>, int)>(async (connection, transaction) =>
        {
            var candidates = (await connection.QueryAsync<CandidateRow>(new CommandDefinition(
                due, new { Now = now, BatchSize = batchSize }, transaction, cancellationToken: cancellationToken))).ToList();
            if (candidates.Count == 0)
                return ([], 0);
            var plan = await PlanAsync(connection, transaction, candidates.Select(row => row.ToCandidate()).ToList(), budgetsOf, now, cancellationToken);
            if (plan.Later.Count > 0)
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE outbox_messages SET next_attempt_at = @At WHERE id = @Id", plan.Later, transaction, cancellationToken: cancellationToken));
            if (plan.Taken.Count > 0)
                await connection.ExecuteAsync(new CommandDefinition(UpsertPacing, plan.Taken, transaction, cancellationToken: cancellationToken));
            if (plan.Now.Count == 0)
                return ([], plan.Later.Count);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE outbox_messages SET lease_owner = @Owner, lease_expires_at = @Until WHERE id IN @Ids",
                new { Owner = owner, Until = now + leaseFor, Ids = plan.Now }, transaction, cancellationToken: cancellationToken));
            return (await connection.QueryAsync<LeasedRow>(new CommandDefinition(Read, new { Ids = plan.Now }, transaction, cancellationToken: cancellationToken)), plan.Later.Count);
        }, cancellationToken);
        return new LeasedBatch(rows.Select(row => row.ToLeased()).ToList(), paced);
    }

    private sealed record PacingPlan(List<long> Now, List<PacedRow> Later, List<PacingRow> Taken);

    private sealed record PacedRow(long Id, DateTime At);

    /// <summary>
    /// Decides, in order, which candidates go now: each takes a slot in its budgets at the first moment all of them
    /// have room; those whose moment is now are leased, the others are scheduled for it. The budgets' new next-send
    /// times are what the leased messages took; the slots planned for waiting messages are not stored (a leased message
    /// after a waiting one of a shared budget counts that slot too, which only errs on the side of sending less).
    /// </summary>
    private async Task<PacingPlan> PlanAsync(
        DbConnection connection, DbTransaction transaction, List<LeaseCandidate> candidates,
        Func<LeaseCandidate, IReadOnlyList<SendBudget>> budgetsOf, DateTime now, CancellationToken cancellationToken)
    {
        var budgets = candidates.Select(budgetsOf).ToList();
        var keys = budgets.SelectMany(list => list).Select(budget => budget.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var planned = await ReadPacingAsync(connection, transaction, keys, cancellationToken);
        var plan = new PacingPlan([], [], []);
        var taken = new SortedDictionary<string, DateTime>(StringComparer.Ordinal);
        for (var i = 0; i < candidates.Count; i++)
        {
            var wait = TimeSpan.Zero;
            foreach (var budget in budgets[i])
            {
                var delay = budget.Delay(NextSend(planned, budget.Key), now);
                wait = delay > wait ? delay : wait;
            }
            foreach (var budget in budgets[i])
                planned[budget.Key] = budget.Take(NextSend(planned, budget.Key), now + wait);
            if (wait > TimeSpan.Zero)
            {
                plan.Later.Add(new PacedRow(candidates[i].Id, now + wait));
                continue;
            }
            plan.Now.Add(candidates[i].Id);
            foreach (var budget in budgets[i])
                taken[budget.Key] = planned[budget.Key];
        }
        plan.Taken.AddRange(taken.Select(pair => new PacingRow { BudgetKey = pair.Key, NextSendAt = pair.Value }));
        return plan;
    }

    private static DateTime? NextSend(Dictionary<string, DateTime> planned, string key) => planned.TryGetValue(key, out var next) ? next : null;

    /// <summary>The budgets' next-send times, locked until the transaction ends on SQL Server (SQLite has one writer).</summary>
    private async Task<Dictionary<string, DateTime>> ReadPacingAsync(
        DbConnection connection, DbTransaction transaction, List<string> keys, CancellationToken cancellationToken)
    {
        var sql = db.Dialect == SqlDialect.SqlServer
            ? "SELECT budget_key AS BudgetKey, next_send_at AS NextSendAt FROM outbox_pacing WITH (UPDLOCK, HOLDLOCK) WHERE budget_key IN @Keys"
            : "SELECT budget_key AS BudgetKey, next_send_at AS NextSendAt FROM outbox_pacing WHERE budget_key IN @Keys";
        var next = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        // SQL Server takes at most 2,100 parameters in one statement.
        foreach (var chunk in keys.Chunk(1000))
            foreach (var row in await connection.QueryAsync<PacingRow>(new CommandDefinition(sql, new { Keys = chunk }, transaction, cancellationToken: cancellationToken)))
                next[row.BudgetKey] = row.NextSendAt;
        return next;
    }

    private string UpsertPacing => db.Dialect switch
    {
        SqlDialect.Sqlite => """
            INSERT INTO outbox_pacing (budget_key, next_send_at) VALUES (@BudgetKey, @NextSendAt)
            ON CONFLICT (budget_key) DO UPDATE SET next_send_at = excluded.next_send_at
            """,
        SqlDialect.SqlServer => """
            UPDATE outbox_pacing SET next_send_at = @NextSendAt WHERE budget_key = @BudgetKey;
            IF @@ROWCOUNT = 0 INSERT INTO outbox_pacing (budget_key, next_send_at) VALUES (@BudgetKey, @NextSendAt);
            """,
        _ => throw new NotSupportedException(db.Dialect.ToString()),
    };

    /// <summary>
    /// The platform said too many: nothing that spends <paramref name="budgets"/> is leased, by any instance, before
    /// <paramref name="until"/>.
    /// </summary>
    public Task PauseAsync(IReadOnlyList<SendBudget> budgets, DateTime until, CancellationToken cancellationToken) =>
        budgets.Count == 0 ? Task.CompletedTask : db.InTransactionAsync(async (connection, transaction) =>
        {
            var next = await ReadPacingAsync(connection, transaction, budgets.Select(budget => budget.Key).Order(StringComparer.Ordinal).ToList(), cancellationToken);
            var paused = budgets.Select(budget => new PacingRow { BudgetKey = budget.Key, NextSendAt = budget.PauseUntil(NextSend(next, budget.Key), until) }).ToList();
            await connection.ExecuteAsync(new CommandDefinition(UpsertPacing, paused, transaction, cancellationToken: cancellationToken));
        }, cancellationToken);

    /// <summary>Forgets the budgets whose next-send time has passed: a missing row means the same (a full burst).</summary>
    public Task<int> PrunePacingAsync(CancellationToken cancellationToken) =>
        db.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM outbox_pacing WHERE next_send_at < @Now",
            new { Now = clock.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken)), cancellationToken);

    private sealed record PacingRow
    {
        public string BudgetKey { get; init; } = "";
        public DateTime NextSendAt { get; init; }
    }

    private sealed record CandidateRow
    {
        public long Id { get; init; }
        public string Platform { get; init; } = "";
        public string TargetKind { get; init; } = "";
        public string TargetAddress { get; init; } = "";
        public string? WorkspaceId { get; init; }
        public long? ReplacesMessageId { get; init; }

        public LeaseCandidate ToCandidate() =>
            new(Id, new ChatTarget(Platform, Enum.Parse<ChatTargetKind>(TargetKind), TargetAddress, WorkspaceId), ReplacesMessageId is not null);
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
        return await PreparedRows.ExecuteAsync(db, transaction, sql, rows, PendingRow.Parameters, cancellationToken, db.IsDuplicateKey);
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
        return await PreparedRows.InsertReturningIdsAsync(db, transaction, sql, rows, PendingRow.Parameters, cancellationToken, db.IsDuplicateKey);
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

/// <summary>A due message before it is leased: where it goes, and whether it replaces an earlier message.</summary>
public sealed record LeaseCandidate(long Id, ChatTarget Target, bool UpdatesInPlace);

/// <summary>What one lease took, and how many due messages it scheduled for later to keep to their rate budgets.</summary>
public sealed record LeasedBatch(IReadOnlyList<LeasedMessage> Leased, int Paced);

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
