using System.Data.Common;
using Dapper;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Tests;

/// <summary>
/// The people, teams, departments and digest subscriptions that store tests point at, written with
/// plain INSERTs so these tests do not depend on the stores that own those tables.
/// </summary>
internal static class SeedRows
{
    private static readonly DateTime Now = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    public static Task<long> PersonAsync(Db db, string name) => InsertAsync(db, "people",
        "email, display_name, time_zone, locale, created_at, updated_at",
        "@Email, @Name, 'Europe/Sofia', 'en', @Now, @Now",
        new { Email = $"{name}@example.com", Name = name, Now });

    public static Task<long> TeamAsync(Db db, string key) => InsertAsync(db, "teams",
        "team_key, name, created_at, updated_at",
        "@Key, @Key, @Now, @Now",
        new { Key = key, Now });

    public static Task<long> DepartmentAsync(Db db, string key) => InsertAsync(db, "departments",
        "department_key, name, sla_minutes, work_start_minute, work_end_minute, working_days, time_zone, created_at, updated_at",
        "@Key, @Key, 240, 540, 1020, 'Mon,Tue,Wed,Thu,Fri', 'UTC', @Now, @Now",
        new { Key = key, Now });

    public static Task<long> DigestSubscriptionAsync(Db db, string name) => InsertAsync(db, "digest_subscriptions",
        "name, platform, channel_id, scope_kind, scope_key, variant, day_of_week, local_time, time_zone, enabled, created_at, updated_at",
        "@Name, 'test', 'C0123', 'all', NULL, 'full', 1, '09:00', 'UTC', 1, @Now, @Now",
        new { Name = name, Now });

    /// <summary>Runs <paramref name="work"/> in a committed transaction of its own.</summary>
    public static Task<T> WriteAsync<T>(this Db db, Func<DbTransaction, Task<T>> work) =>
        db.InTransactionAsync((_, transaction) => work(transaction), CancellationToken.None);

    private static Task<long> InsertAsync(Db db, string table, string columns, string values, object parameters)
    {
        var sql = db.Dialect switch
        {
            SqlDialect.Sqlite => $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id",
            SqlDialect.SqlServer => $"INSERT INTO {table} ({columns}) OUTPUT inserted.id VALUES ({values})",
            _ => throw new NotSupportedException(db.Dialect.ToString()),
        };
        return db.WithConnectionAsync(connection => connection.QuerySingleAsync<long>(
            new CommandDefinition(sql, parameters, cancellationToken: CancellationToken.None)), CancellationToken.None);
    }
}
