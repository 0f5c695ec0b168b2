using System.Data.Common;
using System.Globalization;
using Dapper;
using KudosRelay.Core.Calendar;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Digests;

/// <summary>
/// Reads what a digest tells about one scope (a team, a department or the organisation) and one week: the rows
/// as they are, for <see cref="DigestBuilder"/> to count and choose from. Each query filters by the scope through a
/// subquery, never through a list of ids, so a scope of thousands of people is one statement on both databases.
/// </summary>
internal sealed class DigestQuery(SqlDialect dialect)
{
    /// <summary>How many weeks the trend line shows, the digest's week being the last.</summary>
    public const int TrendWeeks = 8;

    public async Task<DigestFacts?> LoadAsync(DbConnection connection, DbTransaction? transaction, DigestSubscription subscription, Week week, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(connection, transaction, subscription, cancellationToken);
        if (scope is null)
            return null;
        var sql = DigestStatements.For(subscription.ScopeKind);
        var weeks = Enumerable.Range(0, TrendWeeks).Select(i => week.Before(zone, TrendWeeks - 1 - i)).ToList();
        var trendParameters = TrendParameters(scope.Id, weeks);
        var previous = weeks[^2];
        var parameters = new
        {
            ScopeId = scope.Id,
            week.From,
            week.To,
            PreviousFrom = previous.From,
            Customer = KudosKind.Customer,
            Peer = KudosKind.Peer,
            Withdrawn = KudosStatus.Withdrawn,
        };

        async Task<List<T>> Query<T>(string text, object values) =>
            (await connection.QueryAsync<T>(new CommandDefinition(text, values, transaction, cancellationToken: cancellationToken))).ToList();

        var trend = await connection.QuerySingleAsync<TrendRow>(new CommandDefinition(sql.KudosTrend, trendParameters, transaction, cancellationToken: cancellationToken));
        var customerKudos = await Query<CustomerKudosRow>(sql.CustomerKudos, parameters);
        var travelled = await Query<NamedRow>(sql.Travelled, parameters);
        var peer = await Query<PeerKudosRow>(sql.PeerKudos, parameters);
        var resolved = await Query<ResolvedRow>(sql.Resolved, parameters);
        var stillOpen = await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql.StillOpen, parameters, transaction, cancellationToken: cancellationToken));
        var holidays = resolved.Count == 0 ? Array.Empty<HolidayRow>().ToLookup(row => row.DepartmentId, _ => default(DateOnly)) : await HolidaysAsync(connection, transaction, cancellationToken);

        IReadOnlyList<PersonTrend> people = [];
        if (subscription.IsManagerVariant)
        {
            var kudosByPerson = await Query<PersonTrendRow>(sql.KudosByPerson, trendParameters);
            var resolvedByPerson = await Query<PersonTrendRow>(sql.ResolvedByPerson, trendParameters);
            var ids = kudosByPerson.Select(row => row.PersonId).Union(resolvedByPerson.Select(row => row.PersonId)).ToHashSet();
            var names = (await Query<NamedRow>(sql.Members, parameters))
                .Where(row => ids.Contains(row.PersonId)).ToDictionary(row => row.PersonId, row => row.Name);
            var kudos = kudosByPerson.ToDictionary(row => row.PersonId, row => row.Counts);
            var solved = resolvedByPerson.ToDictionary(row => row.PersonId, row => row.Counts);
            people = names.Select(pair => new PersonTrend(pair.Key, pair.Value,
                kudos.GetValueOrDefault(pair.Key) ?? new int[TrendWeeks], solved.GetValueOrDefault(pair.Key) ?? new int[TrendWeeks])).ToList();
        }

        return new DigestFacts
        {
            Scope = scope,
            Week = week,
            KudosTrend = trend.Counts,
            CustomerKudos = customerKudos,
            Travelled = travelled,
            PeerKudos = peer,
            Resolved = resolved.Select(row => row.ToResolution(holidays)).ToList(),
            StillOpen = stillOpen,
            People = people,
        };
    }

    private static async Task<DigestScope?> ScopeAsync(DbConnection connection, DbTransaction? transaction, DigestSubscription subscription, CancellationToken cancellationToken)
    {
        var sql = subscription.ScopeKind switch
        {
            OrgScopeKinds.Team => "SELECT id AS Id, name AS Name FROM teams WHERE LOWER(team_key) = LOWER(@Key)",
            OrgScopeKinds.Department => "SELECT id AS Id, name AS Name FROM departments WHERE LOWER(department_key) = LOWER(@Key)",
            OrgScopeKinds.Organisation => null,
            _ => throw new NotSupportedException($"digest scope {subscription.ScopeKind}"),
        };
        if (sql is null)
            return new DigestScope(subscription.ScopeKind, 0, null);
        var row = await connection.QuerySingleOrDefaultAsync<ScopeRow>(new CommandDefinition(
            sql, new { Key = subscription.ScopeKey }, transaction, cancellationToken: cancellationToken));
        return row is { } found ? new DigestScope(subscription.ScopeKind, found.Id, found.Name) : null;
    }

    private async Task<ILookup<long, DateOnly>> HolidaysAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = dialect switch
        {
            SqlDialect.Sqlite => "SELECT department_id AS DepartmentId, holiday AS Holiday FROM department_holidays",
            // Style 23 is yyyy-mm-dd, the form SQLite stores.
            SqlDialect.SqlServer => "SELECT department_id AS DepartmentId, CONVERT(char(10), holiday, 23) AS Holiday FROM department_holidays",
            _ => throw new NotSupportedException(dialect.ToString()),
        };
        var rows = await connection.QueryAsync<HolidayRow>(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
        return rows.Where(row => OrgValues.ParseDate(row.Holiday) is not null).ToLookup(row => row.DepartmentId, row => OrgValues.ParseDate(row.Holiday)!.Value);
    }

    private static DynamicParameters TrendParameters(long scopeId, List<Week> weeks)
    {
        var parameters = new DynamicParameters(new
        {
            ScopeId = scopeId,
            Customer = KudosKind.Customer,
            Withdrawn = KudosStatus.Withdrawn,
        });
        for (var i = 0; i < weeks.Count; i++)
            parameters.Add(string.Create(CultureInfo.InvariantCulture, $"B{i}"), weeks[i].From);
        parameters.Add(string.Create(CultureInfo.InvariantCulture, $"B{weeks.Count}"), weeks[^1].To);
        return parameters;
    }

    private class TrendRow
    {
        public long? W0 { get; init; }
        public long? W1 { get; init; }
        public long? W2 { get; init; }
        public long? W3 { get; init; }
        public long? W4 { get; init; }
        public long? W5 { get; init; }
        public long? W6 { get; init; }
        public long? W7 { get; init; }

        public int[] Counts => [.. new[] { W0, W1, W2, W3, W4, W5, W6, W7 }.Select(count => (int)(count ?? 0))];
    }

    private sealed class PersonTrendRow : TrendRow
    {
        public long PersonId { get; init; }
    }

    private sealed record ScopeRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
    }

    private sealed record HolidayRow
    {
        public long DepartmentId { get; init; }
        public string Holiday { get; init; } = "";
    }

    private sealed record ResolvedRow
    {
        public long DepartmentId { get; init; }
        public string DepartmentName { get; init; } = "";
        public string TimeZone { get; init; } = "UTC";
        public int WorkStartMinute { get; init; }
        public int WorkEndMinute { get; init; }
        public string WorkingDays { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime ResolvedAt { get; init; }
        public DateTime DueAt { get; init; }
        public long? ResolverId { get; init; }
        public string? ResolverName { get; init; }

        public Resolution ToResolution(ILookup<long, DateOnly> holidays) => new(
            DepartmentId, DepartmentName,
            new BusinessHours(TimeZones.Find(TimeZone), WorkStartMinute, WorkEndMinute, OrgValues.ParseWorkingDays(WorkingDays), [.. holidays[DepartmentId]]),
            CreatedAt, ResolvedAt, DueAt, ResolverId, ResolverName);
    }
}

