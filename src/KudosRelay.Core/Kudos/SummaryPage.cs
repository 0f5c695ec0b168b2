using System.Data.Common;
using System.Globalization;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;

namespace KudosRelay.Core.Kudos;

/// <summary>
/// The list a summary's "See all thanks" button opens: one agent's items of summary <paramref name="SummaryKey"/> (the
/// payload of the agent's message, <c>{summary}:dm:{person id}</c>), or one team's (the channel post's,
/// <c>{summary}:team:{team id}</c>).
/// </summary>
internal sealed record SummaryPageRef(string SummaryKey, long? AgentPersonId, long? TeamId)
{
    public const string ActionId = "kudos.summary.see-all";

    public static string ForAgent(string summaryKey, long personId) => RelaySummary.AgentKey(summaryKey, personId);

    public static string ForTeam(string summaryKey, long teamId) => string.Create(CultureInfo.InvariantCulture, $"{summaryKey}:team:{teamId}");

    /// <summary>The list a payload names; null for anything this feature did not write.</summary>
    public static SummaryPageRef? Parse(string payload)
    {
        var idAt = payload.LastIndexOf(':');
        var kindAt = idAt > 0 ? payload.LastIndexOf(':', idAt - 1) : -1;
        if (kindAt <= 0 || !long.TryParse(payload.AsSpan(idAt + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return null;
        var key = payload[..kindAt];
        if (!key.StartsWith("summary:", StringComparison.Ordinal))
            return null;
        return payload[(kindAt + 1)..idAt] switch
        {
            "dm" => new SummaryPageRef(key, id, null),
            "team" => new SummaryPageRef(key, null, id),
            _ => null,
        };
    }
}

/// <summary>
/// "See all thanks" on a summary: whom it was for (the agent; for a channel post, the team's members and lead) gets the
/// summary's items that still count as a page of their own, newest first; anyone else (a forwarded message) gets a
/// friendly word and nothing of the list. It only reads, so a press made again answers a fresh list.
/// </summary>
internal sealed class SeeSummaryHandler(Db db, FeedbackStore feedback, TimeProvider clock) : IButtonHandler
{
    /// <summary>Each item takes two blocks on Slack (the words, then who and when) and a Home tab holds 100: forty leave room for the rest.</summary>
    public const int ItemsShown = 40;

    public string ActionPrefix => SummaryPageRef.ActionId;

    public Task<ChatResponse> HandleAsync(ChatRequest.ButtonPressed button, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (_, transaction) =>
        {
            var reader = await PeopleLookup.FindByChatUserAsync(transaction, button.From.Platform, button.From.UserId, cancellationToken);
            if (reader is null)
                return new ChatResponse(ConversationMessages.NotKnownYet(null));
            if (SummaryPageRef.Parse(button.Payload) is not { } list)
                return new ChatResponse(ConversationMessages.ButtonNoLongerActive(reader.Locale));
            TeamInfo? team = null;
            if (list.AgentPersonId is { } agentId && agentId != reader.Id)
                return new ChatResponse(KudosMessages.SummaryNotYours(reader.Locale));
            if (list.TeamId is { } teamId)
            {
                team = await PeopleLookup.FindTeamByIdAsync(transaction, teamId, cancellationToken);
                if (team is null)
                    return new ChatResponse(ConversationMessages.ButtonNoLongerActive(reader.Locale));
                if (!await BelongsToAsync(transaction, reader, team, cancellationToken))
                    return new ChatResponse(KudosMessages.SummaryForTeamMembers(reader.Locale, team.Name));
            }

            // A team that does not post kudos heard only what no agent could be told; its list shows what it heard.
            var items = await feedback.SummaryItemsAsync(
                transaction, list.SummaryKey, list.AgentPersonId, team?.Id, everyAgent: team?.PostKudos ?? true, ItemsShown, cancellationToken);
            if (items.Count == 0)
                return new ChatResponse(KudosMessages.SummaryNowEmpty(reader.Locale));
            var agents = team is null ? null : await AgentNamesAsync(transaction, items.Newest, cancellationToken);
            var page = KudosMessages.SummaryPage(reader, team?.Name, items, agents, clock.GetUtcNow());
            return new ChatResponse(KudosMessages.SummaryPageOpened(reader.Locale))
            {
                Page = new ChatPage(page, ConversationMessages.HomeLabel(reader.Locale)),
            };
        }, cancellationToken);

    private static async Task<bool> BelongsToAsync(DbTransaction transaction, Person reader, TeamInfo team, CancellationToken cancellationToken) =>
        team.LeadPersonId == reader.Id
        || (await PeopleLookup.MembershipsAsync(transaction, reader.Id, cancellationToken)).Any(m => m.Kind == "team" && m.UnitKey == team.TeamKey);

    private static async Task<IReadOnlyDictionary<long, string>> AgentNamesAsync(DbTransaction transaction, IReadOnlyList<FeedbackItem> items, CancellationToken cancellationToken)
    {
        var names = new Dictionary<long, string>();
        foreach (var id in items.Select(item => item.AgentPersonId).OfType<long>().Distinct())
            if (await PeopleLookup.GetAsync(transaction, id, cancellationToken) is { } agent)
                names[id] = agent.DisplayName;
        return names;
    }
}
