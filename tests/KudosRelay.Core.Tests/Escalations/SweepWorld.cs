using System.Text.Json;
using Dapper;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using KudosRelay.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KudosRelay.Core.Tests.Escalations;

/// <summary>
/// An organisation on a real database, a manual clock and the sweeper: people in their zones, departments with hours,
/// holidays and channels, escalations; then the clock walks and the sweeper runs as the worker would.
/// </summary>
internal sealed class SweepWorld(TestDatabase database, ManualClock clock) : IAsyncDisposable
{
    private static readonly DateTime Seeded = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public TestDatabase Database { get; } = database;

    public ManualClock Clock { get; } = clock;

    public Db Db => Database.Db;

    public static async Task<SweepWorld> CreateAsync(DatabaseKind kind, DateTimeOffset start) =>
        new(await TestDatabase.CreateAsync(kind), new ManualClock(start));

    public EscalationSweep Sweeper(Db? db = null)
    {
        var on = db ?? Db;
        return new EscalationSweep(on, new NudgeSweepStore(on), new DepartmentCalendarStore(on), new OutboxStore(on, Clock), Clock, NullLogger<EscalationSweep>.Instance);
    }

    /// <summary>A department's own <c>nudges:</c> values, as the org import stores them (null: the default).</summary>
    public Task NudgePolicyAsync(long department, string? headsUp = null, string? reminders = null, bool? leadNote = null, int? daily = null, int? weekly = null) =>
        ExecuteAsync("""
            UPDATE departments SET nudge_heads_up_before = @HeadsUp, nudge_reminders = @Reminders, nudge_lead_note = @LeadNote,
                   nudge_daily_budget = @Daily, nudge_weekly_budget = @Weekly
            WHERE id = @Id
            """, new { Id = department, HeadsUp = headsUp, Reminders = reminders, LeadNote = leadNote is null ? (int?)null : leadNote.Value ? 1 : 0, Daily = daily, Weekly = weekly });

    public async Task<long> PersonAsync(string name, string zone = "Europe/Sofia", string locale = "en", bool inChat = true)
    {
        var id = await InsertAsync("people", "email, display_name, time_zone, locale, created_at, updated_at", "@Email, @Name, @Zone, @Locale, @Now, @Now",
            new { Email = $"{name.ToLowerInvariant()}@example.com", Name = $"{name} Example", Zone = zone, Locale = locale, Now = Seeded });
        if (inChat)
            await ExecuteAsync("INSERT INTO chat_identities (person_id, platform, workspace_id, user_id, updated_at) VALUES (@Id, 'slack', 'T1', @User, @Now)",
                new { Id = id, User = $"U{name.ToUpperInvariant()}", Now = Seeded });
        return id;
    }

    public async Task<long> DepartmentAsync(string key, string zone = "Europe/Sofia", long? lead = null, string? channel = null, params string[] holidays)
    {
        var id = await InsertAsync("departments",
            "department_key, name, lead_person_id, sla_minutes, work_start_minute, work_end_minute, working_days, time_zone, created_at, updated_at",
            "@Key, @Name, @Lead, 240, 540, 1020, 'Mon,Tue,Wed,Thu,Fri', @Zone, @Now, @Now",
            new { Key = key, Name = char.ToUpperInvariant(key[0]) + key[1..], Lead = lead, Zone = zone, Now = Seeded });
        await Db.WithConnectionAsync(async c =>
        {
            if (channel is not null)
                await c.ExecuteAsync("INSERT INTO department_channels (department_id, platform, channel_id) VALUES (@Id, 'slack', @Channel)", new { Id = id, Channel = channel });
            foreach (var holiday in holidays)
                await c.ExecuteAsync("INSERT INTO department_holidays (department_id, holiday) VALUES (@Id, @Holiday)", new { Id = id, Holiday = holiday });
            return 0;
        }, CancellationToken.None);
        return id;
    }

