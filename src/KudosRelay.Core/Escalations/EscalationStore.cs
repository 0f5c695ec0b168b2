using System.Data.Common;
using System.Globalization;
using Dapper;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Escalations;

/// <summary>Escalations, their event history and the nudges sent about them.</summary>
internal sealed class EscalationStore(Db db, TimeProvider clock)
{
    /// <summary>Opens an escalation in the caller's transaction and records its "created" event, by the requester.</summary>
    public async Task<long> CreateAsync(DbTransaction transaction, NewEscalation escalation, CancellationToken cancellationToken)
    {
        var sql = db.Dialect.InsertReturningId("escalations", InsertColumns, InsertValues);
        var now = clock.GetUtcNow().UtcDateTime;
        var id = await transaction.Connection!.QuerySingleAsync<long>(new CommandDefinition(sql, new
        {
            escalation.CaseRef,
            escalation.Summary,
            escalation.RequesterPersonId,
            escalation.DepartmentId,
            escalation.OwnerPersonId,
            Status = EscalationStatus.Open,
            escalation.DueAt,
            escalation.Source,
            escalation.ExternalId,
            escalation.CaseUrl,
            escalation.Note,
            escalation.NextNudgeAt,
            Now = now,
        }, transaction, cancellationToken: cancellationToken));
        await InsertEventAsync(transaction, id, EscalationEventKind.Created, escalation.RequesterPersonId, null, now, cancellationToken);
        return id;
    }

    private const string InsertColumns =
        "case_ref, summary, requester_person_id, department_id, owner_person_id, status, due_at, source, external_id, case_url, note, next_nudge_at, created_at, updated_at";

    private const string InsertValues =
        "@CaseRef, @Summary, @RequesterPersonId, @DepartmentId, @OwnerPersonId, @Status, @DueAt, @Source, @ExternalId, @CaseUrl, @Note, @NextNudgeAt, @Now, @Now";

