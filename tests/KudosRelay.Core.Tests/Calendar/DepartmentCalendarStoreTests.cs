using Dapper;
using KudosRelay.Core.Calendar;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Calendar;

public abstract class DepartmentCalendarStoreTests(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase database = null!;
    private DepartmentCalendarStore store = null!;
    private long billing;
    private long support;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        store = new DepartmentCalendarStore(database.Db);
        billing = await SeedRows.DepartmentAsync(database.Db, "billing");
        support = await SeedRows.DepartmentAsync(database.Db, "support");
        await database.Db.WithConnectionAsync(connection => connection.ExecuteAsync("""
            UPDATE departments SET time_zone = 'Europe/Sofia', work_start_minute = 480, work_end_minute = 1440, working_days = 'Mon,Wed,Fri'
            WHERE id = @Id
            """, new { Id = billing }), CancellationToken.None);
        await database.Db.WithConnectionAsync(connection => connection.ExecuteAsync(
            "INSERT INTO department_holidays (department_id, holiday) VALUES (@Id, @Holiday)",
            new[] { new { Id = billing, Holiday = "2026-12-25" }, new { Id = billing, Holiday = "2026-12-24" }, new { Id = support, Holiday = "2027-01-01" } }),
            CancellationToken.None);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [DatabaseFact]
    public async Task A_departments_hours_are_its_zone_hours_days_holidays_and_sla()
    {
        var hours = await database.Db.WriteAsync(transaction => store.LoadAsync(transaction, billing, CancellationToken.None));

        Assert.NotNull(hours);
        Assert.Equal("billing", hours.Key);
        Assert.Equal(TimeSpan.FromHours(4), hours.Sla);
        Assert.Equal("Europe/Sofia", hours.Hours.Zone.Id);
        Assert.Equal((480, 1440), (hours.Hours.WorkStartMinute, hours.Hours.WorkEndMinute));
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday], hours.Hours.WorkingDays);
        Assert.Equal([new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25)], hours.Hours.Holidays);
    }

    [DatabaseFact]
    public async Task The_due_time_is_the_sla_counted_in_the_departments_working_time()
    {
        var hours = await database.Db.WriteAsync(transaction => store.LoadAsync(transaction, support, CancellationToken.None));

        // UTC, 09:00–17:00, Monday to Friday, 4 hours: raised on Friday at 15:00, due on Monday at 11:00.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 11, 0, 0, TimeSpan.Zero), hours!.DueAt(new DateTimeOffset(2026, 11, 27, 15, 0, 0, TimeSpan.Zero)));
    }

    [DatabaseFact]
    public async Task An_unknown_department_has_no_hours()
    {
        Assert.Null(await database.Db.WriteAsync(transaction => store.LoadAsync(transaction, support + 100, CancellationToken.None)));
    }

    [DatabaseFact]
    public async Task Every_departments_hours_load_at_once_each_with_its_own_holidays()
    {
        var all = await database.Db.WriteAsync(transaction => store.LoadAllAsync(transaction, CancellationToken.None));

        Assert.Equal([billing, support], all.Keys.Order());
        Assert.Equal(2, all[billing].Hours.Holidays.Count);
        Assert.Equal([new DateOnly(2027, 1, 1)], all[support].Hours.Holidays);
    }
}

public sealed class DepartmentCalendarStoreTestsOnSqlite() : DepartmentCalendarStoreTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class DepartmentCalendarStoreTestsOnSqlServer() : DepartmentCalendarStoreTests(DatabaseKind.SqlServer);
