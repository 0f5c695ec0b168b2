using System.Data.Common;
using System.Globalization;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Kudos;

/// <summary>Where positive feedback went; <paramref name="Enqueued"/> counts the messages actually queued (keys taken before queue nothing).</summary>
internal sealed record RelayResult(bool Relayed, string Description, int Enqueued = 0);

/// <summary>Who positive feedback reaches: the agent it names, their team, the team's channels and the agent's chat identities.</summary>
internal sealed record RelayRoute(Person? Agent, TeamInfo? Team, IReadOnlyList<ChatChannel> Channels, IReadOnlyList<ChatIdentity> AgentIdentities)
{
    public bool ReachesAnyone => AgentIdentities.Count > 0 || Channels.Count > 0;

    /// <summary>What the feedback item records once relayed along this route.</summary>
    public string Status => ReachesAnyone ? FeedbackStatus.Relayed : FeedbackStatus.Unrouted;
}

internal sealed record ReviewResult(bool Queued, string Description);

/// <summary>
/// Routes positive feedback: a direct message to the agent, a post in their team's kudos channel,
/// and the customer's thanks to whoever in another department resolved the case. Everything is
/// written in the caller's transaction; the outbox keys (<c>feedback:{id}:…</c>) make it happen once.
/// </summary>
internal sealed class KudosRelayer(FeedbackStore feedback, KudosStore kudos, OutboxStore outbox, EscalationStore escalations, TimeProvider clock)
{
    /// <summary>The route of feedback for <paramref name="agentEmail"/> and <paramref name="teamKey"/>, from lookups cached in <paramref name="routes"/>.</summary>
    public static async ValueTask<RelayRoute> RouteAsync(KudosRoutes routes, string? agentEmail, string? teamKey, CancellationToken cancellationToken)
    {
        var agent = await routes.AgentAsync(agentEmail, cancellationToken);
        var team = await routes.TeamAsync(teamKey, agent?.Id, cancellationToken);
        return new RelayRoute(agent, team, await routes.ChannelsAsync(team, cancellationToken), await routes.IdentitiesAsync(agent?.Id, cancellationToken));
    }

    public async Task<RelayResult> RelayAsync(KudosRoutes routes, FeedbackItem item, string? teamKey, CancellationToken cancellationToken)
    {
        var route = await RouteAsync(routes, item.AgentEmail, teamKey, cancellationToken);
        var (agent, team, channels, agentIdentities) = (route.Agent, route.Team, route.Channels, route.AgentIdentities);
        if (!route.ReachesAnyone)
        {
            await SetRoutingAsync(routes, item, route.Status, agent?.Id, team?.Id, cancellationToken);
            return new RelayResult(false, agent is null && team is null
                ? "no person with that e-mail and no team: counted for the digest only"
                : "nobody to tell: no chat identity for the agent and no kudos channel for the team");
        }

        var praise = Praise.Of(item);
        await InsertKudosAsync(routes, new KudosItem
        {
            Kind = KudosKind.Customer,
            FeedbackItemId = item.Id,
            RecipientPersonId = agent?.Id,
            TeamId = team?.Id,
            Status = KudosStatus.Relayed,
        }, cancellationToken);

        // With channel posting off the agent decides whether the team sees it, unless nobody could: then the channel hears it as before.
        var reachableAgent = agentIdentities.Count > 0 ? agent : null;
        var postNow = team is not null && (team.PostKudos || reachableAgent is null);
        var sentTo = new List<string>();
        var waitsForShare = "";
        var enqueued = 0;
        if (reachableAgent is not null)
        {
            var identity = agentIdentities[0];
            if (await EnqueueAsync(routes, item, new OutboxMessage(
                $"feedback:{item.Id}:dm",
                new ChatTarget(identity.Platform, ChatTargetKind.Person, identity.UserId, identity.Workspace),
                KudosMessages.CustomerKudosForAgent(reachableAgent, praise, team?.Name, KudosDmState.Fresh(item.Id, canShare: !postNow && channels.Count > 0))),
                cancellationToken))
            {
                enqueued++;
                sentTo.Add(reachableAgent.DisplayName);
            }
            if (!postNow && channels.Count > 0)
                waitsForShare = $"; the {team!.Name} channel only if {reachableAgent.FirstName} shares it (channel posting is off)";
        }
        if (postNow && channels.Count > 0)
        {
            var posted = 0;
            foreach (var channel in channels)
                if (await EnqueueAsync(routes, item, new OutboxMessage(
                    KudosDmState.TeamPostKey(item.Id, channel.Platform),
                    new ChatTarget(channel.Platform, ChatTargetKind.Channel, channel.ChannelId),
                    KudosMessages.CustomerKudosForTeam(team!.Locale, agent, agentIdentities, praise, team.Name)), cancellationToken))
                    posted++;
            if (posted > 0)
                sentTo.Add($"the {team!.Name} channel");
            enqueued += posted;
        }

        var thanked = await ThankResolversAsync(routes, item, agent, team, praise, cancellationToken);
        enqueued += thanked.Enqueued;
        await SetRoutingAsync(routes, item, route.Status, agent?.Id, team?.Id, cancellationToken);
        if (enqueued == 0)
            return new RelayResult(true, "its messages were sent before; nothing new was sent");
        var thanks = thanked.Thanked > 0 ? $"thanks passed to {thanked.Thanked} colleague(s) who resolved the case" : "";
        return new RelayResult(true, sentTo.Count > 0
            ? $"sent to {string.Join(" and ", sentTo)}{waitsForShare}{(thanks.Length > 0 ? $"; {thanks}" : "")}"
            : thanks, enqueued);
    }

