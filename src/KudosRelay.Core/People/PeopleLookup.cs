using System.Data.Common;
using Dapper;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.People;

/// <summary>Who is who: people found by chat identity, their identities and their teams and departments.</summary>
internal static class PeopleLookup
{
    private const string PersonColumns =
        "p.id AS Id, p.email AS Email, p.display_name AS DisplayName, p.time_zone AS TimeZone, p.locale AS Locale";

    // A team speaks its own locale, else the organisation's default as it stands now.
    private const string TeamColumns =
        $"t.id AS Id, t.team_key AS TeamKey, t.name AS Name, t.lead_person_id AS LeadPersonId, t.post_kudos AS PostKudos, COALESCE(t.locale, {OrgSettings.DefaultLocaleSql}) AS Locale";

    /// <summary>The language of the person behind a chat user id; null (English) when the organisation does not know them.</summary>
    public static Task<string?> LocaleOfAsync(Db db, string platform, string userId, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
            (await FindByChatUserAsync(transaction, platform, userId, cancellationToken))?.Locale, cancellationToken);

    /// <summary>The person behind a chat user id on a platform, or null when the organisation does not know them.</summary>
    public static Task<Person?> FindByChatUserAsync(DbTransaction transaction, string platform, string userId, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<Person>(new CommandDefinition($"""
            SELECT {PersonColumns}
            FROM people p JOIN chat_identities i ON i.person_id = p.id
            WHERE i.platform = @Platform AND i.user_id = @UserId
            """, new { Platform = platform, UserId = userId }, transaction, cancellationToken: cancellationToken));

    public static Task<Person?> FindByEmailAsync(DbTransaction transaction, string email, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<Person>(new CommandDefinition($"""
            SELECT {PersonColumns} FROM people p WHERE LOWER(p.email) = LOWER(@Email)
            """, new { Email = email }, transaction, cancellationToken: cancellationToken));

    public static Task<Person?> GetAsync(DbTransaction transaction, long personId, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<Person>(new CommandDefinition($"""
            SELECT {PersonColumns} FROM people p WHERE p.id = @Id
            """, new { Id = personId }, transaction, cancellationToken: cancellationToken));

    /// <summary>A team by its key, or else the first team (by name) the person belongs to.</summary>
    public static async Task<TeamInfo?> FindTeamAsync(DbTransaction transaction, string? teamKey, long? memberId, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        if (teamKey is { Length: > 0 })
            return await connection.QuerySingleOrDefaultAsync<TeamInfo>(new CommandDefinition(
                $"SELECT {TeamColumns} FROM teams t WHERE LOWER(t.team_key) = LOWER(@Key)", new { Key = teamKey }, transaction, cancellationToken: cancellationToken));
        if (memberId is null)
            return null;
        return (await connection.QueryAsync<TeamInfo>(new CommandDefinition(
            $"SELECT {TeamColumns} FROM teams t JOIN team_members m ON m.team_id = t.id WHERE m.person_id = @PersonId ORDER BY t.name, t.id",
            new { PersonId = memberId }, transaction, cancellationToken: cancellationToken))).FirstOrDefault();
    }

    public static Task<TeamInfo?> FindTeamByIdAsync(DbTransaction transaction, long teamId, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<TeamInfo>(new CommandDefinition(
            $"SELECT {TeamColumns} FROM teams t WHERE t.id = @Id",
            new { Id = teamId }, transaction, cancellationToken: cancellationToken));

    public static async Task<IReadOnlyList<ChatChannel>> TeamChannelsAsync(DbTransaction transaction, long teamId, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<ChatChannel>(new CommandDefinition(
            "SELECT platform AS Platform, channel_id AS ChannelId FROM team_channels WHERE team_id = @TeamId ORDER BY platform",
            new { TeamId = teamId }, transaction, cancellationToken: cancellationToken))).ToList();

    public static async Task<IReadOnlyList<ChatIdentity>> IdentitiesAsync(DbTransaction transaction, long personId, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<ChatIdentity>(new CommandDefinition("""
            SELECT platform AS Platform, user_id AS UserId, workspace_id AS Workspace
            FROM chat_identities WHERE person_id = @PersonId ORDER BY platform
            """, new { PersonId = personId }, transaction, cancellationToken: cancellationToken))).ToList();

    /// <summary>The keys and names of the teams and departments a person belongs to.</summary>
    public static async Task<IReadOnlyList<Membership>> MembershipsAsync(DbTransaction transaction, long personId, CancellationToken cancellationToken) =>
        (await transaction.Connection!.QueryAsync<Membership>(new CommandDefinition("""
            SELECT 'team' AS Kind, t.team_key AS UnitKey, t.name AS Name
            FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.person_id = @PersonId
            UNION ALL
            SELECT 'department' AS Kind, d.department_key AS UnitKey, d.name AS Name
            FROM department_members m JOIN departments d ON d.id = m.department_id WHERE m.person_id = @PersonId
            ORDER BY Kind, Name
            """, new { PersonId = personId }, transaction, cancellationToken: cancellationToken))).ToList();

    /// <summary>True when two people share no team and no department: their thanks crosses a boundary.</summary>
    public static async Task<bool> AreInDifferentUnitsAsync(DbTransaction transaction, long first, long second, CancellationToken cancellationToken)
    {
        var shared = await transaction.Connection!.ExecuteScalarAsync<int>(new CommandDefinition("""
            SELECT COUNT(*) FROM (
                SELECT a.team_id AS unit FROM team_members a JOIN team_members b ON a.team_id = b.team_id
                WHERE a.person_id = @First AND b.person_id = @Second
                UNION ALL
                SELECT a.department_id FROM department_members a JOIN department_members b ON a.department_id = b.department_id
                WHERE a.person_id = @First AND b.person_id = @Second) shared_units
            """, new { First = first, Second = second }, transaction, cancellationToken: cancellationToken));
        return shared == 0;
    }
}

internal sealed record Person
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string Locale { get; init; } = "";

    /// <summary>The name colleagues know: the first word of the display name.</summary>
    public string FirstName => DisplayName.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? first : DisplayName;
}

internal sealed record ChatIdentity
{
    public string Platform { get; init; } = "";
    public string UserId { get; init; } = "";
    public string? Workspace { get; init; }
}

internal sealed record TeamInfo
{
    public long Id { get; init; }
    public string TeamKey { get; init; } = "";
    public string Name { get; init; } = "";
    public long? LeadPersonId { get; init; }

    /// <summary>False when customer kudos reach the team's channels only once the agent shares them.</summary>
    public bool PostKudos { get; init; } = true;

    /// <summary>The language of the team's channel posts: the team's own locale, else the organisation's <c>defaultLocale</c>.</summary>
    public string Locale { get; init; } = OrgDefaults.Locale;
}

internal sealed record ChatChannel
{
    public string Platform { get; init; } = "";
    public string ChannelId { get; init; } = "";
}

internal sealed record Membership
{
    public string Kind { get; init; } = "";
    public string UnitKey { get; init; } = "";
    public string Name { get; init; } = "";
}
