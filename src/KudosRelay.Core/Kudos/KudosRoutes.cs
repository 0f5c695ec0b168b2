using System.Data.Common;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Kudos;

/// <summary>
/// The people, teams, channels and identities feedback is routed to, looked up once per transaction:
/// a batch of a thousand items for one team asks the database about that team once. When
/// <paramref name="deferredWrites"/> is given, relays collect their rows there for the batch to write
/// together; otherwise they write at once.
/// </summary>
internal sealed class KudosRoutes(DbTransaction transaction, DeferredKudosWrites? deferredWrites = null)
{
    private readonly Dictionary<string, Person?> agentsByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, Person?> peopleById = [];
    private readonly Dictionary<long, IReadOnlyList<ChatIdentity>> identitiesByPerson = [];
    private readonly Dictionary<string, TeamInfo?> teamsByKey = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, TeamInfo?> teamsByMember = [];
    private readonly Dictionary<long, TeamInfo?> teamsById = [];
    private readonly Dictionary<long, IReadOnlyList<ChatChannel>> channelsByTeam = [];

    private KudosRoutes(DbTransaction transaction, KudosRoutes earlier)
        : this(transaction)
    {
        (agentsByEmail, peopleById, identitiesByPerson, teamsByKey, teamsByMember, teamsById, channelsByTeam) =
            (earlier.agentsByEmail, earlier.peopleById, earlier.identitiesByPerson, earlier.teamsByKey, earlier.teamsByMember, earlier.teamsById, earlier.channelsByTeam);
    }

    public DbTransaction Transaction => transaction;

    /// <summary>These routes with what they looked up so far, looking up the rest in <paramref name="next"/> (see <see cref="RecentRoutes"/>).</summary>
    public KudosRoutes ContinuedIn(DbTransaction next) => new(next, this);

    public DeferredKudosWrites? DeferredWrites => deferredWrites;

    public async ValueTask<Person?> AgentAsync(string? email, CancellationToken cancellationToken)
    {
        if (email is not { Length: > 0 })
            return null;
        if (!agentsByEmail.TryGetValue(email, out var agent))
            agentsByEmail[email] = agent = await PeopleLookup.FindByEmailAsync(transaction, email, cancellationToken);
        return agent;
    }

    public async ValueTask<Person?> PersonAsync(long id, CancellationToken cancellationToken)
    {
        if (!peopleById.TryGetValue(id, out var person))
            peopleById[id] = person = await PeopleLookup.GetAsync(transaction, id, cancellationToken);
        return person;
    }

    public async ValueTask<IReadOnlyList<ChatIdentity>> IdentitiesAsync(long? personId, CancellationToken cancellationToken)
    {
        if (personId is not { } id)
            return [];
        if (!identitiesByPerson.TryGetValue(id, out var identities))
            identitiesByPerson[id] = identities = await PeopleLookup.IdentitiesAsync(transaction, id, cancellationToken);
        return identities;
    }

    /// <summary>The team named <paramref name="teamKey"/>, or without one the team of <paramref name="memberId"/>.</summary>
    public async ValueTask<TeamInfo?> TeamAsync(string? teamKey, long? memberId, CancellationToken cancellationToken)
    {
        if (teamKey is { Length: > 0 })
        {
            if (!teamsByKey.TryGetValue(teamKey, out var named))
                teamsByKey[teamKey] = named = await PeopleLookup.FindTeamAsync(transaction, teamKey, memberId, cancellationToken);
            return named;
        }
        if (memberId is not { } member)
            return null;
        if (!teamsByMember.TryGetValue(member, out var team))
            teamsByMember[member] = team = await PeopleLookup.FindTeamAsync(transaction, teamKey, member, cancellationToken);
        return team;
    }

    /// <summary>The team an item was routed to when it was stored.</summary>
    public async ValueTask<TeamInfo?> TeamByIdAsync(long? teamId, CancellationToken cancellationToken)
    {
        if (teamId is not { } id)
            return null;
        if (!teamsById.TryGetValue(id, out var team))
            teamsById[id] = team = await PeopleLookup.FindTeamByIdAsync(transaction, id, cancellationToken);
        return team;
    }

    public async ValueTask<IReadOnlyList<ChatChannel>> ChannelsAsync(TeamInfo? team, CancellationToken cancellationToken)
    {
        if (team is null)
            return [];
        if (!channelsByTeam.TryGetValue(team.Id, out var channels))
            channelsByTeam[team.Id] = channels = await PeopleLookup.TeamChannelsAsync(transaction, team.Id, cancellationToken);
        return channels;
    }
}

/// <summary>
/// Routes a bulk import's reading task looked up, kept for <paramref name="lifetime"/>: batch after batch asks the database
/// about each person and team once in that time instead of once per batch, and a change to the organisation reaches
/// the import within it.
/// </summary>
internal sealed class RecentRoutes(TimeProvider clock, TimeSpan lifetime)
{
    private KudosRoutes? routes;
    private DateTimeOffset lookedUpSince;

    /// <summary>The routes to look up with in <paramref name="transaction"/>: those kept, while they are recent enough, else new ones.</summary>
    public KudosRoutes In(DbTransaction transaction)
    {
        var now = clock.GetUtcNow();
        if (routes is not null && now - lookedUpSince < lifetime)
            return routes = routes.ContinuedIn(transaction);
        lookedUpSince = now;
        return routes = new KudosRoutes(transaction);
    }
}

/// <summary>
/// The rows relays in one batch produce, written by the batch with one prepared statement per table
/// instead of a statement per row (see <see cref="SubmitFeedbackHandler"/>).
/// </summary>
internal sealed class DeferredKudosWrites
{
    public List<KudosItem> Kudos { get; } = [];

    public List<OutboxMessage> Messages { get; } = [];

    public List<FeedbackRouting> Routings { get; } = [];

    public bool IsEmpty => Kudos.Count == 0 && Messages.Count == 0 && Routings.Count == 0;

    public void Clear()
    {
        Kudos.Clear();
        Messages.Clear();
        Routings.Clear();
    }
}