    /// <summary>
    /// Positive feedback received before an import's relay window: stored and counted for the digest of the week it
    /// arrived (its kudos carry that date), relayed to nobody.
    /// </summary>
    public async ValueTask<RelayResult> StoreQuietlyAsync(KudosRoutes routes, FeedbackItem item, RelayRoute route, CancellationToken cancellationToken)
    {
        if (!route.ReachesAnyone)
            return await UnroutedAsync(routes, item, route, cancellationToken);
        await InsertKudosAsync(routes, CustomerKudos(item, route, createdAt: item.ReceivedAt), cancellationToken);
        await SetRoutingAsync(routes, item, route.Status, route.Agent?.Id, route.Team?.Id, cancellationToken);
        return new RelayResult(true, "received before the relay window: stored and counted for the digest of its week; nothing was sent");
    }

    /// <summary>
    /// Positive feedback relayed as part of <paramref name="summary"/>: counted now like any relayed item, and told to the
    /// agent and the team's channels in the summary's one message each, which the caller queues.
    /// </summary>
    public async ValueTask<RelayResult> SummariseAsync(KudosRoutes routes, FeedbackItem item, RelayRoute route, RelaySummary summary, CancellationToken cancellationToken)
    {
        if (!route.ReachesAnyone)
            return await UnroutedAsync(routes, item, route, cancellationToken);
        var (agent, team) = (route.Agent, route.Team);
        await InsertKudosAsync(routes, CustomerKudos(item, route), cancellationToken);
        var (reachableAgent, toChannels) = AddToSummary(summary, item, route);
        await SetRoutingAsync(routes, item, route.Status, agent?.Id, team?.Id, cancellationToken, summary.Key);
        return new RelayResult(true, reachableAgent is null
            ? $"in one summary post to the {team!.Name} channel"
            : toChannels ? $"in one summary message to {reachableAgent.DisplayName} and one post to the {team!.Name} channel" : $"in one summary message to {reachableAgent.DisplayName}");
    }

    /// <summary>
    /// Adds <paramref name="item"/> to <paramref name="summary"/> for whom its route reaches: the agent, when they can be
    /// told in chat, and the team's channels, when the team posts kudos or nobody could tell the agent.
    /// </summary>
    private static (Person? ReachableAgent, bool ToChannels) AddToSummary(RelaySummary summary, FeedbackItem item, RelayRoute route)
    {
        var (agent, team, channels, identities) = route;
        var reachableAgent = identities.Count > 0 ? agent : null;
        var toChannels = team is not null && channels.Count > 0 && (team.PostKudos || reachableAgent is null);
        if (reachableAgent is not null)
            summary.AddForAgent(item, reachableAgent, identities[0], toChannels ? team!.Name : null);
        if (toChannels)
            summary.AddForTeam(item, team!, channels, agent);
        return (reachableAgent, toChannels);
    }

