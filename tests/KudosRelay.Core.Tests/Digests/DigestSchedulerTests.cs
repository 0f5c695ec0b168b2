using Dapper;
using KudosRelay.Core.Digests;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using KudosRelay.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace KudosRelay.Core.Tests.Digests;

/// <summary>The scheduler driven by a manual clock: weeks pass in milliseconds, on a real SQLite database.</summary>
public sealed class DigestSchedulerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    // Sunday 03:30 in Sofia does not exist on 2027-03-28 and happens twice on 2027-10-31; Sunday 02:30 in New York
    // does not exist on 2027-03-14; Sunday 01:30 there happens twice on 2027-11-07. Kolkata has no daylight saving.
    private const string Organisation = """
        people:
          - { email: ana@example.com, name: Ana Petrova }
        digests:
          - { name: sofia-friday, channel: { slack: C0SOFIA }, scope: { organisation: true }, day: Friday, time: "15:00", timeZone: Europe/Sofia }
          - { name: sofia-night, channel: { slack: C0NIGHT }, scope: { organisation: true }, day: Sunday, time: "03:30", timeZone: Europe/Sofia }
          - { name: new-york-gap, channel: { slack: C0NYGAP }, scope: { organisation: true }, day: Sunday, time: "02:30", timeZone: America/New_York }
          - { name: new-york-twice, channel: { slack: C0NYTWICE }, scope: { organisation: true }, day: Sunday, time: "01:30", timeZone: America/New_York }
          - { name: kolkata, channel: { teams: "19:kolkata@thread.tacv2" }, scope: { organisation: true }, day: Monday, time: "09:00", timeZone: Asia/Kolkata }
        """;

    private readonly ManualClock clock = new(Start);
    private TestDatabase database = null!;

    private async Task<TestDatabase> DatabaseAsync() => database = await TestOrganisation.CreateAsync(DatabaseKind.Sqlite, Organisation, clock);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (database is not null)
            await database.DisposeAsync();
    }

    private DigestScheduler Scheduler(Db db) =>
        new(db, new DigestStore(db), new DigestRunStore(db, clock), new OutboxStore(db, clock), new DigestSchedulerOptions(), clock, NullLogger<DigestScheduler>.Instance);

    [Fact]
    public async Task Over_a_year_every_subscription_gets_one_digest_per_week_in_its_own_time_zone_across_daylight_saving_changes()
    {
        var db = (await DatabaseAsync()).Db;
        var scheduler = Scheduler(db);

        for (var at = Start; at <= Start.AddDays(365); at = at.AddHours(1))
        {
            clock.Set(at);
            await scheduler.RunDueAsync(CancellationToken.None);
        }

        var subscriptions = await new DigestStore(db).ListAsync(CancellationToken.None);
        var runStore = new DigestRunStore(db, clock);
        foreach (var subscription in subscriptions)
        {
            var runs = await runStore.ListAsync(subscription.Id, CancellationToken.None);
            var schedule = subscription.Schedule()!;
            // Every week once, none skipped: consecutive Mondays from the first week to the last.
            var mondays = runs.Select(run => DigestScheduling.ParseWeek(run.IsoWeek)!.Value).ToList();
            Assert.True(runs.Count is 52 or 53, $"{subscription.Name}: {runs.Count} digests");
            Assert.All(mondays.Zip(mondays.Skip(1)), pair => Assert.Equal(pair.First.AddDays(7), pair.Second));
            Assert.All(runs, run => Assert.Equal(DigestRunStatus.Completed, run.Status));
            Assert.DoesNotContain(runs, run => run.Late);
            // Each went out within the hour after it was due: on its local day at its local time, or right after the
            // skipped hour on a spring-forward night, and at the first of the two on an autumn night.
            foreach (var run in runs)
            {
                var monday = DigestScheduling.ParseWeek(run.IsoWeek)!.Value;
                var sendDay = monday.AddDays(7 + schedule.IsoDay - 1);
                var due = DigestScheduling.DueAt(schedule, Week.Of(monday, schedule.Zone));
                var dueLocal = TimeZoneInfo.ConvertTime(due, schedule.Zone);
                var wanted = sendDay.ToDateTime(schedule.LocalTime);
                Assert.Equal(sendDay, DateOnly.FromDateTime(dueLocal.DateTime));
                if (!schedule.Zone.IsInvalidTime(wanted))
                    Assert.Equal(schedule.LocalTime, TimeOnly.FromDateTime(dueLocal.DateTime));
                if (schedule.Zone.IsAmbiguousTime(wanted))
                    Assert.Equal(schedule.Zone.GetAmbiguousTimeOffsets(wanted).Max(), dueLocal.Offset);
                var claimed = new DateTimeOffset(DateTime.SpecifyKind(run.CreatedAt, DateTimeKind.Utc));
                Assert.InRange(claimed - due, TimeSpan.Zero, TimeSpan.FromHours(1));
            }
        }
        var keys = await OutboxKeysAsync(db);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(keys.Count, await db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM digest_runs"), CancellationToken.None));
    }

    [Fact]
    public void A_spring_forward_night_moves_the_digest_past_the_skipped_hour_and_an_autumn_night_sends_it_once()
    {
        var sofia = TimeZoneInfo.FindSystemTimeZoneById("Europe/Sofia");
        var schedule = new DigestSchedule(7, new TimeOnly(3, 30), sofia);

        var spring = DigestScheduling.DueAt(schedule, Week.Of(new DateOnly(2027, 3, 15), sofia));
        var autumn = DigestScheduling.DueAt(schedule, Week.Of(new DateOnly(2027, 10, 18), sofia));

        // 03:30 does not exist on 28 March: the clocks go from 03:00 straight to 04:00 (01:00 UTC).
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 1, 0, 0, TimeSpan.Zero), spring);
        // 03:30 happens twice on 31 October: the first time, still in summer time (00:30 UTC).
        Assert.Equal(new DateTimeOffset(2027, 10, 31, 0, 30, 0, TimeSpan.Zero), autumn);
        // Half an hour after the first 03:30, the second 03:30 still names the same week, which is sent already.
        Assert.Equal(DigestScheduling.LatestDue(schedule, autumn).Week, DigestScheduling.LatestDue(schedule, autumn.AddHours(1)).Week);
    }

    [Fact]
    public async Task Three_weeks_of_downtime_yield_one_digest_for_the_latest_week_marked_late()
    {
        var db = (await DatabaseAsync()).Db;
        var scheduler = Scheduler(db);
        // Friday 4 December 2026, 15:10 in Sofia: the digest of week 48 is due.
        clock.Set(new DateTimeOffset(2026, 12, 4, 13, 10, 0, TimeSpan.Zero));
        await scheduler.RunDueAsync(CancellationToken.None);

        // Down until Monday 28 December 2026: the digests of weeks 49, 50 and 51 were due meanwhile.
        clock.Set(new DateTimeOffset(2026, 12, 28, 8, 0, 0, TimeSpan.Zero));
        var sentAfterDowntime = await scheduler.RunDueAsync(CancellationToken.None);
        var sentAgain = await scheduler.RunDueAsync(CancellationToken.None);

        var sofia = (await new DigestStore(db).FindAsync("sofia-friday", CancellationToken.None))!;
        var runs = await new DigestRunStore(db, clock).ListAsync(sofia.Id, CancellationToken.None);
        Assert.Equal([("2026-W48", false), ("2026-W51", true)], runs.Select(run => (run.IsoWeek, run.Late)));
        Assert.Equal(0, sentAgain);
        Assert.True(sentAfterDowntime >= 1);
        var body = await db.WithConnectionAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT body FROM outbox_messages WHERE idempotency_key = @Key", new { Key = $"digest:{sofia.Id}:2026-W51" }), CancellationToken.None);
        Assert.Contains("after its usual time", body);
        Assert.DoesNotContain("late", body!.Replace("\"late\"", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Two_instances_on_one_database_send_one_digest_per_subscription_and_week()
    {
        var first = (await DatabaseAsync()).Db;
        var second = database.AnotherInstance();
        var schedulers = new[] { Scheduler(first), Scheduler(second) };
        var weeks = 6;

        var sent = 0;
        for (var at = Start; at <= Start.AddDays(7 * weeks); at = at.AddHours(1))
        {
            clock.Set(at);
            // Task.Run: SQLite blocks the calling thread while it waits for the write lock.
            var passes = await Task.WhenAll(schedulers.Select(scheduler => Task.Run(() => scheduler.RunDueAsync(CancellationToken.None))));
            sent += passes.Sum();
        }

        var runs = await first.WithConnectionAsync(c => c.QueryAsync<(long, string)>("SELECT subscription_id, iso_week FROM digest_runs"), CancellationToken.None);
        var keys = await OutboxKeysAsync(first);
        Assert.Equal(runs.Count(), runs.Distinct().Count());
        Assert.InRange(runs.Count(), 5 * weeks - 5, 5 * weeks);
        Assert.Equal(runs.Count(), keys.Count);
        Assert.Equal(runs.Count(), sent);
    }

    private static async Task<List<string>> OutboxKeysAsync(Db db) =>
        (await db.WithConnectionAsync(c => c.QueryAsync<string>("SELECT idempotency_key FROM outbox_messages"), CancellationToken.None)).ToList();
}