    /// <summary>The escalation a source raised under <paramref name="externalId"/>, if it did.</summary>
    public Task<Escalation?> FindByExternalIdAsync(DbTransaction transaction, string source, string externalId, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<Escalation?>(new CommandDefinition(
            $"SELECT {Columns} FROM escalations WHERE source = @Source AND external_id = @ExternalId",
            new { Source = source, ExternalId = externalId }, transaction, cancellationToken: cancellationToken));

    /// <summary>Appends an event (a comment, an answer to a nudge, a status change) to the escalation's history, stamped now.</summary>
    public Task<long> AddEventAsync(DbTransaction transaction, long escalationId, string kind, long? actorPersonId, string? note, CancellationToken cancellationToken) =>
        InsertEventAsync(transaction, escalationId, kind, actorPersonId, note, clock.GetUtcNow().UtcDateTime, cancellationToken);

    private async Task<long> InsertEventAsync(DbTransaction transaction, long escalationId, string kind, long? actorPersonId, string? note, DateTime occurredAt, CancellationToken cancellationToken)
    {
        var sql = db.Dialect.InsertReturningId("escalation_events", EventColumns, EventValues);
        return await transaction.Connection!.QuerySingleAsync<long>(new CommandDefinition(sql, new
        {
            EscalationId = escalationId,
            Kind = kind,
            ActorPersonId = actorPersonId,
            Note = note,
            OccurredAt = occurredAt,
        }, transaction, cancellationToken: cancellationToken));
    }

    private const string EventColumns = "escalation_id, kind, actor_person_id, note, occurred_at";
    private const string EventValues = "@EscalationId, @Kind, @ActorPersonId, @Note, @OccurredAt";

    /// <summary>
    /// Moves the escalation to <paramref name="status"/> (acknowledged, resolved, cancelled, rerouted, open again)
    /// and records an event of that kind at <paramref name="at"/>. "resolved" stamps who and when; any status clears a snooze and
    /// a previous resolution; a closed escalation is never nudged again. Snoozing has its own method because it needs an end. False when there is
    /// no such escalation.
    /// </summary>
    public Task<bool> SetStatusAsync(DbTransaction transaction, long id, string status, DateTime at, long? actorPersonId, CancellationToken cancellationToken)
    {
        if (status == EscalationStatus.Snoozed)
            throw new ArgumentException($"use {nameof(SnoozeAsync)} to snooze: a snooze needs an end", nameof(status));
        var resolved = status == EscalationStatus.Resolved;
        return ChangeAsync(transaction, id, new StatusChange(status, null, resolved ? at : null, resolved ? actorPersonId : null, at), actorPersonId, null, cancellationToken);
    }

    /// <summary>Snoozes the escalation until <paramref name="until"/>: the sweeper leaves it alone until then. The event's note holds the end.</summary>
    public Task<bool> SnoozeAsync(DbTransaction transaction, long id, DateTime until, DateTime at, long? actorPersonId, CancellationToken cancellationToken) =>
        ChangeAsync(transaction, id, new StatusChange(EscalationStatus.Snoozed, until, null, null, at), actorPersonId,
            DateTime.SpecifyKind(until, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture), cancellationToken);

    private async Task<bool> ChangeAsync(DbTransaction transaction, long id, StatusChange change, long? actorPersonId, string? note, CancellationToken cancellationToken)
    {
        const string Sql = """
            UPDATE escalations
            SET status = @Status, snoozed_until = @SnoozedUntil, resolved_at = @ResolvedAt, resolved_by_person_id = @ResolvedBy, updated_at = @At,
                next_nudge_at = CASE WHEN @Closed = 1 THEN NULL ELSE next_nudge_at END
            WHERE id = @Id
            """;
        var updated = await transaction.Connection!.ExecuteAsync(new CommandDefinition(Sql, new
        {
            Id = id,
            change.Status,
            change.SnoozedUntil,
            change.ResolvedAt,
            change.ResolvedBy,
            change.At,
            Closed = EscalationStatus.IsClosed(change.Status) ? 1 : 0,
        }, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
            return false;
        await InsertEventAsync(transaction, id, change.Status, actorPersonId, note, change.At, cancellationToken);
        return true;
    }

    private sealed record StatusChange(string Status, DateTime? SnoozedUntil, DateTime? ResolvedAt, long? ResolvedBy, DateTime At);

    public Task<Escalation?> GetAsync(long id, CancellationToken cancellationToken) =>
        db.WithConnectionAsync(connection => connection.QuerySingleOrDefaultAsync<Escalation?>(new CommandDefinition(
            $"SELECT {Columns} FROM escalations WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<Escalation?> GetAsync(DbTransaction transaction, long id, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<Escalation?>(new CommandDefinition(
            $"SELECT {Columns} FROM escalations WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));

    /// <summary>When the sweeper should look at the escalation next; null when nothing more is to be sent.</summary>
    public Task SetNextNudgeAsync(DbTransaction transaction, long id, DateTime? at, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE escalations SET next_nudge_at = @At WHERE id = @Id",
            new { Id = id, At = at }, transaction, cancellationToken: cancellationToken));

    private const string Columns = """
        id AS Id, case_ref AS CaseRef, summary AS Summary, requester_person_id AS RequesterPersonId,
        department_id AS DepartmentId, owner_person_id AS OwnerPersonId, status AS Status, due_at AS DueAt,
        snoozed_until AS SnoozedUntil, resolved_at AS ResolvedAt, resolved_by_person_id AS ResolvedByPersonId,
        source AS Source, external_id AS ExternalId, case_url AS CaseUrl, note AS Note, next_nudge_at AS NextNudgeAt,
        nudge_round AS NudgeRound, acknowledged_at AS AcknowledgedAt,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>The escalation as the helpdesk sees it, with people named by e-mail; null when there is no such escalation.</summary>
    public Task<EscalationView?> ShowAsync(long id, CancellationToken cancellationToken) =>
        db.WithConnectionAsync(async connection =>
        {
            var view = await connection.QuerySingleOrDefaultAsync<EscalationView>(new CommandDefinition("""
                SELECT e.id AS Id, e.case_ref AS CaseRef, e.case_url AS CaseUrl, e.summary AS Summary, e.status AS Status,
                       r.email AS RequestedBy, d.department_key AS Department, o.email AS Owner, e.note AS Note,
                       e.due_at AS DueAt, e.snoozed_until AS SnoozedUntil, e.resolved_at AS ResolvedAt, v.email AS ResolvedBy,
                       e.source AS Source, e.external_id AS ExternalId, e.created_at AS CreatedAt
                FROM escalations e
                JOIN people r ON r.id = e.requester_person_id
                JOIN departments d ON d.id = e.department_id
                LEFT JOIN people o ON o.id = e.owner_person_id
                LEFT JOIN people v ON v.id = e.resolved_by_person_id
                WHERE e.id = @Id
                """, new { Id = id }, cancellationToken: cancellationToken));
            if (view is null)
                return null;
            var history = await connection.QueryAsync<EscalationHistoryEntry>(new CommandDefinition("""
                SELECT v.kind AS Kind, p.email AS By, v.note AS Note, v.occurred_at AS At
                FROM escalation_events v LEFT JOIN people p ON p.id = v.actor_person_id
                WHERE v.escalation_id = @Id
                ORDER BY v.occurred_at, v.id
                """, new { Id = id }, cancellationToken: cancellationToken));
            var nudges = await connection.QueryAsync<NudgeSent>(new CommandDefinition("""
                SELECT n.stage AS Stage, COALESCE(p.email, n.recipient_address, '') AS Recipient, n.sent_at AS SentAt
                FROM nudges n LEFT JOIN people p ON p.id = n.recipient_person_id
                WHERE n.escalation_id = @Id
                ORDER BY n.sent_at, n.id
                """, new { Id = id }, cancellationToken: cancellationToken));
            return view with { History = history.ToList(), Nudges = nudges.ToList() };
        }, cancellationToken);

    /// <summary>The escalation's history, oldest first.</summary>
    public Task<IReadOnlyList<EscalationEvent>> EventsAsync(long escalationId, CancellationToken cancellationToken) =>
        db.WithConnectionAsync<IReadOnlyList<EscalationEvent>>(async connection => (await connection.QueryAsync<EscalationEvent>(new CommandDefinition(
            EventsSql, new { Id = escalationId }, cancellationToken: cancellationToken))).ToList(), cancellationToken);

    public async Task<IReadOnlyList<EscalationEvent>> EventsAsync(DbTransaction transaction, long escalationId, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<EscalationEvent>(new CommandDefinition(
            EventsSql, new { Id = escalationId }, transaction, cancellationToken: cancellationToken))).ToList();

    private const string EventsSql = """
        SELECT id AS Id, escalation_id AS EscalationId, kind AS Kind, actor_person_id AS ActorPersonId, note AS Note, occurred_at AS OccurredAt
        FROM escalation_events WHERE escalation_id = @Id
        ORDER BY occurred_at, id
        """;

    /// <summary>
    /// Up to <paramref name="limit"/> open escalations due at or before
    /// <paramref name="at"/> whose snooze (if any) has ended, most overdue first.
    /// </summary>
    public async Task<IReadOnlyList<Escalation>> ListOpenDueBeforeAsync(DateTime at, int limit, CancellationToken cancellationToken)
    {
        var (top, limitClause) = db.Dialect.RowLimit();
        var sql = $"""
            SELECT {top}{Columns} FROM escalations
            WHERE status <> @Resolved AND status <> @Cancelled AND due_at <= @At AND (snoozed_until IS NULL OR snoozed_until <= @At)
            ORDER BY due_at, id{limitClause}
            """;
        return (await db.WithConnectionAsync(connection => connection.QueryAsync<Escalation>(new CommandDefinition(
            sql, new { At = at, Limit = limit, Resolved = EscalationStatus.Resolved, Cancelled = EscalationStatus.Cancelled }, cancellationToken: cancellationToken)), cancellationToken)).ToList();
    }

    /// <summary>
    /// The resolved escalations about a helpdesk case, latest resolution first: when the customer later
    /// thanks the agent on that case, the thanks travel on to whoever resolved them.
    /// </summary>
    public async Task<IReadOnlyList<Escalation>> FindResolvedByCaseRefAsync(string caseRef, CancellationToken cancellationToken) =>
        (await db.WithConnectionAsync(connection => connection.QueryAsync<Escalation>(new CommandDefinition($"""
            SELECT {Columns} FROM escalations
            WHERE case_ref = @CaseRef AND status = @Resolved
            ORDER BY resolved_at DESC, id DESC
            """, new { CaseRef = caseRef, Resolved = EscalationStatus.Resolved }, cancellationToken: cancellationToken)), cancellationToken)).ToList();

    /// <summary>
    /// Records a nudge about an escalation in the caller's transaction, beside the outbox message that carries it.
    /// False when this stage of this round was recorded already (by another instance): then it must not be sent.
    /// </summary>
    public Task<bool> TryRecordNudgeAsync(DbTransaction transaction, NewNudge nudge, CancellationToken cancellationToken)
    {
        var sql = db.Dialect.InsertUnlessExistsReturningId("nudges", NudgeColumns, NudgeValues,
            "escalation_id, round, stage", "escalation_id = @EscalationId AND round = @Round AND stage = @Stage");
        return db.UnlessDuplicateAsync(async () => await transaction.Connection!.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            sql, nudge, transaction, cancellationToken: cancellationToken)) is not null, false);
    }

    private const string NudgeColumns =
        "escalation_id, round, stage, recipient_kind, recipient_person_id, recipient_platform, recipient_address, outbox_message_id, sent_at";

    private const string NudgeValues =
        "@EscalationId, @Round, @Stage, @RecipientKind, @RecipientPersonId, @RecipientPlatform, @RecipientAddress, @OutboxMessageId, @SentAt";

    /// <summary>The nudges sent about an escalation, oldest first: its stages so far and the messages to update in place.</summary>
    public async Task<IReadOnlyList<Nudge>> NudgesAsync(DbTransaction transaction, long escalationId, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<Nudge>(new CommandDefinition("""
            SELECT id AS Id, escalation_id AS EscalationId, round AS Round, stage AS Stage, recipient_kind AS RecipientKind,
                   recipient_person_id AS RecipientPersonId, recipient_platform AS RecipientPlatform, recipient_address AS RecipientAddress,
                   outbox_message_id AS OutboxMessageId, sent_at AS SentAt
            FROM nudges WHERE escalation_id = @Id
            ORDER BY sent_at, id
            """, new { Id = escalationId }, transaction, cancellationToken: cancellationToken))).ToList();

    /// <summary>How many nudges a person was sent at or after <paramref name="since"/>, about any escalation (their daily or weekly budget).</summary>
    public Task<int> CountNudgesForRecipientSinceAsync(DbTransaction transaction, long personId, DateTime since, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM nudges WHERE recipient_person_id = @PersonId AND sent_at >= @Since",
            new { PersonId = personId, Since = since }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// For the sweeper: up to <paramref name="limit"/> escalations whose next look is due at <paramref name="at"/>,
    /// longest waiting first. One range read of <c>ix_escalations_next_nudge</c>; closed escalations have no next look.
    /// </summary>
    public async Task<IReadOnlyList<Escalation>> ListDueForNudgeAsync(DateTime at, int limit, CancellationToken cancellationToken)
    {
        var (top, limitClause) = db.Dialect.RowLimit();
        var sql = $"""
            SELECT {top}{Columns} FROM escalations
            WHERE next_nudge_at <= @At
            ORDER BY next_nudge_at, id{limitClause}
            """;
        return (await db.WithConnectionAsync(connection => connection.QueryAsync<Escalation>(new CommandDefinition(
            sql, new { At = at, Limit = limit }, cancellationToken: cancellationToken)), cancellationToken)).ToList();
    }
}

/// <summary>What it takes to open an escalation; the store sets status, timestamps and id.</summary>
internal sealed record NewEscalation(string CaseRef, string Summary, long RequesterPersonId, long DepartmentId, long? OwnerPersonId, DateTime DueAt)
{
    /// <summary>Who raised it, with <see cref="ExternalId"/>: the helpdesk source's name, or the chat platform.</summary>
    public string? Source { get; init; }
    public string? ExternalId { get; init; }
    public string? CaseUrl { get; init; }
    public string? Note { get; init; }

    /// <summary>When the sweeper first looks at it; null leaves it to the old due-time query only.</summary>
    public DateTime? NextNudgeAt { get; init; }
}

/// <summary>A nudge to record: which stage of which round, to whom (a person, or a channel by platform and id).</summary>
internal sealed record NewNudge(long EscalationId, int Round, string Stage, string RecipientKind, long? RecipientPersonId,
    string? RecipientPlatform, string? RecipientAddress, long? OutboxMessageId, DateTime SentAt);

/// <summary>A row of <c>nudges</c>.</summary>
internal sealed record Nudge
{
    public long Id { get; init; }
    public long EscalationId { get; init; }
    public int Round { get; init; }
    public string Stage { get; init; } = "";
    public string RecipientKind { get; init; } = "";
    public long? RecipientPersonId { get; init; }
    public string? RecipientPlatform { get; init; }
    public string? RecipientAddress { get; init; }
    public long? OutboxMessageId { get; init; }
    public DateTime SentAt { get; init; }
}

internal static class NudgeRecipientKind
{
    public const string Person = "person";
    public const string Channel = "channel";
    public const string Lead = "lead";
}

/// <summary>A row of <c>escalations</c>.</summary>
internal sealed record Escalation
{
    public long Id { get; init; }
    public string CaseRef { get; init; } = "";
    public string Summary { get; init; } = "";
    public long RequesterPersonId { get; init; }
    public long DepartmentId { get; init; }
    public long? OwnerPersonId { get; init; }
    public string Status { get; init; } = "";
    public DateTime DueAt { get; init; }
    public DateTime? SnoozedUntil { get; init; }
    public DateTime? ResolvedAt { get; init; }
    public long? ResolvedByPersonId { get; init; }
    public string? Source { get; init; }
    public string? ExternalId { get; init; }
    public string? CaseUrl { get; init; }
    public string? Note { get; init; }
    public DateTime? NextNudgeAt { get; init; }
    public int NudgeRound { get; init; }
    public DateTime? AcknowledgedAt { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>A row of <c>escalation_events</c>.</summary>
internal sealed record EscalationEvent
{
    public long Id { get; init; }
    public long EscalationId { get; init; }
    public string Kind { get; init; } = "";
    public long? ActorPersonId { get; init; }
    public string? Note { get; init; }
    public DateTime OccurredAt { get; init; }
}

/// <summary>Open means anything but resolved or cancelled: acknowledged, snoozed and rerouted escalations still need an answer.</summary>
internal static class EscalationStatus
{
    public const string Cancelled = "cancelled";

    public static bool IsClosed(string status) => status is Resolved or Cancelled;

    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Snoozed = "snoozed";
    public const string Resolved = "resolved";
    public const string Rerouted = "rerouted";
}

/// <summary>Event kinds besides the statuses, which are recorded under their own name.</summary>
internal static class EscalationEventKind
{
    public const string Created = "created";

    /// <summary>Words added by someone: a resolver's note, the reason for cancelling or re-routing.</summary>
    public const string Comment = "comment";
}
