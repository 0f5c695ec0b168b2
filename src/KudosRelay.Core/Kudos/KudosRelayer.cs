using System.Data.Common;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;

namespace KudosRelay.Core.Kudos;

internal sealed record RelayResult(bool Relayed, string Description);

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
internal sealed class KudosRelayer(FeedbackStore feedback, KudosStore kudos, OutboxStore outbox, EscalationStore escalations)
{
    /// <summary>The route of feedback for <paramref name="agentEmail"/> and <paramref name="teamKey"/>, from lookups cached in <paramref name="routes"/>.</summary>
    public static async Task<RelayRoute> RouteAsync(KudosRoutes routes, string? agentEmail, string? teamKey, CancellationToken cancellationToken)
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
            Text = praise.Words ?? "",
            Status = KudosStatus.Relayed,
        }, cancellationToken);

        // With channel posting off the agent decides whether the team sees it, unless nobody could: then the channel hears it as before.
        var reachableAgent = agentIdentities.Count > 0 ? agent : null;
        var postNow = team is not null && (team.PostKudos || reachableAgent is null);
        var sentTo = new List<string>();
        var waitsForShare = "";
        if (reachableAgent is not null)
        {
            var identity = agentIdentities[0];
            await EnqueueAsync(routes, new OutboxMessage(
                $"feedback:{item.Id}:dm",
                new ChatTarget(identity.Platform, ChatTargetKind.Person, identity.UserId, identity.Workspace),
                KudosMessages.CustomerKudosForAgent(reachableAgent, praise, team?.Name, KudosDmState.Fresh(item.Id, canShare: !postNow && channels.Count > 0))),
                cancellationToken);
            sentTo.Add(reachableAgent.DisplayName);
            if (!postNow && channels.Count > 0)
                waitsForShare = $"; the {team!.Name} channel only if {reachableAgent.FirstName} shares it (channel posting is off)";
        }
        if (postNow && channels.Count > 0)
        {
            foreach (var channel in channels)
                await EnqueueAsync(routes, new OutboxMessage(
                    KudosDmState.TeamPostKey(item.Id, channel.Platform),
                    new ChatTarget(channel.Platform, ChatTargetKind.Channel, channel.ChannelId),
                    KudosMessages.CustomerKudosForTeam(team!.Locale, agent, agentIdentities, praise, team.Name)), cancellationToken);
            sentTo.Add($"the {team!.Name} channel");
        }

        var thanked = await ThankResolversAsync(routes, item, agent, team, praise, cancellationToken);
        await SetRoutingAsync(routes, item, route.Status, agent?.Id, team?.Id, cancellationToken);
        return new RelayResult(true, $"sent to {string.Join(" and ", sentTo)}{waitsForShare}{(thanked > 0 ? $"; thanks passed to {thanked} colleague(s) who resolved the case" : "")}");
    }

    /// <summary>Thanks that travel: whoever in another department resolved this case hears the customer's praise too.</summary>
    private async Task<int> ThankResolversAsync(KudosRoutes routes, FeedbackItem item, Person? agent, TeamInfo? team, Praise praise, CancellationToken cancellationToken)
    {
        var transaction = routes.Transaction;
        if (item.CaseRef is not { Length: > 0 } caseRef)
            return 0;
        var thanked = 0;
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
                Text = praise.Words ?? "",
                CrossDepartment = true,
                Status = KudosStatus.Relayed,
            }, cancellationToken);
            if (identities.Count > 0)
                await EnqueueAsync(routes, new OutboxMessage(
                    $"feedback:{item.Id}:thanks:{resolverId}",
                    new ChatTarget(identities[0].Platform, ChatTargetKind.Person, identities[0].UserId, identities[0].Workspace),
                    KudosMessages.ThanksThatTravel(resolver, praise, caseRef, agent)), cancellationToken);
            thanked++;
        }
        return thanked;
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
        await EnqueueAsync(routes, new OutboxMessage(
            $"feedback:{item.Id}:review",
            new ChatTarget(leadIdentities[0].Platform, ChatTargetKind.Person, leadIdentities[0].UserId, leadIdentities[0].Workspace),
            KudosMessages.ReviewRequest(lead, item.Id, agent, Praise.Of(item), why)), cancellationToken);
        await SetRoutingAsync(routes, item, FeedbackStatus.InReview, agent?.Id, team?.Id, cancellationToken);
        return new ReviewResult(true, $"waiting for {lead.DisplayName} to review");
    }

    /// <summary>A relayed item that is no longer positive: its posts are updated in place to a neutral line and it stops counting.</summary>
    public async Task WithdrawAsync(DbTransaction transaction, FeedbackItem item, CancellationToken cancellationToken)
    {
        await kudos.WithdrawForFeedbackAsync(transaction, item.Id, cancellationToken);
        var posts = await outbox.FindByKeyPrefixAsync(transaction, $"feedback:{item.Id}:", cancellationToken);
        // Channel posts went to the channels of the item's team, in the team's language; their withdrawal speaks it too.
        var team = item.TeamId is { } teamId ? await PeopleLookup.FindTeamByIdAsync(transaction, teamId, cancellationToken) : null;
        foreach (var post in posts.Where(p => !p.IdempotencyKey.EndsWith(":withdrawn", StringComparison.Ordinal) && !p.IdempotencyKey.EndsWith(":review", StringComparison.Ordinal)))
        {
            var locale = post.Target.Kind == ChatTargetKind.Person
                ? (await PeopleLookup.FindByChatUserAsync(transaction, post.Target.Platform, post.Target.Address, cancellationToken))?.Locale
                : team?.Locale;
            await outbox.EnqueueAsync(transaction, new OutboxMessage(
                $"{post.IdempotencyKey}:withdrawn", post.Target, KudosMessages.Withdrawn(locale), ReplacesMessageId: post.Id), cancellationToken);
        }
    }

    // A batch of feedback (see KudosRoutes.DeferredWrites) writes these rows together; anything else writes them at once.
    private async Task InsertKudosAsync(KudosRoutes routes, KudosItem item, CancellationToken cancellationToken)
    {
        if (routes.DeferredWrites is { } deferred)
            deferred.Kudos.Add(item);
        else
            await kudos.InsertAsync(routes.Transaction, item, cancellationToken);
    }

    private async Task EnqueueAsync(KudosRoutes routes, OutboxMessage message, CancellationToken cancellationToken)
    {
        if (routes.DeferredWrites is { } deferred)
            deferred.Messages.Add(message);
        else
            await outbox.EnqueueAsync(routes.Transaction, message, cancellationToken);
    }

    // A new item of a batch is stored with its route already (see SubmitFeedbackHandler), and needs no second write.
    private async Task SetRoutingAsync(KudosRoutes routes, FeedbackItem item, string status, long? agentPersonId, long? teamId, CancellationToken cancellationToken)
    {
        if (item.Status == status && item.AgentPersonId == agentPersonId && item.TeamId == teamId)
            return;
        if (routes.DeferredWrites is { } deferred)
            deferred.Routings.Add(new FeedbackRouting(item.Id, status, agentPersonId, teamId));
        else
            await feedback.SetRoutingAsync(routes.Transaction, item.Id, status, agentPersonId, teamId, cancellationToken);
    }

}