    /// <summary>
    /// Gathers into <paramref name="summary"/> the stored items relayed in it that still count, along the agent and team
    /// each was routed to when stored: a summary read back from the database rather than from memory. Returns how many
    /// items it took (one whose agent and team can no longer be reached in chat is left out).
    /// </summary>
    public async Task<int> GatherStoredAsync(DbTransaction transaction, RelaySummary summary, CancellationToken cancellationToken)
    {
        var routes = new KudosRoutes(transaction);
        var gathered = 0;
        foreach (var item in await feedback.ListRelayedInAsync(transaction, summary.Key, null, null, cancellationToken))
        {
            var agent = item.AgentPersonId is { } agentId ? await routes.PersonAsync(agentId, cancellationToken) : null;
            var team = await routes.TeamByIdAsync(item.TeamId, cancellationToken);
            var route = new RelayRoute(agent, team, await routes.ChannelsAsync(team, cancellationToken), await routes.IdentitiesAsync(agent?.Id, cancellationToken));
            if (route.ReachesAnyone && AddToSummary(summary, item, route) is not (null, false))
                gathered++;
        }
        return gathered;
    }

    /// <summary>
    /// Queues a summary's messages (one per agent, one per team channel); returns how many were queued. A stale summary
    /// is gathered again from what is stored first.
    /// </summary>
    public async Task<int> EnqueueSummaryAsync(DbTransaction transaction, RelaySummary summary, CancellationToken cancellationToken)
    {
        if (summary.IsStale)
        {
            summary.Clear();
            await GatherStoredAsync(transaction, summary, cancellationToken);
        }
        return summary.IsEmpty ? 0 : await outbox.EnqueueManyAsync(transaction, summary.Messages(clock.GetUtcNow()), cancellationToken);
    }

    private async Task<RelayResult> UnroutedAsync(KudosRoutes routes, FeedbackItem item, RelayRoute route, CancellationToken cancellationToken)
    {
        await SetRoutingAsync(routes, item, route.Status, route.Agent?.Id, route.Team?.Id, cancellationToken);
        return new RelayResult(false, route.Agent is null && route.Team is null
            ? "no person with that e-mail and no team: counted for the digest only"
            : "nobody to tell: no chat identity for the agent and no kudos channel for the team");
    }

    /// <summary>The kudos an item's praise counts as; it counts from now unless <paramref name="createdAt"/> says when.</summary>
    private static KudosItem CustomerKudos(FeedbackItem item, RelayRoute route, DateTime createdAt = default) => new()
    {
        Kind = KudosKind.Customer,
        CreatedAt = createdAt,
        FeedbackItemId = item.Id,
        RecipientPersonId = route.Agent?.Id,
        TeamId = route.Team?.Id,
        Status = KudosStatus.Relayed,
    };

    /// <summary>Thanks that travel: whoever in another department resolved this case hears the customer's praise too.</summary>
    private async Task<(int Thanked, int Enqueued)> ThankResolversAsync(KudosRoutes routes, FeedbackItem item, Person? agent, TeamInfo? team, Praise praise, CancellationToken cancellationToken)
    {
        var transaction = routes.Transaction;
        if (item.CaseRef is not { Length: > 0 } caseRef)
            return (0, 0);
        var (thanked, enqueued) = (0, 0);
        var resolvers = (await escalations.FindResolvedByCaseRefAsync(caseRef, cancellationToken))
            .Select(e => e.ResolvedByPersonId).OfType<long>().Distinct();
        foreach (var resolverId in resolvers)
        {
            if (resolverId == agent?.Id
                || (agent is not null && !await PeopleLookup.AreInDifferentUnitsAsync(transaction, agent.Id, resolverId, cancellationToken)))
                continue;
            var resolver = await routes.PersonAsync(resolverId, cancellationToken);
            var identities = await routes.IdentitiesAsync(resolverId, cancellationToken);
            if (resolver is null)
                continue;
            await InsertKudosAsync(routes, new KudosItem
            {
                Kind = KudosKind.Customer,
                FeedbackItemId = item.Id,
                RecipientPersonId = resolverId,
                TeamId = team?.Id,
                CrossDepartment = true,
                Status = KudosStatus.Relayed,
            }, cancellationToken);
            if (identities.Count > 0 && await EnqueueAsync(routes, item, new OutboxMessage(
                    $"feedback:{item.Id}:thanks:{resolverId}",
                    new ChatTarget(identities[0].Platform, ChatTargetKind.Person, identities[0].UserId, identities[0].Workspace),
                    KudosMessages.ThanksThatTravel(resolver, praise, caseRef, agent)), cancellationToken))
                enqueued++;
            thanked++;
        }
        return (thanked, enqueued);
    }

