using KudosRelay.Core.Escalations;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Escalations;

public abstract class EscalationStoreTests(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase database = null!;
    private readonly ManualClock clock = new();
    private EscalationStore store = null!;
    private long requester;
    private long owner;
    private long department;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        store = new EscalationStore(database.Db, clock);
        requester = await SeedRows.PersonAsync(database.Db, "ana");
        owner = await SeedRows.PersonAsync(database.Db, "boris");
        department = await SeedRows.DepartmentAsync(database.Db, "billing");
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private Task<long> CreateAsync(string caseRef = "CASE-1", DateTime? dueAt = null) =>
        database.Db.WriteAsync(transaction => store.CreateAsync(transaction,
            new NewEscalation(caseRef, $"Refund stuck on {caseRef}", requester, department, owner, dueAt ?? Now.AddHours(4)), CancellationToken.None));

    private Task<bool> SetStatusAsync(long id, string status, long? actor = null) =>
        database.Db.WriteAsync(transaction => store.SetStatusAsync(transaction, id, status, Now, actor ?? owner, CancellationToken.None));

    private Task<IReadOnlyList<Escalation>> DueAsync(int limit = 10) => store.ListOpenDueBeforeAsync(Now, limit, CancellationToken.None);

    [DatabaseFact]
    public async Task Creating_an_escalation_opens_it_and_records_who_raised_it()
    {
        var dueAt = Now.AddHours(4);

        var id = await CreateAsync("CASE-9", dueAt);

        var escalation = await store.GetAsync(id, CancellationToken.None);
        Assert.Equal(new Escalation
        {
            Id = id,
            CaseRef = "CASE-9",
            Summary = "Refund stuck on CASE-9",
            RequesterPersonId = requester,
            DepartmentId = department,
            OwnerPersonId = owner,
            Status = EscalationStatus.Open,
            DueAt = dueAt,
            CreatedAt = Now,
            UpdatedAt = Now,
        }, escalation);
        var created = Assert.Single(await store.EventsAsync(id, CancellationToken.None));
        Assert.Equal((EscalationEventKind.Created, (long?)requester, Now), (created.Kind, created.ActorPersonId, created.OccurredAt));
        Assert.Null(await store.GetAsync(id + 1000, CancellationToken.None));
    }

    [DatabaseFact]
    public async Task Each_status_change_and_note_joins_the_history_in_order()
    {
        var id = await CreateAsync();
        clock.Advance(TimeSpan.FromMinutes(10));
        await SetStatusAsync(id, EscalationStatus.Acknowledged);
        clock.Advance(TimeSpan.FromMinutes(10));
        await database.Db.WriteAsync(transaction => store.AddEventAsync(transaction, id, "comment", owner, "Waiting for the bank", CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(10));
        await SetStatusAsync(id, EscalationStatus.Resolved);

        var events = await store.EventsAsync(id, CancellationToken.None);
        var escalation = (await store.GetAsync(id, CancellationToken.None))!;

        Assert.Equal([EscalationEventKind.Created, EscalationStatus.Acknowledged, "comment", EscalationStatus.Resolved], events.Select(e => e.Kind));
        Assert.Equal("Waiting for the bank", events[2].Note);
        Assert.Equal(Now, events[3].OccurredAt);
        Assert.Equal(EscalationStatus.Resolved, escalation.Status);
        Assert.Equal(Now, escalation.ResolvedAt);
        Assert.Equal(owner, escalation.ResolvedByPersonId);
        Assert.Equal(Now, escalation.UpdatedAt);
    }

    [DatabaseFact]
    public async Task Changing_a_missing_escalation_writes_nothing()
    {
        var id = await CreateAsync();

        var changed = await SetStatusAsync(id + 1000, EscalationStatus.Acknowledged);
        var snoozed = await database.Db.WriteAsync(transaction => store.SnoozeAsync(transaction, id + 1000, Now.AddHours(1), Now, owner, CancellationToken.None));

        Assert.False(changed);
        Assert.False(snoozed);
        Assert.Empty(await store.EventsAsync(id + 1000, CancellationToken.None));
    }

    [DatabaseFact]
    public async Task Snoozing_needs_its_own_method_because_it_needs_an_end()
    {
        var id = await CreateAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => SetStatusAsync(id, EscalationStatus.Snoozed));
    }

    [DatabaseFact]
    public async Task A_snoozed_escalation_is_not_due_until_its_snooze_ends()
    {
        var id = await CreateAsync(dueAt: Now);
        var until = Now.AddHours(2);
        await database.Db.WriteAsync(transaction => store.SnoozeAsync(transaction, id, until, Now, owner, CancellationToken.None));

        clock.Advance(TimeSpan.FromHours(1));
        var whileSnoozed = await DueAsync();
        clock.Advance(TimeSpan.FromHours(1));
        var afterwards = await DueAsync();

        Assert.Empty(whileSnoozed);
        var due = Assert.Single(afterwards);
        Assert.Equal((EscalationStatus.Snoozed, (DateTime?)until), (due.Status, due.SnoozedUntil));
        var snoozed = (await store.EventsAsync(id, CancellationToken.None))[^1];
        Assert.Equal((EscalationStatus.Snoozed, "2026-11-23T11:00:00.0000000Z"), (snoozed.Kind, snoozed.Note));
    }

    [DatabaseFact]
    public async Task Acknowledging_ends_a_snooze_and_reopening_clears_a_resolution()
    {
        var id = await CreateAsync(dueAt: Now);
        await database.Db.WriteAsync(transaction => store.SnoozeAsync(transaction, id, Now.AddDays(1), Now, owner, CancellationToken.None));
        await SetStatusAsync(id, EscalationStatus.Acknowledged);
        var acknowledged = (await store.GetAsync(id, CancellationToken.None))!;
        await SetStatusAsync(id, EscalationStatus.Resolved);
        await SetStatusAsync(id, EscalationStatus.Open, actor: requester);
        var reopened = (await store.GetAsync(id, CancellationToken.None))!;

        Assert.Null(acknowledged.SnoozedUntil);
        Assert.Equal((EscalationStatus.Open, (DateTime?)null, (long?)null), (reopened.Status, reopened.ResolvedAt, reopened.ResolvedByPersonId));
        Assert.Equal([id], (await DueAsync()).Select(e => e.Id));
    }

    [DatabaseFact]
    public async Task The_sweeper_gets_unresolved_escalations_due_by_then_most_overdue_first_up_to_its_limit()
    {
        var start = Now;
        var acknowledged = await CreateAsync("A", dueAt: start.AddHours(2));
        var rerouted = await CreateAsync("B", dueAt: start.AddHours(1));
        var open = await CreateAsync("C", dueAt: start.AddHours(3));
        var resolved = await CreateAsync("D", dueAt: start);
        await CreateAsync("E", dueAt: start.AddHours(5));
        await SetStatusAsync(acknowledged, EscalationStatus.Acknowledged);
        await SetStatusAsync(rerouted, EscalationStatus.Rerouted);
        await SetStatusAsync(resolved, EscalationStatus.Resolved);
        clock.Set(new DateTimeOffset(start.AddHours(3)));

        Assert.Equal([rerouted, acknowledged, open], (await DueAsync()).Select(e => e.Id));
        Assert.Equal([rerouted, acknowledged], (await DueAsync(limit: 2)).Select(e => e.Id));
    }

    [DatabaseFact]
    public async Task Resolved_escalations_are_found_by_case_latest_resolution_first()
    {
        var earlier = await CreateAsync("CASE-5");
        var later = await CreateAsync("CASE-5");
        await CreateAsync("CASE-5");
        var otherCase = await CreateAsync("CASE-6");
        await SetStatusAsync(earlier, EscalationStatus.Resolved);
        await SetStatusAsync(otherCase, EscalationStatus.Resolved);
        clock.Advance(TimeSpan.FromHours(1));
        await SetStatusAsync(later, EscalationStatus.Resolved, actor: requester);

        var found = await store.FindResolvedByCaseRefAsync("CASE-5", CancellationToken.None);

        Assert.Equal([later, earlier], found.Select(e => e.Id));
        Assert.Equal(requester, found[0].ResolvedByPersonId);
        Assert.Empty(await store.FindResolvedByCaseRefAsync("CASE-404", CancellationToken.None));
    }

    [DatabaseFact]
    public async Task Nudges_count_against_their_recipient_from_a_given_time()
    {
        var id = await CreateAsync();
        var start = Now;
        Task<bool> Nudge(long recipient, string stage, DateTime sentAt, long? outboxMessageId = null) =>
            database.Db.WriteAsync(transaction => store.TryRecordNudgeAsync(transaction,
                new NewNudge(id, 0, stage + recipient, NudgeRecipientKind.Person, recipient, null, null, outboxMessageId, sentAt), CancellationToken.None));
        await Nudge(owner, "first", start.AddDays(-2));
        await Nudge(owner, "second", start.AddHours(-1));
        await Nudge(owner, "lead", start, outboxMessageId: 42);
        await Nudge(requester, "first", start);

        var (sinceYesterday, sinceNow) = await database.Db.WriteAsync(async transaction => (
            await store.CountNudgesForRecipientSinceAsync(transaction, owner, start.AddDays(-1), CancellationToken.None),
            await store.CountNudgesForRecipientSinceAsync(transaction, owner, start, CancellationToken.None)));

        Assert.Equal(2, sinceYesterday);
        Assert.Equal(1, sinceNow);
    }

    [DatabaseFact]
    public async Task A_stage_of_a_round_is_recorded_once_and_a_second_try_is_refused()
    {
        var id = await CreateAsync();
        Task<bool> Nudge(int round) => database.Db.WriteAsync(transaction => store.TryRecordNudgeAsync(transaction,
            new NewNudge(id, round, "due", NudgeRecipientKind.Channel, null, "slack", "C0BILLING", null, Now), CancellationToken.None));

        Assert.True(await Nudge(0));
        Assert.False(await Nudge(0));
        Assert.True(await Nudge(1));
        var nudges = await database.Db.WriteAsync(transaction => store.NudgesAsync(transaction, id, CancellationToken.None));
        Assert.Equal([(0, "C0BILLING"), (1, "C0BILLING")], nudges.Select(n => (n.Round, n.RecipientAddress!)));
    }

    [DatabaseFact]
    public async Task The_sweeper_sees_what_is_due_for_a_look_and_never_a_closed_escalation()
    {
        var due = await database.Db.WriteAsync(transaction => store.CreateAsync(transaction,
            new NewEscalation("CASE-1", "Refund", requester, department, null, Now) { NextNudgeAt = Now.AddMinutes(-1) }, CancellationToken.None));
        var later = await database.Db.WriteAsync(transaction => store.CreateAsync(transaction,
            new NewEscalation("CASE-2", "Refund", requester, department, null, Now) { NextNudgeAt = Now.AddHours(1) }, CancellationToken.None));
        var cancelled = await database.Db.WriteAsync(transaction => store.CreateAsync(transaction,
            new NewEscalation("CASE-3", "Refund", requester, department, null, Now) { NextNudgeAt = Now.AddMinutes(-2) }, CancellationToken.None));
        await SetStatusAsync(cancelled, EscalationStatus.Cancelled);

        var found = await store.ListDueForNudgeAsync(Now, 10, CancellationToken.None);

        Assert.Equal([due], found.Select(e => e.Id));
        Assert.DoesNotContain(later, found.Select(e => e.Id));
    }

    [DatabaseFact]
    public async Task An_escalation_is_found_by_its_source_and_external_id()
    {
        var id = await database.Db.WriteAsync(transaction => store.CreateAsync(transaction,
            new NewEscalation("CASE-7", "Refund", requester, department, null, Now) { Source = "helpdesk", ExternalId = "HD-7" }, CancellationToken.None));

        var found = await database.Db.WriteAsync(transaction => store.FindByExternalIdAsync(transaction, "helpdesk", "HD-7", CancellationToken.None));
        var otherCase = await database.Db.WriteAsync(transaction => store.FindByExternalIdAsync(transaction, "helpdesk", "hd-7", CancellationToken.None));

        Assert.Equal(id, found?.Id);
        Assert.Null(otherCase);
    }
}

public sealed class EscalationStoreTestsOnSqlite() : EscalationStoreTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class EscalationStoreTestsOnSqlServer() : EscalationStoreTests(DatabaseKind.SqlServer);