/// <summary>
/// The statements a digest sends for one kind of scope. Every piece is a constant chosen by the scope's kind, never
/// input, and each statement is put together once, from locals, so that a test can parse every one of them for SQL Server.
/// </summary>
internal sealed class DigestStatements
{
    private static readonly Dictionary<string, DigestStatements> ByKind = new[] { OrgScopeKinds.Team, OrgScopeKinds.Department, OrgScopeKinds.Organisation }
        .ToDictionary(kind => kind, kind => new DigestStatements(kind));

    public static DigestStatements For(string scopeKind) =>
        ByKind.GetValueOrDefault(scopeKind) ?? throw new NotSupportedException($"digest scope {scopeKind}");

    public static IEnumerable<string> KindsOfScope => ByKind.Keys;

    private const string Relayed = "k.status <> @Withdrawn AND k.kind = @Customer";
    private const string TrendEnd = "@B8";

    private DigestStatements(string scopeKind)
    {
        var members = scopeKind switch
        {
            OrgScopeKinds.Team => "SELECT m.person_id FROM team_members m WHERE m.team_id = @ScopeId",
            OrgScopeKinds.Department => "SELECT m.person_id FROM department_members m WHERE m.department_id = @ScopeId",
            _ => "SELECT m.id FROM people m",
        };
        var recipientIsMember = $"k.recipient_person_id IN ({members})";
        var giverIsMember = $"k.giver_person_id IN ({members})";
        var requesterIsMember = $"e.requester_person_id IN ({members})";
        var resolverIsMember = $"e.resolved_by_person_id IN ({members})";
        var personIsMember = $"p.id IN ({members})";
        // Customer kudos the scope received itself; praise passed on to a resolver elsewhere is cross-department.
        var customer = scopeKind switch
        {
            OrgScopeKinds.Team => $"{Relayed} AND k.cross_department = 0 AND k.team_id = @ScopeId",
            OrgScopeKinds.Department => $"{Relayed} AND k.cross_department = 0 AND {recipientIsMember}",
            _ => $"{Relayed} AND k.cross_department = 0",
        };
        // Customer praise that travelled on to someone who resolved the case: a team's customers' praise, or a department's people's.
        var travelled = scopeKind switch
        {
            OrgScopeKinds.Team => $"{Relayed} AND k.cross_department = 1 AND k.team_id = @ScopeId",
            OrgScopeKinds.Department => $"{Relayed} AND k.cross_department = 1 AND {recipientIsMember}",
            _ => $"{Relayed} AND k.cross_department = 1",
        };
        // The escalations the scope raised (a department's own answers are not cross-team thanks).
        var escalations = scopeKind switch
        {
            OrgScopeKinds.Team => requesterIsMember,
            OrgScopeKinds.Department => $"{requesterIsMember} AND e.department_id <> @ScopeId",
            _ => "1 = 1",
        };
        var kudosSums = TrendSums("k.created_at");
        var resolvedSums = TrendSums("e.resolved_at");

        KudosTrend = $"SELECT {kudosSums} FROM kudos k WHERE {customer} AND k.created_at >= @B0 AND k.created_at < {TrendEnd}";
        CustomerKudos = $"""
            SELECT k.id AS Id, k.recipient_person_id AS RecipientId, p.display_name AS RecipientName, t.name AS TeamName,
                   f.redacted_text AS Words, f.customer_name AS Customer, f.score AS Score
            FROM kudos k
            LEFT JOIN feedback_items f ON f.id = k.feedback_item_id
            LEFT JOIN people p ON p.id = k.recipient_person_id
            LEFT JOIN teams t ON t.id = k.team_id
            WHERE {customer} AND k.created_at >= @From AND k.created_at < @To
            ORDER BY k.id
            """;
        Travelled = $"""
            SELECT k.recipient_person_id AS PersonId, p.display_name AS Name
            FROM kudos k JOIN people p ON p.id = k.recipient_person_id
            WHERE {travelled} AND k.created_at >= @From AND k.created_at < @To
            """;
        // Two halves rather than one OR, so each half reads its own index (by recipient, by giver) for the week.
        PeerKudos = $"""
            SELECT k.giver_person_id AS GiverId, k.recipient_person_id AS RecipientId, p.display_name AS RecipientName,
                   1 AS ToMember, CASE WHEN {giverIsMember} THEN 1 ELSE 0 END AS FromMember
            FROM kudos k LEFT JOIN people p ON p.id = k.recipient_person_id
            WHERE {recipientIsMember} AND k.kind = @Peer AND k.cross_department = 1 AND k.status <> @Withdrawn
              AND k.created_at >= @From AND k.created_at < @To
            UNION ALL
            SELECT k.giver_person_id AS GiverId, k.recipient_person_id AS RecipientId, p.display_name AS RecipientName,
                   0 AS ToMember, 1 AS FromMember
            FROM kudos k LEFT JOIN people p ON p.id = k.recipient_person_id
            WHERE {giverIsMember} AND NOT ({recipientIsMember}) AND k.kind = @Peer AND k.cross_department = 1 AND k.status <> @Withdrawn
              AND k.created_at >= @From AND k.created_at < @To
            """;
        Resolved = $"""
            SELECT e.department_id AS DepartmentId, d.name AS DepartmentName, d.time_zone AS TimeZone,
                   d.work_start_minute AS WorkStartMinute, d.work_end_minute AS WorkEndMinute, d.working_days AS WorkingDays,
                   e.created_at AS CreatedAt, e.resolved_at AS ResolvedAt, e.due_at AS DueAt,
                   e.resolved_by_person_id AS ResolverId, p.display_name AS ResolverName
            FROM escalations e
            JOIN departments d ON d.id = e.department_id
            LEFT JOIN people p ON p.id = e.resolved_by_person_id
            WHERE {escalations} AND e.resolved_at >= @PreviousFrom AND e.resolved_at < @To
            """;
        StillOpen = $"""
            SELECT COUNT(*) FROM escalations e
            WHERE {escalations} AND e.created_at < @To AND (e.resolved_at IS NULL OR e.resolved_at >= @To)
            """;
        KudosByPerson = $"""
            SELECT k.recipient_person_id AS PersonId, {kudosSums}
            FROM kudos k
            WHERE {recipientIsMember} AND k.status <> @Withdrawn AND k.created_at >= @B0 AND k.created_at < {TrendEnd}
            GROUP BY k.recipient_person_id
            """;
        ResolvedByPerson = $"""
            SELECT e.resolved_by_person_id AS PersonId, {resolvedSums}
            FROM escalations e
            WHERE {resolverIsMember} AND e.resolved_at >= @B0 AND e.resolved_at < {TrendEnd}
            GROUP BY e.resolved_by_person_id
            """;
        Members = $"SELECT p.id AS PersonId, p.display_name AS Name FROM people p WHERE {personIsMember}";
    }

