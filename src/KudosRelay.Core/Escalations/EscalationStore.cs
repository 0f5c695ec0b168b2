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
            Now = now,
        }, transaction, cancellationToken: cancellationToken));
        await InsertEventAsync(transaction, id, EscalationEventKind.Created, escalation.RequesterPersonId, null, now, cancellationToken);
        return id;
    }

    private const string InsertColumns =
        "case_ref, summary, requester_person_id, department_id, owner_person_id, status, due_at, created_at, updated_at";

    private const string InsertValues =
        "@CaseRef, @Summary, @RequesterPersonId, @DepartmentId, @OwnerPersonId, @Status, @DueAt, @Now, @Now";

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
    /// Moves the escalation to <paramref name="status"/> (acknowledged, resolved, rerouted, open again)
    /// and records an event of that kind at <paramref name="at"/>. "resolved" stamps who and when; any status clears a snooze and
    /// a previous resolution. Snoozing has its own method because it needs an end. False when there is
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
            SET status = @Status, snoozed_until = @SnoozedUntil, resolved_at = @ResolvedAt, resolved_by_person_id = @ResolvedBy, updated_at = @At
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

    private const string Columns = """
        id AS Id, case_ref AS CaseRef, summary AS Summary, requester_person_id AS RequesterPersonId,
        department_id AS DepartmentId, owner_person_id AS OwnerPersonId, status AS Status, due_at AS DueAt,
        snoozed_until AS SnoozedUntil, resolved_at AS ResolvedAt, resolved_by_person_id AS ResolvedByPersonId,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>The escalation's history, oldest first.</summary>
    public Task<IReadOnlyList<EscalationEvent>> EventsAsync(long escalationId, CancellationToken cancellationToken) =>
        db.WithConnectionAsync<IReadOnlyList<EscalationEvent>>(async connection => (await connection.QueryAsync<EscalationEvent>(new CommandDefinition("""
            SELECT id AS Id, escalation_id AS EscalationId, kind AS Kind, actor_person_id AS ActorPersonId, note AS Note, occurred_at AS OccurredAt
            FROM escalation_events WHERE escalation_id = @Id
            ORDER BY occurred_at, id
            """, new { Id = escalationId }, cancellationToken: cancellationToken))).ToList(), cancellationToken);

    /// <summary>
    /// For the sweeper: up to <paramref name="limit"/> unresolved escalations due at or before
    /// <paramref name="at"/> whose snooze (if any) has ended, most overdue first.
    /// </summary>
    public async Task<IReadOnlyList<Escalation>> ListOpenDueBeforeAsync(DateTime at, int limit, CancellationToken cancellationToken)
    {
        var (top, limitClause) = db.Dialect switch
        {
            SqlDialect.Sqlite => ("", " LIMIT @Limit"),
            SqlDialect.SqlServer => ("TOP (@Limit) ", ""),
            _ => throw new NotSupportedException(db.Dialect.ToString()),
        };
        var sql = $"""
            SELECT {top}{Columns} FROM escalations
            WHERE status <> @Resolved AND due_at <= @At AND (snoozed_until IS NULL OR snoozed_until <= @At)
            ORDER BY due_at, id{limitClause}
            """;
        return (await db.WithConnectionAsync(connection => connection.QueryAsync<Escalation>(new CommandDefinition(
            sql, new { At = at, Limit = limit, Resolved = EscalationStatus.Resolved }, cancellationToken: cancellationToken)), cancellationToken)).ToList();
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

    /// <summary>Records a nudge about an escalation in the caller's transaction, beside the outbox message that carries it.</summary>
    public async Task<long> RecordNudgeAsync(DbTransaction transaction, long escalationId, long recipientPersonId, string stage, long? outboxMessageId, DateTime sentAt, CancellationToken cancellationToken)
    {
        var sql = db.Dialect.InsertReturningId("nudges", NudgeColumns, NudgeValues);
        return await transaction.Connection!.QuerySingleAsync<long>(new CommandDefinition(sql, new
        {
            EscalationId = escalationId,
            RecipientPersonId = recipientPersonId,
            Stage = stage,
            OutboxMessageId = outboxMessageId,
            SentAt = sentAt,
        }, transaction, cancellationToken: cancellationToken));
    }

    private const string NudgeColumns = "escalation_id, recipient_person_id, stage, outbox_message_id, sent_at";
    private const string NudgeValues = "@EscalationId, @RecipientPersonId, @Stage, @OutboxMessageId, @SentAt";

    /// <summary>How many nudges a person was sent at or after <paramref name="since"/>, about any escalation (their daily or weekly budget).</summary>
    public Task<int> CountNudgesForRecipientSinceAsync(long personId, DateTime since, CancellationToken cancellationToken) =>
        db.WithConnectionAsync(connection => connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM nudges WHERE recipient_person_id = @PersonId AND sent_at >= @Since",
            new { PersonId = personId, Since = since }, cancellationToken: cancellationToken)), cancellationToken);
}

/// <summary>What it takes to open an escalation; the store sets status, timestamps and id.</summary>
internal sealed record NewEscalation(string CaseRef, string Summary, long RequesterPersonId, long DepartmentId, long? OwnerPersonId, DateTime DueAt);

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

/// <summary>Open means anything but resolved: acknowledged, snoozed and rerouted escalations still need an answer.</summary>
internal static class EscalationStatus
{
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
}
