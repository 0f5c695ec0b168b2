using System.Data.Common;
using System.Text.Json;
using Dapper;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Escalations;

/// <summary>What answering a nudge reads and changes, in the caller's transaction.</summary>
internal sealed class NudgeAnswerStore
{
    /// <summary>The kinds of history events that answer an escalation: a nudge sent before the latest of them is answered.</summary>
    public static readonly string[] AnswerKinds = [EscalationStatus.Acknowledged, EscalationStatus.Snoozed, EscalationStatus.Resolved, EscalationStatus.Rerouted, EscalationStatus.Cancelled];

    public Task<AnsweredEscalation?> FindAsync(DbTransaction transaction, long id, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<AnsweredEscalation?>(new CommandDefinition($"""
            SELECT e.id AS Id, e.case_ref AS CaseRef, e.case_url AS CaseUrl, e.summary AS Summary, e.status AS Status,
                   e.requester_person_id AS RequesterPersonId, e.department_id AS DepartmentId, d.name AS DepartmentName,
                   COALESCE(d.locale, {OrgSettings.DefaultLocaleSql}) AS DepartmentLocale, e.nudge_round AS NudgeRound, e.snoozed_until AS SnoozedUntil
            FROM escalations e
            JOIN departments d ON d.id = e.department_id
            WHERE e.id = @Id
            """, new { Id = id }, transaction, cancellationToken: cancellationToken));

    /// <summary>The latest answer in the history (the highest event id of an answering kind), with who gave it; null before any.</summary>
    public async Task<LastAnswer?> LastAnswerAsync(DbTransaction transaction, long escalationId, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<LastAnswer>(new CommandDefinition("""
            SELECT v.id AS EventId, v.kind AS Kind, v.occurred_at AS OccurredAt, v.actor_person_id AS ActorPersonId, v.note AS Note
            FROM escalation_events v
            WHERE v.escalation_id = @Id AND v.kind IN @Kinds
            ORDER BY v.id DESC
            """, new { Id = escalationId, Kinds = AnswerKinds }, transaction, cancellationToken: cancellationToken))).FirstOrDefault();

    /// <summary>When the latest nudge about the escalation went out; null when none did.</summary>
    public Task<DateTime?> LastNudgeSentAtAsync(DbTransaction transaction, long escalationId, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT MAX(sent_at) FROM nudges WHERE escalation_id = @Id", new { Id = escalationId }, transaction, cancellationToken: cancellationToken));

    /// <summary>"I'm on it": acknowledged now, no reminder before <paramref name="nextNudgeAt"/>.</summary>
    public Task AcknowledgeAsync(DbTransaction transaction, long id, DateTime now, DateTime nextNudgeAt, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition("""
            UPDATE escalations
            SET status = @Status, acknowledged_at = @Now, snoozed_until = NULL, next_nudge_at = @NextNudgeAt, updated_at = @Now
            WHERE id = @Id
            """, new { Id = id, Status = EscalationStatus.Acknowledged, Now = now, NextNudgeAt = nextNudgeAt }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// "Not ours": the escalation moves to another department and starts a new round of nudges, the first at the next
    /// sweep; an owner from the first department is no longer the one to ask.
    /// </summary>
    public Task RerouteAsync(DbTransaction transaction, long id, long departmentId, DateTime now, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition("""
            UPDATE escalations
            SET department_id = @DepartmentId, owner_person_id = NULL, nudge_round = nudge_round + 1, status = @Status,
                acknowledged_at = NULL, snoozed_until = NULL, next_nudge_at = @Now, updated_at = @Now
            WHERE id = @Id
            """, new { Id = id, DepartmentId = departmentId, Status = EscalationStatus.Rerouted, Now = now }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Every nudge message sent about the escalation, in any round, with where it went and what it shows now: the body of
    /// the latest update of it, else its own. Each is updated in place after an answer.
    /// </summary>
    public async Task<IReadOnlyList<NudgeCopy>> CopiesAsync(DbTransaction transaction, long escalationId, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<NudgeCopyRow>(new CommandDefinition("""
            SELECT n.id AS NudgeId, o.id AS OutboxMessageId, o.platform AS Platform, o.target_kind AS TargetKind,
                   o.target_address AS TargetAddress, o.workspace_id AS Workspace,
                   COALESCE((SELECT u.body FROM outbox_messages u
                             WHERE u.id = (SELECT MAX(l.id) FROM outbox_messages l WHERE l.replaces_message_id = o.id)), o.body) AS Body
            FROM nudges n
            JOIN outbox_messages o ON o.id = n.outbox_message_id
            WHERE n.escalation_id = @Id
            ORDER BY n.id
            """, new { Id = escalationId }, transaction, cancellationToken: cancellationToken)))
            .Select(row => new NudgeCopy(row.NudgeId, row.OutboxMessageId,
                new ChatTarget(row.Platform, Enum.Parse<ChatTargetKind>(row.TargetKind, ignoreCase: true), row.TargetAddress, row.Workspace),
                JsonSerializer.Deserialize<ChatMessage>(row.Body, Json)!))
            .ToList();

    // As the outbox writes its bodies.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every department, by name, for the "which department instead?" choice and the escalation form.</summary>
    public async Task<IReadOnlyList<DepartmentChoice>> DepartmentsAsync(DbTransaction transaction, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<DepartmentChoice>(new CommandDefinition(
            "SELECT id AS Id, department_key AS [Key], name AS Name FROM departments ORDER BY name, id",
            null, transaction, cancellationToken: cancellationToken))).ToList();

    private sealed record NudgeCopyRow
    {
        public long NudgeId { get; init; }
        public long OutboxMessageId { get; init; }
        public string Platform { get; init; } = "";
        public string TargetKind { get; init; } = "";
        public string TargetAddress { get; init; } = "";
        public string? Workspace { get; init; }
        public string Body { get; init; } = "";
    }
}

/// <summary>An escalation as its answer card shows it.</summary>
internal sealed record AnsweredEscalation
{
    public long Id { get; init; }
    public string CaseRef { get; init; } = "";
    public string? CaseUrl { get; init; }
    public string Summary { get; init; } = "";
    public string Status { get; init; } = "";
    public long RequesterPersonId { get; init; }
    public long DepartmentId { get; init; }
    public string DepartmentName { get; init; } = "";
    public string? DepartmentLocale { get; init; }
    public int NudgeRound { get; init; }
    public DateTime? SnoozedUntil { get; init; }

    public bool IsClosed => EscalationStatus.IsClosed(Status);
}

internal sealed record LastAnswer
{
    public long EventId { get; init; }
    public string Kind { get; init; } = "";
    public DateTime OccurredAt { get; init; }
    public long? ActorPersonId { get; init; }
    public string? Note { get; init; }
}

internal sealed record NudgeCopy(long NudgeId, long OutboxMessageId, ChatTarget Target, ChatMessage Shows);

internal sealed record DepartmentChoice
{
    public long Id { get; init; }
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
}
