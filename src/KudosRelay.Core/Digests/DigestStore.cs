using System.Data.Common;
using Dapper;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Digests;

/// <summary>Digest subscriptions (from the organisation file and the command line) and what was sent for them.</summary>
internal sealed class DigestStore(Db db)
{
    // A subscription speaks its own locale, else the organisation's default as it stands when the digest is written.
    private const string Columns = $"""
        s.id AS Id, s.name AS Name, s.platform AS Platform, s.channel_id AS ChannelId, s.scope_kind AS ScopeKind, s.scope_key AS ScopeKey,
        s.variant AS Variant, s.day_of_week AS IsoDay, s.local_time AS LocalTime, s.time_zone AS TimeZone,
        CASE WHEN s.enabled = 1 THEN 1 ELSE 0 END AS Enabled, COALESCE(s.locale, {OrgSettings.DefaultLocaleSql}) AS Locale,
        s.created_at AS CreatedAt
        """;

    /// <summary>Every subscription, by name.</summary>
    public Task<IReadOnlyList<DigestSubscription>> ListAsync(CancellationToken cancellationToken) =>
        db.WithConnectionAsync<IReadOnlyList<DigestSubscription>>(async connection => (await connection.QueryAsync<DigestSubscription>(new CommandDefinition(
            $"SELECT {Columns} FROM digest_subscriptions s ORDER BY s.name", cancellationToken: cancellationToken))).ToList(), cancellationToken);

    /// <summary>The subscription named <paramref name="name"/> in any letter case, or null.</summary>
    public Task<DigestSubscription?> FindAsync(string name, CancellationToken cancellationToken) =>
        db.WithConnectionAsync(connection => connection.QuerySingleOrDefaultAsync<DigestSubscription?>(new CommandDefinition(
            $"SELECT {Columns} FROM digest_subscriptions s WHERE LOWER(s.name) = LOWER(@Name)", new { Name = name }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>The latest week each subscription has a run for ("2026-W47" sorts after "2026-W05" and before "2027-W01").</summary>
    public Task<IReadOnlyDictionary<long, string>> LatestRunWeeksAsync(CancellationToken cancellationToken) =>
        db.WithConnectionAsync<IReadOnlyDictionary<long, string>>(async connection => (await connection.QueryAsync<(long SubscriptionId, string Week)>(new CommandDefinition(
            "SELECT subscription_id AS SubscriptionId, MAX(iso_week) AS Week FROM digest_runs GROUP BY subscription_id",
            cancellationToken: cancellationToken))).ToDictionary(row => row.SubscriptionId, row => row.Week), cancellationToken);

    /// <summary>Whether the week was sent (or is being sent) for the subscription, in the caller's transaction.</summary>
    public static async Task<bool> HasRunAsync(DbTransaction transaction, long subscriptionId, string week, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM digest_runs WHERE subscription_id = @SubscriptionId AND iso_week = @Week",
            new { SubscriptionId = subscriptionId, Week = week }, transaction, cancellationToken: cancellationToken)) > 0;

    /// <summary>Removes a subscription and the record of its runs; false when there is none by that name.</summary>
    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, transaction) =>
        {
            var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT id FROM digest_subscriptions WHERE LOWER(name) = LOWER(@Name)", new { Name = name }, transaction, cancellationToken: cancellationToken));
            if (id is null)
                return false;
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM digest_runs WHERE subscription_id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM digest_subscriptions WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);

    /// <summary>Whether a team or department with this key exists (any letter case).</summary>
    public Task<bool> ScopeExistsAsync(string scopeKind, string key, CancellationToken cancellationToken)
    {
        var sql = scopeKind switch
        {
            OrgScopeKinds.Team => "SELECT COUNT(*) FROM teams WHERE LOWER(team_key) = LOWER(@Key)",
            OrgScopeKinds.Department => "SELECT COUNT(*) FROM departments WHERE LOWER(department_key) = LOWER(@Key)",
            _ => throw new ArgumentException($"no scope kind {scopeKind} has keys", nameof(scopeKind)),
        };
        return db.WithConnectionAsync(async connection =>
            await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { Key = key }, cancellationToken: cancellationToken)) > 0, cancellationToken);
    }
}

/// <summary>A row of <c>digest_subscriptions</c>, its locale resolved.</summary>
internal sealed record DigestSubscription
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Platform { get; init; } = "";
    public string ChannelId { get; init; } = "";
    public string ScopeKind { get; init; } = "";
    public string? ScopeKey { get; init; }
    public string Variant { get; init; } = OrgDigestVariants.Team;
    public int IsoDay { get; init; } = 5;
    public string LocalTime { get; init; } = "15:00";
    public string TimeZone { get; init; } = "UTC";
    public bool Enabled { get; init; } = true;
    public string Locale { get; init; } = OrgDefaults.Locale;
    public DateTime CreatedAt { get; init; }

    public bool IsManagerVariant => Variant == OrgDigestVariants.Manager;

    /// <summary>The schedule, or null when the stored time zone or time is not one this machine knows.</summary>
    public DigestSchedule? Schedule()
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone)
            || OrgValues.ParseClockMinutes(LocalTime, allowEndOfDay: false) is not { } minutes
            || IsoDay is < 1 or > 7)
            return null;
        return new DigestSchedule(IsoDay, new TimeOnly(minutes / 60, minutes % 60), zone);
    }
}
