using System.Data.Common;
using Dapper;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Escalations;

/// <summary>The sweeper's reads and writes, each in the caller's transaction: one pass is one transaction.</summary>
internal sealed class NudgeSweepStore(Db db)
{
    /// <summary>
    /// The escalations whose next look is due, oldest first: one range read of <c>ix_escalations_next_nudge</c>, so the cost
    /// follows the number due, not the number stored.
    /// </summary>
    public async Task<IReadOnlyList<DueEscalation>> ListDueAsync(DbTransaction transaction, DateTime now, int limit, CancellationToken cancellationToken)
    {
        var (top, limitClause) = db.Dialect.RowLimit();
        var sql = $"""
            SELECT {top}{DueColumns}
            FROM escalations
            WHERE next_nudge_at <= @Now
            ORDER BY next_nudge_at, id{limitClause}
            """;
        return (await transaction.Connection!.QueryAsync<DueEscalation>(new CommandDefinition(
            sql, new { Now = now, Limit = limit }, transaction, cancellationToken: cancellationToken))).AsList();
    }

    private const string DueColumns = """
        id AS Id, case_ref AS CaseRef, case_url AS CaseUrl, summary AS Summary, note AS Note,
        requester_person_id AS RequesterId, department_id AS DepartmentId, owner_person_id AS OwnerId,
        status AS Status, due_at AS DueAt, snoozed_until AS SnoozedUntil, acknowledged_at AS AcknowledgedAt,
        nudge_round AS Round, created_at AS CreatedAt
        """;

