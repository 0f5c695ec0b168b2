using System.Diagnostics;
using Dapper;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using KudosRelay.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace KudosRelay.Benchmarks;

/// <summary>
/// The escalation sweeper on a SQLite file holding <c>--escalations</c> escalations (default 1,000,000), of which
/// <c>--due</c> (default 10,000) are due now: the due query alone, and one whole pass (query, decide, record the nudges,
/// enqueue their messages, set each next look, commit). Owners are 2,000 people, a fifth of the escalations have none and
/// go to one of 20 department channels; the departments work around the clock with budgets that never bind, so every due
/// escalation is nudged (the worst case for a pass). The open escalations that are not due carry a nudge from a month
/// ago, as a live database would. Each run starts from the same state; the first is reported apart. Beside each pass,
/// the floor: the due rows read, and the very rows the pass wrote written again bare.
/// </summary>
internal static class SweepThroughput
{
    private const int People = 2_000;
    private const int Departments = 20;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var escalations = args.Int("escalations", 1_000_000);
        var due = args.Int("due", 10_000);
        var runs = args.Int("runs", 5);
        var folder = Directory.CreateTempSubdirectory("kudosrelay-bench-");
        try
        {
            var db = DatabaseConnections.Create(SqlDialect.Sqlite, $"Data Source={Path.Combine(folder.FullName, "bench.db")}");
            await new Migrator(db, TimeProvider.System).ApplyAsync(CancellationToken.None);
            var now = DateTimeOffset.UtcNow;
            var seeding = Stopwatch.StartNew();
            await SeedAsync(db, escalations, due, now.UtcDateTime);
            Console.WriteLine($"seeded {escalations:N0} escalations ({due:N0} due) in {seeding.Elapsed.TotalSeconds:F1} s");

            var clock = new FixedClock(now);
            var store = new NudgeSweepStore(db);
            var sweep = new EscalationSweep(db, store, new DepartmentCalendarStore(db), new OutboxStore(db, clock), clock, NullLogger<EscalationSweep>.Instance);

            var queries = new List<double>();
            var passes = new List<double>();
            var cpu = new List<double>();
            var floors = new List<double>();
            var plainReads = new List<double>();
            var process = Process.GetCurrentProcess();
            var sent = 0;
            for (var run = 0; run < runs; run++)
            {
                await ResetAsync(db, due, now.UtcDateTime);
                var started = Stopwatch.GetTimestamp();
                var found = await db.InTransactionAsync((_, transaction) => store.ListDueAsync(transaction, now.UtcDateTime, EscalationSweep.PassSize, CancellationToken.None), CancellationToken.None);
                queries.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (found.Count != Math.Min(due, EscalationSweep.PassSize))
                    throw new InvalidOperationException($"the query found {found.Count} due escalations, not {due}");

                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                started = Stopwatch.GetTimestamp();
                var result = await sweep.RunOnceAsync(CancellationToken.None);
                passes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                sent = result.Nudged;
                if (run == 0)
                    Console.WriteLine($"one pass: {result.Due:N0} due, {result.Nudged:N0} nudges in {result.Messages:N0} messages, {result.Deferred} put off");

                var written = await PassWritesAsync(db, due);
                await ResetAsync(db, due, now.UtcDateTime);
                started = Stopwatch.GetTimestamp();
                plainReads.Add(await WriteBareAsync(db, written, now.UtcDateTime));
                floors.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            Console.WriteLine($"due query alone: first {queries[0]:F1} ms; then median {Median(queries.Skip(1)):F1} ms, max {queries.Skip(1).DefaultIfEmpty().Max():F1} ms; "
                + $"the same rows read with a plain reader (its floor): median {Median(plainReads.Skip(1)):F1} ms");
            Console.WriteLine($"whole pass (query + decide + record + enqueue + commit): first {passes[0]:F1} ms; then median {Median(passes.Skip(1)):F1} ms, max {passes.Skip(1).DefaultIfEmpty().Max():F1} ms");
            Console.WriteLine($"whole pass, CPU time of this process: median {Median(cpu.Skip(1)):F1} ms (the load average of the machine was {LoadAverage()})");
            Console.WriteLine($"floor (the due rows read, then the pass's own outbox rows, nudge rows and next looks written bare, one prepared command each): median {Median(floors.Skip(1)):F1} ms; the pass takes {Median(passes.Skip(1)) / Median(floors.Skip(1)):F2} x the floor");
            return sent == Math.Min(due, EscalationSweep.PassSize) ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" on {Environment.ProcessorCount} cores" : "unknown";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    /// <summary>Escalations 1…due are due a day ago; the rest look again in a day or later, or are closed (no next look).</summary>
    private static Task SeedAsync(Db db, int escalations, int due, DateTime now) =>
        db.InTransactionAsync(async (connection, transaction) =>
        {
            var seeded = now.AddYears(-1);
            await connection.ExecuteAsync("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @People)
                INSERT INTO people (email, display_name, time_zone, locale, created_at, updated_at)
                SELECT 'person' || i || '@example.com', 'Person ' || i, 'UTC', CASE i % 4 WHEN 0 THEN 'en' WHEN 1 THEN 'bg' WHEN 2 THEN 'ru' ELSE 'ro' END, @Seeded, @Seeded FROM n
                """, new { People, Seeded = seeded }, transaction);
            await connection.ExecuteAsync("""
                INSERT INTO chat_identities (person_id, platform, workspace_id, user_id, updated_at)
                SELECT id, 'slack', 'T1', 'U' || id, @Seeded FROM people
                """, new { Seeded = seeded }, transaction);
            await connection.ExecuteAsync("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @Departments)
                INSERT INTO departments (department_key, name, lead_person_id, sla_minutes, work_start_minute, work_end_minute, working_days, time_zone,
                                         nudge_daily_budget, nudge_weekly_budget, created_at, updated_at)
                SELECT 'dept' || i, 'Department ' || i, i + 1, 480, 0, 1440, 'Mon,Tue,Wed,Thu,Fri,Sat,Sun', 'UTC', 1000, 10000, @Seeded, @Seeded FROM n
                """, new { Departments, Seeded = seeded }, transaction);
            await connection.ExecuteAsync("""
                INSERT INTO department_channels (department_id, platform, channel_id) SELECT id, 'slack', 'C' || id FROM departments
                """, transaction: transaction);
            await connection.ExecuteAsync("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @Escalations)
                INSERT INTO escalations (case_ref, case_url, summary, note, requester_person_id, department_id, owner_person_id, status,
                                         due_at, next_nudge_at, created_at, updated_at)
                SELECT 'CASE-' || i, 'https://helpdesk.example/cases/' || i, 'A refund of a double charge on invoice ' || i,
                       CASE WHEN i % 3 = 0 THEN 'The customer has called twice.' END,
                       1, 1 + i % @Departments, CASE WHEN i % 5 = 0 THEN NULL ELSE 2 + i % (@People - 1) END,
                       CASE WHEN i > @Due AND i % 2 = 0 THEN 'resolved' ELSE 'open' END,
                       @DueAt, CASE WHEN i <= @Due THEN @DueAt WHEN i % 2 = 0 THEN NULL ELSE @Later END, @Created, @Created
                FROM n
                """, new { Escalations = escalations, Due = due, People, Departments, DueAt = now.AddDays(-1), Later = now.AddDays(2), Created = now.AddDays(-2) }, transaction);
            // The history a sweeper finds in a live database: the escalations still open were nudged a month ago.
            await connection.ExecuteAsync("""
                INSERT INTO nudges (escalation_id, round, stage, recipient_kind, recipient_person_id, recipient_platform, recipient_address, sent_at)
                SELECT id, 0, 'due', 'person', owner_person_id, 'slack', 'U' || owner_person_id, @Sent
                FROM escalations WHERE id > @Due AND next_nudge_at IS NOT NULL AND owner_person_id IS NOT NULL
                """, new { Due = due, Sent = now.AddDays(-30) }, transaction);
        }, CancellationToken.None);

    /// <summary>Puts the due escalations back as they were before a pass, outside the measured time.</summary>
    private static async Task ResetAsync(Db db, int due, DateTime now)
    {
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("UPDATE escalations SET next_nudge_at = @DueAt WHERE id <= @Due", new { Due = due, DueAt = now.AddDays(-1) }, transaction);
            await connection.ExecuteAsync("DELETE FROM nudges WHERE escalation_id <= @Due", new { Due = due }, transaction);
            await connection.ExecuteAsync("DELETE FROM outbox_messages", transaction: transaction);
        }, CancellationToken.None);
        await db.WithConnectionAsync(connection => connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)"), CancellationToken.None);
    }

    /// <summary>What a pass wrote, read back outside the measured time: the floor writes exactly these rows again.</summary>
    private sealed record PassWrites(IReadOnlyList<object?[]> Messages, IReadOnlyList<object?[]> Nudges, IReadOnlyList<(long Id, string? Next)> Looks);

    private static Task<PassWrites> PassWritesAsync(Db db, int due) =>
        db.InTransactionAsync(async (connection, transaction) => new PassWrites(
            await RowsAsync(connection, transaction, $"SELECT {FloorMessageColumns} FROM outbox_messages ORDER BY id"),
            await RowsAsync(connection, transaction, $"SELECT {FloorNudgeColumns} FROM nudges WHERE escalation_id <= {due} ORDER BY id"),
            [.. (await connection.QueryAsync<(long, string?)>("SELECT id, next_nudge_at FROM escalations WHERE id <= @Due", new { Due = due }, transaction))]), CancellationToken.None);

    private const string FloorMessageColumns = "idempotency_key, platform, target_kind, target_address, workspace_id, body, status, next_attempt_at, created_at";
    private const string FloorNudgeColumns = "escalation_id, round, stage, recipient_person_id, recipient_kind, recipient_platform, recipient_address, outbox_message_id, sent_at";

    private static async Task<IReadOnlyList<object?[]>> RowsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// The least a pass can cost here: the due rows read with a plain reader, then the very rows the pass wrote, inserted
    /// and updated through the prepared-rows path the sweeper writes with, with no deciding, composing or serialising.
    /// </summary>
    private static Task<double> WriteBareAsync(Db db, PassWrites written, DateTime now) =>
        db.InTransactionAsync(async (connection, transaction) =>
        {
            var reading = Stopwatch.GetTimestamp();
            await using (var due = connection.CreateCommand())
            {
                due.Transaction = transaction;
                due.CommandText = "SELECT * FROM escalations WHERE next_nudge_at <= @Now ORDER BY next_nudge_at, id LIMIT 10000";
                Parameter(due, "@Now").Value = now;
                await using var reader = await due.ExecuteReaderAsync();
                var values = new object[reader.FieldCount];
                while (await reader.ReadAsync())
                    reader.GetValues(values);
            }
            var read = Stopwatch.GetElapsedTime(reading).TotalMilliseconds;
            await InsertAllAsync(db, transaction, "outbox_messages", FloorMessageColumns, written.Messages);
            await InsertAllAsync(db, transaction, "nudges", FloorNudgeColumns, written.Nudges);
            await PreparedRows.ExecuteAsync(db, transaction, "UPDATE escalations SET next_nudge_at = @Next WHERE id = @Id", written.Looks,
                [new("Next", look => look.Next), new("Id", look => look.Id)], CancellationToken.None);
            return read;
        }, CancellationToken.None);

    /// <summary>Inserts <paramref name="rows"/> as read, through the prepared-rows path the sweeper writes with.</summary>
    private static Task<int> InsertAllAsync(Db db, System.Data.Common.DbTransaction transaction, string table, string columns, IReadOnlyList<object?[]> rows)
    {
        var names = columns.Split(", ");
        return PreparedRows.ExecuteAsync(db, transaction, $"INSERT INTO {table} ({columns}) VALUES ({string.Join(", ", names.Select(name => "@" + name))})", rows,
            [.. names.Select((name, index) => new RowParameter<object?[]>(name, row => row[index] is DBNull ? null : row[index]))], CancellationToken.None);
    }

    private static System.Data.Common.DbParameter Parameter(System.Data.Common.DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