    /// <summary>Borderline feedback waits for the team lead's one-click Approve or Decline.</summary>
    public async Task<ReviewResult> QueueForReviewAsync(KudosRoutes routes, FeedbackItem item, string? teamKey, ReviewWhy why, CancellationToken cancellationToken)
    {
        var agent = await routes.AgentAsync(item.AgentEmail, cancellationToken);
        var team = await routes.TeamAsync(teamKey, agent?.Id, cancellationToken);
        var lead = team?.LeadPersonId is { } leadId ? await routes.PersonAsync(leadId, cancellationToken) : null;
        var leadIdentities = await routes.IdentitiesAsync(lead?.Id, cancellationToken);
        if (lead is null || leadIdentities.Count == 0)
            return new ReviewResult(false, "no team lead reachable in chat to review it");
        await EnqueueAsync(routes, item, new OutboxMessage(
            $"feedback:{item.Id}:review",
            new ChatTarget(leadIdentities[0].Platform, ChatTargetKind.Person, leadIdentities[0].UserId, leadIdentities[0].Workspace),
            KudosMessages.ReviewRequest(lead, item.Id, agent, Praise.Of(item), why)), cancellationToken);
        await SetRoutingAsync(routes, item, FeedbackStatus.InReview, agent?.Id, team?.Id, cancellationToken);
        return new ReviewResult(true, $"waiting for {lead.DisplayName} to review");
    }

    /// <summary>
    /// A relayed item that is no longer positive: its posts are updated in place to a neutral line and it stops counting.
    /// Each post is changed by a new outbox row replacing it; the rows are numbered per post, so a rating that goes
    /// back and forth withdraws and restores as often as it changes.
    /// </summary>
    public async Task WithdrawAsync(DbTransaction transaction, FeedbackItem item, CancellationToken cancellationToken)
    {
        await kudos.WithdrawForFeedbackAsync(transaction, item.Id, cancellationToken);
        var rows = await outbox.FindByKeyPrefixAsync(transaction, FeedbackKeyPrefix(item.Id), cancellationToken);
        // Channel posts went to the channels of the item's team, in the team's language; their withdrawal speaks it too.
        var team = item.TeamId is { } teamId ? await PeopleLookup.FindTeamByIdAsync(transaction, teamId, cancellationToken) : null;
        foreach (var post in Posts(rows))
        {
            var locale = post.Target.Kind == ChatTargetKind.Person
                ? (await PeopleLookup.FindByChatUserAsync(transaction, post.Target.Platform, post.Target.Address, cancellationToken))?.Locale
                : team?.Locale;
            await ReviseAsync(transaction, rows, post, "withdrawn", KudosMessages.Withdrawn(locale), cancellationToken);
        }
        await ReviseSummaryAsync(transaction, item, cancellationToken);
    }

    /// <summary>
    /// A withdrawn item whose rating is positive again: its kudos count again and every post it made (the agent's
    /// message, the channel posts, thanks passed on or travelling) shows the praise again, updated in place.
    /// Returns how many posts are being updated.
    /// </summary>
    public async Task<int> RestoreAsync(DbTransaction transaction, FeedbackItem item, CancellationToken cancellationToken)
    {
        await kudos.RestoreForFeedbackAsync(transaction, item.Id, cancellationToken);
        var rows = await outbox.FindByKeyPrefixAsync(transaction, FeedbackKeyPrefix(item.Id), cancellationToken);
        var agent = item.AgentPersonId is { } agentId ? await PeopleLookup.GetAsync(transaction, agentId, cancellationToken) : null;
        var team = item.TeamId is { } teamId ? await PeopleLookup.FindTeamByIdAsync(transaction, teamId, cancellationToken) : null;
        var praise = Praise.Of(item);
        var restored = 0;
        foreach (var post in Posts(rows))
        {
            var message = await PraisePostAsync(transaction, item, post, agent, team, praise, rows, cancellationToken);
            if (message is not null && await ReviseAsync(transaction, rows, post, "restored", message, cancellationToken))
                restored++;
        }
        return restored + await ReviseSummaryAsync(transaction, item, cancellationToken);
    }

