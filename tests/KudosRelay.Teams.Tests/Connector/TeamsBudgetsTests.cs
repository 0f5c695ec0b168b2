using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Teams.Connector;
using Xunit;

namespace KudosRelay.Teams.Tests.Connector;

public sealed class TeamsBudgetsTests
{
    private static readonly DateTime Start = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    private static ChatTarget Conversation(string id, string? tenant = "tenant") => new("teams", ChatTargetKind.Channel, id, tenant);

    /// <summary>Sends each message at the first moment all its budgets have room, as the outbox leases them; returns the send times.</summary>
    private static List<DateTime> SendGreedily(int count, Func<int, ChatTarget> target, TeamsPacingOptions? pacing = null)
    {
        var next = new Dictionary<string, DateTime>();
        var now = Start;
        var sends = new List<DateTime>();
        for (var i = 0; i < count; i++)
        {
            var budgets = TeamsBudgets.For(target(i), pacing ?? new TeamsPacingOptions());
            var wait = budgets.Max(budget => budget.Delay(next.TryGetValue(budget.Key, out var at) ? at : null, now));
            now += wait;
            foreach (var budget in budgets)
                next[budget.Key] = budget.Take(next.TryGetValue(budget.Key, out var at) ? at : null, now);
            sends.Add(now);
        }
        return sends;
    }

    private static int MostInAnyWindow(IReadOnlyList<DateTime> sends, TimeSpan length) =>
        sends.Select((start, index) => sends.Skip(index).TakeWhile(at => at < start + length).Count()).DefaultIfEmpty(0).Max();

    [Fact]
    public void Sends_to_one_conversation_never_exceed_any_of_teams_per_conversation_budgets()
    {
        var sends = SendGreedily(200, _ => Conversation("19:one@thread.tacv2"));

        Assert.True(MostInAnyWindow(sends, TimeSpan.FromSeconds(1)) <= 7);
        Assert.True(MostInAnyWindow(sends, TimeSpan.FromSeconds(2)) <= 8);
        Assert.True(MostInAnyWindow(sends, TimeSpan.FromSeconds(30)) <= 60);
        // It still sends a burst at once, and 200 sends take a few minutes, not the hour's pace.
        Assert.Equal(4, sends.Count(at => at == Start));
        Assert.True(sends[^1] - sends[0] < TimeSpan.FromMinutes(4), $"{sends[^1] - sends[0]}");
    }

    [Fact]
    public void The_hourly_budget_of_a_conversation_holds_too()
    {
        var sends = SendGreedily(150, _ => new ChatTarget("teams", ChatTargetKind.Person, "aad-1"), new TeamsPacingOptions { PerConversationPerHour = 100 });

        Assert.True(MostInAnyWindow(sends, TimeSpan.FromHours(1)) <= 100);
    }

    [Fact]
    public void Many_conversations_of_one_tenant_share_its_50_per_second()
    {
        var sends = SendGreedily(500, i => Conversation($"a:person-{i}"));

        Assert.True(MostInAnyWindow(sends, TimeSpan.FromSeconds(1)) <= 50);
    }

    [Fact]
    public void A_person_and_a_conversation_are_budgeted_apart_and_a_message_without_tenant_spends_no_tenant_budget()
    {
        var person = TeamsBudgets.For(new ChatTarget("teams", ChatTargetKind.Person, "aad-1", "tenant"), new TeamsPacingOptions());
        var channel = TeamsBudgets.For(Conversation("19:one@thread.tacv2", tenant: null), new TeamsPacingOptions());

        Assert.Equal(5, person.Count);
        Assert.Equal(4, channel.Count);
        Assert.Empty(person.Select(budget => budget.Key).Intersect(channel.Select(budget => budget.Key)));
    }

    [Theory]
    [InlineData(7, 1)]
    [InlineData(8, 2)]
    [InlineData(60, 30)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    public void A_window_as_a_cell_rate_never_puts_more_than_its_count_into_one_window(int count, int seconds)
    {
        var budget = SendBudget.Window("k", count, TimeSpan.FromSeconds(seconds));
        DateTime? next = null;
        var now = Start;
        var sends = new List<DateTime>();
        for (var i = 0; i < count * 5; i++)
        {
            now += budget.Delay(next, now);
            next = budget.Take(next, now);
            sends.Add(now);
        }

        Assert.Equal(count, MostInAnyWindow(sends, TimeSpan.FromSeconds(seconds)));
    }
}