    /// <summary>Customer kudos per trend week (W0 … W7 between @B0 … @B8).</summary>
    public string KudosTrend { get; }
    public string CustomerKudos { get; }
    public string Travelled { get; }
    public string PeerKudos { get; }
    public string Resolved { get; }
    public string StillOpen { get; }
    public string KudosByPerson { get; }
    public string ResolvedByPerson { get; }
    public string Members { get; }

    public IEnumerable<string> All => [KudosTrend, CustomerKudos, Travelled, PeerKudos, Resolved, StillOpen, KudosByPerson, ResolvedByPerson, Members];

    private static string TrendSums(string column) => string.Join(", ", Enumerable.Range(0, DigestQuery.TrendWeeks).Select(i =>
        string.Create(CultureInfo.InvariantCulture, $"SUM(CASE WHEN {column} >= @B{i} AND {column} < @B{i + 1} THEN 1 ELSE 0 END) AS W{i}")));
}

/// <summary>What a digest is about: a team or department (its id and name) or the whole organisation (no name).</summary>
internal sealed record DigestScope(string Kind, long Id, string? Name);

/// <summary>Everything one digest tells, as read from the database.</summary>
internal sealed record DigestFacts
{
    public required DigestScope Scope { get; init; }
    public required Week Week { get; init; }