    /// <summary>
    /// An item relayed in a summary was withdrawn or restored: the summary's message to the agent and its posts in the
    /// team's channels are rebuilt from the items that count now, and updated in place (a summary left with nothing to
    /// say reads as withdrawn). Returns how many messages are being updated.
    /// </summary>
    private async Task<int> ReviseSummaryAsync(DbTransaction transaction, FeedbackItem item, CancellationToken cancellationToken)
    {
        if (item.RelayedIn is not { } key)
            return 0;
        var rows = await outbox.FindByKeyPrefixAsync(transaction, key + ":", cancellationToken);
        var now = clock.GetUtcNow();
        var team = item.TeamId is { } teamId ? await PeopleLookup.FindTeamByIdAsync(transaction, teamId, cancellationToken) : null;
        var teamPosts = team is null ? [] : rows.Where(row => row.ReplacesMessageId is null
            && row.IdempotencyKey.StartsWith(RelaySummary.TeamKeyPrefix(key, team.Id), StringComparison.Ordinal)).ToList();
        var revised = 0;
        if (item.AgentPersonId is { } agentId
            && rows.FirstOrDefault(row => row.IdempotencyKey == RelaySummary.AgentKey(key, agentId)) is { } dm
            && await PeopleLookup.GetAsync(transaction, agentId, cancellationToken) is { } agent)
        {
            var tally = new SummaryTally();
            foreach (var counted in await feedback.ListRelayedInAsync(transaction, key, agentId, null, cancellationToken))
                tally.Add(counted, null);
            var message = tally.Count > 0
                ? KudosMessages.SummaryForAgent(agent, tally, teamPosts.Count > 0 ? team!.Name : null, now, SummaryPageRef.ForAgent(key, agent.Id))
                : KudosMessages.Withdrawn(agent.Locale);
            if (await ReviseAsync(transaction, rows, dm, "revised", message, cancellationToken))
                revised++;
        }
        if (teamPosts.Count > 0)
        {
            var tally = new SummaryTally();
            var agents = new Dictionary<long, (Person? Person, bool Reachable)>();
            foreach (var counted in await feedback.ListRelayedInAsync(transaction, key, null, team!.Id, cancellationToken))
            {
                var praised = (Person?)null;
                var reachable = false;
                if (counted.AgentPersonId is { } id)
                {
                    if (!agents.TryGetValue(id, out var known))
                        agents[id] = known = (await PeopleLookup.GetAsync(transaction, id, cancellationToken),
                            (await PeopleLookup.IdentitiesAsync(transaction, id, cancellationToken)).Count > 0);
                    (praised, reachable) = known;
                }
                // The channel heard what it heard when the summary was made: everything when the team posts kudos, else what no agent could be told.
                if (team.PostKudos || !reachable)
                    tally.Add(counted, praised?.DisplayName);
            }
            var message = tally.Count > 0 ? KudosMessages.SummaryForTeam(team, tally, now, SummaryPageRef.ForTeam(key, team.Id)) : KudosMessages.Withdrawn(team.Locale);
            foreach (var post in teamPosts)
                if (await ReviseAsync(transaction, rows, post, "revised", message, cancellationToken))
                    revised++;
        }
        return revised;
    }

    /// <summary>What <paramref name="post"/> says while the item is positive, read from its key; null for a post of another kind.</summary>
    private async Task<ChatMessage?> PraisePostAsync(
        DbTransaction transaction, FeedbackItem item, OutboxKey post, Person? agent, TeamInfo? team, Praise praise, IReadOnlyList<OutboxKey> rows, CancellationToken cancellationToken)
    {
        var parts = post.IdempotencyKey[FeedbackKeyPrefix(item.Id).Length..].Split(':');
        switch (parts)
        {
            case ["dm"] when agent is not null:
                return KudosMessages.CustomerKudosForAgent(agent, praise, team?.Name, await KudosDmState.LoadAsync(transaction, outbox, item, team, cancellationToken));
            case ["team", _] when team is not null:
                var identities = agent is null ? [] : await PeopleLookup.IdentitiesAsync(transaction, agent.Id, cancellationToken);
                return KudosMessages.CustomerKudosForTeam(team.Locale, agent, identities, praise, team.Name);
            case ["thanks", var resolverId] when item.CaseRef is { Length: > 0 } caseRef
                && await PersonAsync(transaction, resolverId, cancellationToken) is { } resolver:
                return KudosMessages.ThanksThatTravel(resolver, praise, caseRef, agent);
            case ["pass", var colleagueId] when agent is not null && await PersonAsync(transaction, colleagueId, cancellationToken) is { } colleague:
                var crossDepartment = await PeopleLookup.AreInDifferentUnitsAsync(transaction, agent.Id, colleague.Id, cancellationToken);
                var thankedBack = rows.Any(row => row.IdempotencyKey == KudosDmState.ThankedBackKey(item.Id, colleague.Id));
                return KudosMessages.PassedOn(colleague, agent, team?.Name, item.Id, praise, crossDepartment, thankedBack);
            case ["pass", var colleagueId, "thanks-back"] when agent is not null && await PersonAsync(transaction, colleagueId, cancellationToken) is { } colleague:
                return KudosMessages.ThanksBack(agent, colleague);
            default:
                return null;
        }
    }

