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
    private readonly Found found = new();

    private KudosRoutes(DbTransaction transaction, KudosRoutes earlier)
        : this(transaction) => found = earlier.found;

    /// <summary>What the lookups found, kept by what they were asked.</summary>
    private sealed class Found
    {
        public Dictionary<string, Person?> AgentsByEmail { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<long, Person?> PeopleById { get; } = [];
        public Dictionary<long, IReadOnlyList<ChatIdentity>> IdentitiesByPerson { get; } = [];
        public Dictionary<string, TeamInfo?> TeamsByKey { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<long, TeamInfo?> TeamsByMember { get; } = [];
        public Dictionary<long, TeamInfo?> TeamsById { get; } = [];
        public Dictionary<long, IReadOnlyList<ChatChannel>> ChannelsByTeam { get; } = [];
    }

    public DbTransaction Transaction => transaction;

    /// <summary>These routes with what they looked up so far, looking up the rest in <paramref name="next"/> (see <see cref="RecentRoutes"/>).</summary>
    public KudosRoutes ContinuedIn(DbTransaction next) => new(next, this);

    public DeferredKudosWrites? DeferredWrites => deferredWrites;

    public async ValueTask<Person?> AgentAsync(string? email, CancellationToken cancellationToken)
    {
        if (email is not { Length: > 0 })
            return null;
        if (!found.AgentsByEmail.TryGetValue(email, out var agent))
            found.AgentsByEmail[email] = agent = await PeopleLookup.FindByEmailAsync(transaction, email, cancellationToken);
        return agent;
    }

    public async ValueTask<Person?> PersonAsync(long id, CancellationToken cancellationToken)
    {
        if (!found.PeopleById.TryGetValue(id, out var person))
            found.PeopleById[id] = person = await PeopleLookup.GetAsync(transaction, id, cancellationToken);
        return person;
    }

    public async ValueTask<IReadOnlyList<ChatIdentity>> IdentitiesAsync(long? personId, CancellationToken cancellationToken)
    {
        if (personId is not { } id)
            return [];
        if (!found.IdentitiesByPerson.TryGetValue(id, out var identities))
            found.IdentitiesByPerson[id] = identities = await PeopleLookup.IdentitiesAsync(transaction, id, cancellationToken);
        return identities;
    }

    /// <summary>The team named <paramref name="teamKey"/>, or without one the team of <paramref name="memberId"/>.</summary>
    public async ValueTask<TeamInfo?> TeamAsync(string? teamKey, long? memberId, CancellationToken cancellationToken)
    {
        if (teamKey is { Length: > 0 })
        {
            if (!found.TeamsByKey.TryGetValue(teamKey, out var named))
                found.TeamsByKey[teamKey] = named = await PeopleLookup.FindTeamAsync(transaction, teamKey, memberId, cancellationToken);
            return named;
        }
        if (memberId is not { } member)
            return null;
        if (!found.TeamsByMember.TryGetValue(member, out var team))
            found.TeamsByMember[member] = team = await PeopleLookup.FindTeamAsync(transaction, teamKey, member, cancellationToken);
        return team;
    }

    /// <summary>The team an item was routed to when it was stored.</summary>
    public async ValueTask<TeamInfo?> TeamByIdAsync(long? teamId, CancellationToken cancellationToken)
    {
        if (teamId is not { } id)
            return null;
        if (!found.TeamsById.TryGetValue(id, out var team))
            found.TeamsById[id] = team = await PeopleLookup.FindTeamByIdAsync(transaction, id, cancellationToken);
        return team;
    }

    public async ValueTask<IReadOnlyList<ChatChannel>> ChannelsAsync(TeamInfo? team, CancellationToken cancellationToken)
    {
        if (team is null)
            return [];
        if (!found.ChannelsByTeam.TryGetValue(team.Id, out var channels))
            found.ChannelsByTeam[team.Id] = channels = await PeopleLookup.TeamChannelsAsync(transaction, team.Id, cancellationToken);
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