    /// <summary>Customer kudos per week, oldest first; the last is <see cref="Week"/>.</summary>
    public required IReadOnlyList<int> KudosTrend { get; init; }
    public required IReadOnlyList<CustomerKudosRow> CustomerKudos { get; init; }
    public required IReadOnlyList<NamedRow> Travelled { get; init; }
    public required IReadOnlyList<PeerKudosRow> PeerKudos { get; init; }

    /// <summary>Escalations resolved in this week and the week before.</summary>
    public required IReadOnlyList<Resolution> Resolved { get; init; }
    public required int StillOpen { get; init; }

    /// <summary>Manager variant only: each member with anything to count in the trend weeks.</summary>
    public required IReadOnlyList<PersonTrend> People { get; init; }
}

internal sealed record CustomerKudosRow
{
    public long Id { get; init; }
    public long? RecipientId { get; init; }
    public string? RecipientName { get; init; }
    public string? TeamName { get; init; }
    public string? Words { get; init; }
    public string? Customer { get; init; }
    public double? Score { get; init; }
}

internal sealed record NamedRow
{
    public long PersonId { get; init; }
    public string Name { get; init; } = "";
}

internal sealed record PeerKudosRow
{
    public long? GiverId { get; init; }
    public long? RecipientId { get; init; }
    public string? RecipientName { get; init; }
    public bool ToMember { get; init; }
    public bool FromMember { get; init; }
}

/// <summary>One escalation resolved by <paramref name="DepartmentName"/>, whose working hours are <paramref name="Hours"/>.</summary>
internal sealed record Resolution(
    long DepartmentId, string DepartmentName, BusinessHours Hours, DateTime CreatedAt, DateTime ResolvedAt, DateTime DueAt, long? ResolverId, string? ResolverName);

/// <summary>One person's counts per trend week, oldest first.</summary>
internal sealed record PersonTrend(long PersonId, string Name, IReadOnlyList<int> Kudos, IReadOnlyList<int> Resolved);