    private static async Task<Person?> PersonAsync(DbTransaction transaction, string id, CancellationToken cancellationToken) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var personId)
            ? await PeopleLookup.GetAsync(transaction, personId, cancellationToken)
            : null;

    private static string FeedbackKeyPrefix(long feedbackId) => string.Create(CultureInfo.InvariantCulture, $"feedback:{feedbackId}:");

    /// <summary>The messages an item posted, without the rows that revise them and without the lead's review request.</summary>
    private static IEnumerable<OutboxKey> Posts(IReadOnlyList<OutboxKey> rows) =>
        rows.Where(row => row.ReplacesMessageId is null && !row.IdempotencyKey.EndsWith(":review", StringComparison.Ordinal));

    /// <summary>
    /// Queues <paramref name="message"/> to replace <paramref name="post"/> in place. The first withdrawal keeps the
    /// key <c>{post}:withdrawn</c>; each later revision is numbered. A revision that has not gone out yet is
    /// superseded, so an older one can never land after a newer one.
    /// </summary>
    private async Task<bool> ReviseAsync(DbTransaction transaction, IReadOnlyList<OutboxKey> rows, OutboxKey post, string kind, ChatMessage message, CancellationToken cancellationToken)
    {
        var revision = rows.Count(row => row.ReplacesMessageId == post.Id) + 1;
        var key = revision == 1 && kind == "withdrawn"
            ? $"{post.IdempotencyKey}:withdrawn"
            : string.Create(CultureInfo.InvariantCulture, $"{post.IdempotencyKey}:{kind}:{revision}");
        await outbox.SupersedePendingRevisionsAsync(transaction, post.Id, cancellationToken);
        return await outbox.EnqueueAsync(transaction, new OutboxMessage(key, post.Target, message, ReplacesMessageId: post.Id), cancellationToken) is not null;
    }

    // A batch of feedback (see KudosRoutes.DeferredWrites) writes these rows together; anything else writes them at once.
    private async Task InsertKudosAsync(KudosRoutes routes, KudosItem item, CancellationToken cancellationToken)
    {
        if (routes.DeferredWrites is { } deferred)
            deferred.Kudos.Add(item);
        else
            await kudos.InsertAsync(routes.Transaction, item, cancellationToken);
    }

    /// <summary>
    /// True when the message was queued. A new item of a batch (not stored before, so its keys are free) has its
    /// messages written with the batch; an item stored before may have taken its keys already, so it is written now.
    /// </summary>
    private async Task<bool> EnqueueAsync(KudosRoutes routes, FeedbackItem item, OutboxMessage message, CancellationToken cancellationToken)
    {
        if (routes.DeferredWrites is not { } deferred || item.CreatedAt != default)
            return await outbox.EnqueueAsync(routes.Transaction, message, cancellationToken) is not null;
        deferred.Messages.Add(message);
        return true;
    }

    // A new item of a batch is stored with its route already (see SubmitFeedbackHandler), and needs no second write.
    private async Task SetRoutingAsync(
        KudosRoutes routes, FeedbackItem item, string status, long? agentPersonId, long? teamId, CancellationToken cancellationToken, string? relayedIn = null)
    {
        if (item.Status == status && item.AgentPersonId == agentPersonId && item.TeamId == teamId && item.RelayedIn == relayedIn)
            return;
        if (routes.DeferredWrites is { } deferred)
            deferred.Routings.Add(new FeedbackRouting(item.Id, status, agentPersonId, teamId, relayedIn));
        else
            await feedback.SetRoutingAsync(routes.Transaction, item.Id, status, agentPersonId, teamId, cancellationToken, relayedIn);
    }

}
