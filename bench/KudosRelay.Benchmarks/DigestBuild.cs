using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using KudosRelay.Core.Digests;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using KudosRelay.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace KudosRelay.Benchmarks;

/// <summary>
/// Builds weekly digests on a SQLite file seeded with a year of history: 1,000,000 kudos (a quarter with the
/// customer's words), 100,000 escalations, 5,000 people in 200 teams and 10 departments, one team digest
/// subscription per team. Reports one team's digest (cold, then the median of 20), all 200 in a row (the
/// manager variant too), and the process's peak working set.
/// </summary>
internal static class DigestBuild
{
    private static readonly DateTime YearStart = new(2025, 12, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var kudos = args.Int("kudos", 1_000_000);
        var escalations = args.Int("escalations", 100_000);
        var people = args.Int("people", 5_000);
        var teams = args.Int("teams", 200);
        var folder = Directory.CreateTempSubdirectory("kudosrelay-bench-digest-");
        try
        {
            var db = DatabaseConnections.Create(SqlDialect.Sqlite, $"Data Source={Path.Combine(folder.FullName, "digest.db")}");
            await new Migrator(db, TimeProvider.System).ApplyAsync(CancellationToken.None);
            var seeding = Stopwatch.StartNew();
            await SeedAsync(db, kudos, escalations, people, teams);
            Console.WriteLine($"seeded {kudos:N0} kudos, {escalations:N0} escalations, {people:N0} people, {teams} teams in {seeding.Elapsed.TotalSeconds:F1} s");

            var clock = new FixedClock(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
            var store = new DigestStore(db);
            var scheduler = new DigestScheduler(db, store, new DigestRunStore(db, clock), new OutboxStore(db, clock), new DigestSchedulerOptions(), clock, NullLogger<DigestScheduler>.Instance);
            var subscriptions = (await store.ListAsync(CancellationToken.None)).ToList();
            var week = DigestScheduler.WeekNamed(subscriptions[0], "2026-W47")!;

            var cold = Stopwatch.StartNew();
            await scheduler.PreviewAsync(subscriptions[0], week, CancellationToken.None);
            var coldMs = cold.Elapsed.TotalMilliseconds;
            var single = new List<double>();
            foreach (var subscription in subscriptions.Take(20))
            {
                var one = Stopwatch.StartNew();
                await scheduler.PreviewAsync(subscription, week, CancellationToken.None);
                single.Add(one.Elapsed.TotalMilliseconds);
            }
            single.Sort();
            var all = Stopwatch.StartNew();
            foreach (var subscription in subscriptions)
                await scheduler.PreviewAsync(subscription, week, CancellationToken.None);
            var allSeconds = all.Elapsed.TotalSeconds;
            var managers = Stopwatch.StartNew();
            foreach (var subscription in subscriptions)
                await scheduler.PreviewAsync(subscription with { Variant = "manager" }, week, CancellationToken.None);
            var managerSeconds = managers.Elapsed.TotalSeconds;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"one team's digest: {coldMs:F1} ms cold, median {single[single.Count / 2]:F1} ms, max {single[^1]:F1} ms of 20 teams"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"all {subscriptions.Count} team digests: {allSeconds:F2} s; all {subscriptions.Count} manager digests: {managerSeconds:F2} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MB, managed heap {GC.GetTotalMemory(false) / 1024 / 1024} MB"));
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task SeedAsync(Db db, int kudos, int escalations, int people, int teams)
    {
        var stamp = Stamp(YearStart);
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            await ExecuteManyAsync(connection, transaction, "INSERT INTO people (id, email, display_name, time_zone, locale, created_at, updated_at) VALUES (@A, @B, @C, 'UTC', 'en', @D, @D)",
                Enumerable.Range(1, people).Select(i => new object[] { i, $"p{i}@example.com", $"Person{i} Surname{i % 97}", stamp }));
            await ExecuteManyAsync(connection, transaction, "INSERT INTO teams (id, team_key, name, created_at, updated_at) VALUES (@A, @B, @C, @D, @D)",
                Enumerable.Range(1, teams).Select(i => new object[] { i, $"team{i}", $"Team {i}", stamp }));
            await ExecuteManyAsync(connection, transaction, "INSERT INTO team_members (team_id, person_id) VALUES (@A, @B)",
                Enumerable.Range(1, people).Select(i => new object[] { (i - 1) % teams + 1, i }));
            await ExecuteManyAsync(connection, transaction, """
                INSERT INTO departments (id, department_key, name, sla_minutes, work_start_minute, work_end_minute, working_days, time_zone, created_at, updated_at)
                VALUES (@A, @B, @C, 480, 540, 1020, 'Mon,Tue,Wed,Thu,Fri', 'Europe/Sofia', @D, @D)
                """, Enumerable.Range(1, 10).Select(i => new object[] { i, $"dept{i}", $"Department {i}", stamp }));
            await ExecuteManyAsync(connection, transaction, "INSERT INTO department_members (department_id, person_id) VALUES (@A, @B)",
                Enumerable.Range(1, people).Select(i => new object[] { (i - 1) % 10 + 1, i }));
            await ExecuteManyAsync(connection, transaction, """
                INSERT INTO digest_subscriptions (name, platform, channel_id, scope_kind, scope_key, variant, day_of_week, local_time, time_zone, enabled, created_at, updated_at)
                VALUES (@A, 'slack', @B, 'team', @C, 'team', 5, '15:00', 'Europe/Sofia', 1, @D, @D)
                """, Enumerable.Range(1, teams).Select(i => new object[] { $"team{i:D3}-weekly", $"C{i:D6}", $"team{i}", stamp }));
        }, CancellationToken.None);