    /// <summary>An escalation raised now and due at <paramref name="dueAt"/>, for the sweeper to look at at once.</summary>
    public Task<long> EscalationAsync(long requester, long department, long? owner, DateTimeOffset dueAt, string caseRef = "C-1", string? note = null) =>
        InsertAsync("escalations",
            "case_ref, case_url, summary, note, requester_person_id, department_id, owner_person_id, status, due_at, next_nudge_at, created_at, updated_at",
            "@CaseRef, @Url, @Summary, @Note, @Requester, @Department, @Owner, 'open', @DueAt, @Now, @Now, @Now",
            new
            {
                CaseRef = caseRef,
                Url = $"https://help.example.com/{caseRef}",
                Summary = $"a refund for case {caseRef}",
                Note = note,
                Requester = requester,
                Department = department,
                Owner = owner,
                DueAt = dueAt.UtcDateTime,
                Now = Clock.GetUtcNow().UtcDateTime,
            });

    public Task ExecuteAsync(string sql, object parameters) =>
        Db.WithConnectionAsync(c => c.ExecuteAsync(sql, parameters), CancellationToken.None);

    /// <summary>Runs the sweeper every <paramref name="step"/> until <paramref name="until"/>, as the worker's timer would.</summary>
    public async Task WalkAsync(TimeSpan step, DateTimeOffset until, params EscalationSweep[] sweepers)
    {
        var all = sweepers.Length > 0 ? sweepers : [Sweeper()];
        while (Clock.GetUtcNow() < until)
        {
            await Task.WhenAll(all.Select(sweeper => sweeper.RunOnceAsync(CancellationToken.None)));
            Clock.Advance(step);
        }
    }

    public async Task<IReadOnlyList<SentNudgeRow>> NudgesAsync() =>
        (await Db.WithConnectionAsync(c => c.QueryAsync<SentNudgeRow>("""
            SELECT n.escalation_id AS EscalationId, n.stage AS Stage, n.recipient_kind AS RecipientKind, n.recipient_person_id AS PersonId,
                   n.recipient_address AS Address, n.sent_at AS SentAt, n.outbox_message_id AS MessageId, n.round AS Round
            FROM nudges n ORDER BY n.sent_at, n.id
            """), CancellationToken.None)).AsList();

    public async Task<IReadOnlyList<OutboxRow>> MessagesAsync() =>
        (await Db.WithConnectionAsync(c => c.QueryAsync<OutboxRow>("""
            SELECT id AS Id, idempotency_key AS IdempotencyKey, target_kind AS TargetKind, target_address AS TargetAddress, body AS Body, created_at AS CreatedAt
            FROM outbox_messages ORDER BY id
            """), CancellationToken.None)).AsList();

    public Task<DateTime?> NextNudgeAtAsync(long escalation) =>
        Db.WithConnectionAsync(c => c.ExecuteScalarAsync<DateTime?>("SELECT next_nudge_at FROM escalations WHERE id = @Id", new { Id = escalation }), CancellationToken.None);

    private Task<long> InsertAsync(string table, string columns, string values, object parameters)
    {
        var sql = Db.Dialect switch
        {
            SqlDialect.Sqlite => $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id",
            _ => $"INSERT INTO {table} ({columns}) OUTPUT inserted.id VALUES ({values})",
        };
        return Db.WithConnectionAsync(c => c.QuerySingleAsync<long>(sql, parameters), CancellationToken.None);
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}

internal sealed record SentNudgeRow
{
    public long EscalationId { get; init; }
    public string Stage { get; init; } = "";
    public string RecipientKind { get; init; } = "";
    public long? PersonId { get; init; }
    public string? Address { get; init; }
    public DateTime SentAt { get; init; }
    public long? MessageId { get; init; }
    public int Round { get; init; }

    public DateTimeOffset LocalIn(string zone) => TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(SentAt, DateTimeKind.Utc)), TimeZones.Find(zone));
}

internal sealed record OutboxRow
{
    public long Id { get; init; }
    public string IdempotencyKey { get; init; } = "";
    public string TargetKind { get; init; } = "";
    public string TargetAddress { get; init; } = "";
    public string Body { get; init; } = "";
    public DateTime CreatedAt { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ChatMessage Message => JsonSerializer.Deserialize<ChatMessage>(Body, Json)!;
}