    /// <summary>One escalation as the sweeper reads it (for a preview of its next nudge); null when there is none.</summary>
    public Task<DueEscalation?> GetAsync(DbTransaction transaction, long id, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<DueEscalation?>(new CommandDefinition(
            $"SELECT {DueColumns} FROM escalations WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));

    /// <summary>The nudges sent about one escalation in one round, in the order they were sent.</summary>
    public async Task<IReadOnlyList<RoundNudge>> SentInRoundAsync(DbTransaction transaction, long id, int round, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<RoundNudge>(new CommandDefinition("""
            SELECT escalation_id AS EscalationId, stage AS Stage, sent_at AS SentAt
            FROM nudges WHERE escalation_id = @Id AND round = @Round
            ORDER BY sent_at, id
            """, new { Id = id, Round = round }, transaction, cancellationToken: cancellationToken))).AsList();

    /// <summary>The nudges already sent in the current round of each of <paramref name="escalations"/>, in the order they were sent.</summary>
    public async Task<IReadOnlyList<RoundNudge>> SentThisRoundAsync(DbTransaction transaction, IReadOnlyList<DueEscalation> escalations, CancellationToken cancellationToken)
    {
        var rounds = escalations.ToDictionary(escalation => escalation.Id, escalation => escalation.Round);
        var sent = await ManyKeys.QueryAsync<RoundNudge, long>(transaction, db.Dialect, """
            SELECT escalation_id AS EscalationId, round AS Round, stage AS Stage, sent_at AS SentAt, id AS Id
            FROM nudges WHERE escalation_id IN @Keys
            """, rounds.Keys, null, cancellationToken);
        return [.. sent.Where(nudge => rounds[nudge.EscalationId] == nudge.Round).OrderBy(nudge => nudge.SentAt).ThenBy(nudge => nudge.Id)];
    }

    public async Task<IReadOnlyDictionary<long, SweepDepartment>> DepartmentsAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        var departments = await transaction.Connection!.QueryAsync<SweepDepartment>(new CommandDefinition($"""
            SELECT d.id AS Id, d.name AS Name, d.lead_person_id AS LeadId, COALESCE(d.locale, {OrgSettings.DefaultLocaleSql}) AS Locale
            FROM departments d
            """, transaction: transaction, cancellationToken: cancellationToken));
        var channels = (await transaction.Connection!.QueryAsync<ChannelRow>(new CommandDefinition("""
            SELECT department_id AS OwnerId, platform AS Platform, channel_id AS ChannelId
            FROM department_channels ORDER BY department_id, platform
            """, transaction: transaction, cancellationToken: cancellationToken))).ToLookup(channel => channel.OwnerId);
        return departments.ToDictionary(d => d.Id, d => d with { Channels = [.. channels[d.Id]] });
    }

    public async Task<IReadOnlyDictionary<long, Person>> PeopleAsync(DbTransaction transaction, IEnumerable<long> ids, CancellationToken cancellationToken) =>
        (await ManyKeys.QueryAsync<Person, long>(transaction, db.Dialect, """
            SELECT id AS Id, email AS Email, display_name AS DisplayName, time_zone AS TimeZone, locale AS Locale
            FROM people WHERE id IN @Keys
            """, ids, null, cancellationToken)).ToDictionary(person => person.Id);

    /// <summary>Each person's chat identities, the platforms in name order (a person on two platforms is asked on the first).</summary>
    public async Task<ILookup<long, PersonIdentity>> IdentitiesAsync(DbTransaction transaction, IEnumerable<long> personIds, CancellationToken cancellationToken) =>
        (await ManyKeys.QueryAsync<PersonIdentity, long>(transaction, db.Dialect, """
            SELECT person_id AS PersonId, platform AS Platform, user_id AS UserId, workspace_id AS Workspace
            FROM chat_identities WHERE person_id IN @Keys
            """, personIds, null, cancellationToken))
            .OrderBy(identity => identity.PersonId).ThenBy(identity => identity.Platform, StringComparer.Ordinal)
            .ToLookup(identity => identity.PersonId);

    /// <summary>The messages of nudges each person was sent since <paramref name="since"/> (their budgets), one row per nudge.</summary>
    public async Task<ILookup<long, SentToPerson>> SentToPeopleSinceAsync(DbTransaction transaction, IEnumerable<long> personIds, DateTime since, CancellationToken cancellationToken) =>
        (await ManyKeys.QueryAsync<SentToPerson, long>(transaction, db.Dialect, """
            SELECT recipient_person_id AS PersonId, COALESCE(outbox_message_id, -id) AS MessageId, sent_at AS SentAt
            FROM nudges WHERE recipient_person_id IN @Keys AND sent_at >= @Since
            """, personIds, new { Since = since }, cancellationToken)).ToLookup(row => row.PersonId);

    /// <summary>
    /// Records nudges; the number recorded. A nudge whose escalation, round and stage is recorded already was sent by
    /// another instance, and is not recorded again (the unique key decides, whatever the instances read).
    /// </summary>
    public async Task<int> RecordAsync(DbTransaction transaction, IReadOnlyList<NudgeRecord> nudges, CancellationToken cancellationToken)
    {
        var sql = db.Dialect.InsertUnlessExists("nudges", NudgeColumns, RowParameter<NudgeRecord>.Placeholders(NudgeRecord.Parameters),
            "escalation_id, round, stage", "escalation_id = @EscalationId AND round = @Round AND stage = @Stage");
        return await PreparedRows.ExecuteAsync(db, transaction, sql, nudges, NudgeRecord.Parameters, cancellationToken, db.IsDuplicateKey);
    }

    private const string NudgeColumns =
        "escalation_id, round, stage, recipient_person_id, recipient_kind, recipient_platform, recipient_address, outbox_message_id, sent_at";

    /// <summary>
    /// Sets when the sweeper looks at each escalation next (null: never). An escalation someone answered or closed since
    /// it was read (its next look moved past <paramref name="now"/>, or went) keeps what they set.
    /// </summary>
    public Task<int> SetNextAsync(DbTransaction transaction, IReadOnlyList<NextLook> looks, DateTime now, CancellationToken cancellationToken) =>
        PreparedRows.ExecuteAsync(db, transaction, """
            UPDATE escalations SET next_nudge_at = @Next
            WHERE id = @Id AND next_nudge_at <= @Now
            """, looks, NextLook.Parameters(now), cancellationToken);
}

/// <summary>An escalation the sweeper looks at now, with what its nudge tells.</summary>
internal sealed record DueEscalation
{
    public long Id { get; init; }
    public string CaseRef { get; init; } = "";
    public string? CaseUrl { get; init; }
    public string Summary { get; init; } = "";
    public string? Note { get; init; }
    public long RequesterId { get; init; }
    public long DepartmentId { get; init; }
    public long? OwnerId { get; init; }
    public string Status { get; init; } = "";
    public DateTime DueAt { get; init; }
    public DateTime? SnoozedUntil { get; init; }
    public DateTime? AcknowledgedAt { get; init; }
    public int Round { get; init; }
    public DateTime CreatedAt { get; init; }

    public bool IsClosed => Status is EscalationStatus.Resolved or EscalationStatus.Cancelled;

    /// <summary>What the schedule reads: raised and due, the nudges of this round, the last "I'm on it", a snooze.</summary>
    public NudgeHistory History(IReadOnlyList<SentNudge> sent) => new(Utc(CreatedAt), Utc(DueAt), sent)
    {
        AcknowledgedAt = AcknowledgedAt is { } acknowledged ? Utc(acknowledged) : null,
        SnoozedUntil = SnoozedUntil is { } snoozed ? Utc(snoozed) : null,
    };

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>A nudge sent in an escalation's current round, as the schedule counts it.</summary>
internal sealed record RoundNudge
{
    public long Id { get; init; }
    public long EscalationId { get; init; }
    public int Round { get; init; }
    public string Stage { get; init; } = "";
    public DateTime SentAt { get; init; }

    public SentNudge ToSent() => new(Stage, new DateTimeOffset(DateTime.SpecifyKind(SentAt, DateTimeKind.Utc)));
}

internal sealed record SweepDepartment
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public long? LeadId { get; init; }
    public string Locale { get; init; } = "";
    public IReadOnlyList<ChannelRow> Channels { get; init; } = [];
}

internal sealed record PersonIdentity
{
    public long PersonId { get; init; }
    public string Platform { get; init; } = "";
    public string UserId { get; init; } = "";
    public string? Workspace { get; init; }
}

internal sealed record SentToPerson
{
    public long PersonId { get; init; }
    public long MessageId { get; init; }
    public DateTime SentAt { get; init; }
}

/// <summary>A row of <c>nudges</c> to write: who was asked (a person, a channel, the lead), where, and by which outbox message.</summary>
internal sealed record NudgeRecord(
    long EscalationId, int Round, string Stage, long? RecipientPersonId, string RecipientKind, string Platform, string Address, long OutboxMessageId, DateTime SentAt)
{
    public static readonly RowParameter<NudgeRecord>[] Parameters =
    [
        new("EscalationId", row => row.EscalationId), new("Round", row => row.Round), new("Stage", row => row.Stage),
        new("RecipientPersonId", row => row.RecipientPersonId), new("RecipientKind", row => row.RecipientKind),
        new("RecipientPlatform", row => row.Platform), new("RecipientAddress", row => row.Address),
        new("OutboxMessageId", row => row.OutboxMessageId), new("SentAt", row => row.SentAt),
    ];
}

/// <summary>When the sweeper looks at an escalation next; null when nothing more is to be sent.</summary>
internal sealed record NextLook(long Id, DateTime? Next)
{
    public static RowParameter<NextLook>[] Parameters(DateTime now) =>
        [new("Id", row => row.Id), new("Next", row => row.Next), new("Now", _ => now)];
}