        var span = TimeSpan.FromDays(364).Ticks;
        for (var first = 0; first < kudos; first += 20_000)
        {
            var count = Math.Min(20_000, kudos - first);
            await db.InTransactionAsync(async (connection, transaction) =>
            {
                var rows = Enumerable.Range(first, count).Select(i =>
                {
                    var at = Stamp(YearStart.AddTicks(span / kudos * i));
                    var recipient = i % people + 1;
                    var team = (recipient - 1) % teams + 1;
                    var peer = i % 10 == 0;
                    return (i, at, recipient, team, peer, withWords: i % 4 == 0 && !peer);
                }).ToList();
                await ExecuteManyAsync(connection, transaction, """
                    INSERT INTO feedback_items (id, source, external_id, received_at, agent_person_id, team_id, rating_scale, rating_value, score, customer_name, redacted_text, status, created_at, updated_at)
                    VALUES (@A, 'survey', @B, @C, @D, @E, 'csat5', 5, 0.9, 'Maria', @F, 'relayed', @C, @C)
                    """, rows.Where(r => r.withWords).Select(r => new object[] { r.i + 1, $"f{r.i}", r.at, r.recipient, r.team,
                        $"Agent {r.recipient} sorted out order ORD-{r.i} in {r.i % 50 + 5} minutes and e-mailed [email] the confirmation. Thank you!" }));
                await ExecuteManyAsync(connection, transaction, """
                    INSERT INTO kudos (kind, feedback_item_id, giver_person_id, recipient_person_id, team_id, text, cross_department, status, created_at)
                    VALUES (@A, @B, @C, @D, @E, '', @F, 'relayed', @G)
                    """, rows.Select(r => new object?[] { r.peer ? "peer" : "customer", r.withWords ? r.i + 1 : null, r.peer ? (r.recipient % people) + 1 : null,
                        r.recipient, r.peer ? null : r.team, r.peer || r.i % 97 == 0 ? 1 : 0, r.at }));
            }, CancellationToken.None);
        }

        await db.InTransactionAsync(async (connection, transaction) =>
            await ExecuteManyAsync(connection, transaction, """
                INSERT INTO escalations (case_ref, summary, requester_person_id, department_id, status, due_at, resolved_at, resolved_by_person_id, created_at, updated_at)
                VALUES (@A, 'A customer waits', @B, @C, @D, @E, @F, @G, @H, @H)
                """, Enumerable.Range(0, escalations).Select(i =>
            {
                var created = YearStart.AddTicks(span / escalations * i);
                var resolved = i % 5 != 0;
                var department = i % 10 + 1;
                return new object?[] { $"CASE-{i}", i % people + 1, department, resolved ? "resolved" : "open", Stamp(created.AddHours(8)),
                    resolved ? Stamp(created.AddHours(i % 30 + 1)) : null, resolved ? (i * 7 % people) + 1 : null, Stamp(created) };
            })), CancellationToken.None);
    }

    private static string Stamp(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>One prepared command for many rows; parameters @A, @B, … in order.</summary>
    private static async Task ExecuteManyAsync(DbConnection connection, DbTransaction transaction, string sql, IEnumerable<object?[]> rows)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        DbParameter[]? parameters = null;
        foreach (var row in rows)
        {
            if (parameters is null)
            {
                parameters = [.. row.Select((_, index) =>
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@" + (char)('A' + index);
                    command.Parameters.Add(parameter);
                    return parameter;
                })];
                command.Prepare();
            }
            for (var index = 0; index < row.Length; index++)
                parameters[index].Value = row[index] ?? DBNull.Value;
            await command.ExecuteNonQueryAsync();
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
