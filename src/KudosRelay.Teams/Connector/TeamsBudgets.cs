using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;

namespace KudosRelay.Teams.Connector;

/// <summary>
/// Teams' published budgets ("Rate limiting for bots"): per bot and conversation about 7 operations a second, 8 in
/// 2 s, 60 in 30 s and 1,800 an hour, and per app and tenant 50 a second (all in <see cref="TeamsPacingOptions"/>,
/// since Microsoft may change them). The outbox leases a message only when each budget it spends has room, and the
/// budgets are shared by every instance through the database. Each window is kept as a cell rate that never puts
/// more than the window's count into any window of its length (a burst of half the count, then the rest spread out);
/// a 429 pauses the message's budgets for the <c>Retry-After</c>.
/// </summary>
internal static class TeamsBudgets
{
    /// <summary>
    /// A person is budgeted by their object id (their 1:1 with the bot is one conversation, which may not exist yet);
    /// a channel or chat by its conversation id; the tenant when the message names it.
    /// </summary>
    public static IReadOnlyList<SendBudget> For(ChatTarget target, TeamsPacingOptions pacing)
    {
        var conversation = target.Kind == ChatTargetKind.Person ? $"teams:person:{target.Address}" : $"teams:conversation:{target.Address}";
        List<SendBudget> budgets =
        [
            SendBudget.Window(conversation + ":1s", pacing.PerConversationPerSecond, TimeSpan.FromSeconds(1)),
            SendBudget.Window(conversation + ":2s", pacing.PerConversationPerTwoSeconds, TimeSpan.FromSeconds(2)),
            SendBudget.Window(conversation + ":30s", pacing.PerConversationPerThirtySeconds, TimeSpan.FromSeconds(30)),
            SendBudget.Window(conversation + ":1h", pacing.PerConversationPerHour, TimeSpan.FromHours(1)),
        ];
        if (target.Workspace is { Length: > 0 } tenant)
            budgets.Add(SendBudget.Window($"teams:tenant:{tenant}:1s", pacing.PerTenantPerSecond, TimeSpan.FromSeconds(1)));
        return budgets;
    }
}

/// <summary><c>Teams:Pacing:*</c>: Teams' documented budgets, as operations per window.</summary>
public sealed class TeamsPacingOptions
{
    public int PerConversationPerSecond { get; set; } = 7;
    public int PerConversationPerTwoSeconds { get; set; } = 8;
    public int PerConversationPerThirtySeconds { get; set; } = 60;
    public int PerConversationPerHour { get; set; } = 1800;
    public int PerTenantPerSecond { get; set; } = 50;

    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(PerConversationPerSecond), PerConversationPerSecond), (nameof(PerConversationPerTwoSeconds), PerConversationPerTwoSeconds),
            (nameof(PerConversationPerThirtySeconds), PerConversationPerThirtySeconds), (nameof(PerConversationPerHour), PerConversationPerHour),
            (nameof(PerTenantPerSecond), PerTenantPerSecond),
        })
        {
            // The ceiling only catches a typo: a stand-in Connector without limits (the load tests) sets budgets that never bind.
            if (value is < 1 or > 100_000_000)
                yield return $"Teams:Pacing:{name} must be between 1 and 100000000, not {value}.";
        }
    }
}
