using System.Text.Json;
using Dapper;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

/// <summary>"See all thanks" on a summary, through the request router: who gets the full list, what it holds, and the home's recent praise.</summary>
public abstract class SummaryPageTests(DatabaseKind kind) : IAsyncLifetime
{
    private const string Organisation = """
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA, timeZone: Europe/Sofia }
          - { email: ben@example.com, name: Ben Carter, slack: UBEN, locale: bg }
          - { email: lea@example.com, name: Lea Lead, slack: ULEA }
          - { email: ivo@example.com, name: Ivo Stanev, slack: UIVO }
        teams:
          - { key: care, name: Customer Care, lead: lea@example.com, members: [ana@example.com, ben@example.com], channels: { slack: C0CARE } }
          - { key: retention, name: Retention, members: [ivo@example.com], channels: { slack: C0RETAIN } }
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Monday 23 November 2026, 09:00 UTC.
    private readonly ManualClock clock = new();
    private TestDatabase database = null!;
    private SubmitFeedbackHandler submit = null!;
    private ChatRequestRouter router = null!;

    public async Task InitializeAsync()
    {
        database = await TestOrganisation.CreateAsync(kind, Organisation, clock);
        var db = database.Db;
        var feedback = new FeedbackStore(db, clock);
        var kudos = new KudosStore(db, clock);
        var outbox = new OutboxStore(db, clock);
        submit = new SubmitFeedbackHandler(db, feedback, kudos, outbox, new KudosRelayer(feedback, kudos, outbox, new EscalationStore(db, clock), clock), new OpenSummaryStore(clock), new KudosOptions());
        var requests = new InboundRequestStore(db, clock);
        router = new ChatRequestRouter(db, new GivePeerKudosHandler(db, kudos, outbox, requests), [new SeeSummaryHandler(db, feedback, clock)], requests,
            recentPraise: new RecentPraise(feedback, clock));
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private static ChatUser Slack(string id) => new("slack", "T1", id);

    private IncomingFeedback Item(string externalId, string agentEmail, string? text, TimeSpan ago, int csat = 5) =>
        new(externalId, (clock.GetUtcNow() - ago).UtcDateTime, new Rating("csat5", csat), text, agentEmail, null, "Maria Ivanova", externalId == "A1" ? "CASE-7" : null, "en");

    /// <summary>The items imported as one summary, its messages queued; returns the summary's buttons by outbox key.</summary>
    private async Task<Dictionary<string, ChatButton>> ImportAsync(params IncomingFeedback[] items)
    {
        var plan = new FeedbackRelayPlan { Summary = RelaySummary.New("import") };
        await submit.SubmitAsync("survey", items.Select(submit.Score).ToList(), plan, CancellationToken.None);
        await submit.RelaySummaryAsync(plan.Summary!, CancellationToken.None);
        var rows = await database.Db.WithConnectionAsync(c => c.QueryAsync<(string Key, string Body)>(
            "SELECT idempotency_key, body FROM outbox_messages WHERE idempotency_key LIKE 'summary:%' AND replaces_message_id IS NULL"), CancellationToken.None);
        return rows.ToDictionary(
            row => row.Key.Contains(":dm:", StringComparison.Ordinal) ? "dm" : "team",
            row => Assert.Single(Assert.Single(JsonSerializer.Deserialize<ChatMessage>(row.Body, Json)!.Blocks.OfType<ButtonsBlock>()).Buttons));
    }

    private Task<ChatResponse> PressAsync(string user, ChatButton button) =>
        router.HandleAsync(new ChatRequest.ButtonPressed(Slack(user), button.ActionId, button.Payload), CancellationToken.None);

    private static string Text(ChatMessage? message) => MessageText.Of(message);

    [DatabaseFact]
    public async Task The_agent_sees_every_item_that_still_counts_newest_first_with_who_when_and_the_case()
    {
        var buttons = await ImportAsync(
            Item("A1", "ana@example.com", "Ana found my parcel", TimeSpan.FromDays(2)),
            Item("A2", "ana@example.com", "Ana called back twice", TimeSpan.FromHours(2)),
            Item("A3", "ana@example.com", null, TimeSpan.FromDays(1)),
            Item("A4", "ana@example.com", "Ana fixed the bill", TimeSpan.FromDays(1.5)));
        // The customer behind A4 changes their mind: it no longer counts, and the list never shows it.
        await submit.SubmitAsync("survey", [Item("A4", "ana@example.com", "Ana fixed the bill", TimeSpan.FromDays(1.5), csat: 1)], CancellationToken.None);

        var seeAll = buttons["dm"];
        Assert.Equal(("See all thanks", SummaryPageRef.ActionId), (seeAll.Label, seeAll.ActionId));
        var response = await PressAsync("UANA", seeAll);

        var page = response.Page!.Content;
        Assert.Equal("Back to Home", response.Page.HomeLabel);
        Assert.Contains("Home tab", Text(response.Reply), StringComparison.Ordinal);
        Assert.Equal(new HeadingBlock("3 customers thanked you since Saturday"), page.Blocks[0]);
        Assert.Equal(new TextBlock("Newest first:"), page.Blocks[1]);
        // Ana reads Sofia time: 07:00 UTC today is this morning, 09:00 UTC on Sunday yesterday morning, 09:00 UTC on Saturday Saturday morning.
        Assert.Equal(new QuoteBlock("Ana called back twice", "Maria · ★★★★★ · this morning"), page.Blocks[2]);
        Assert.Equal(new TextBlock("★★★★★ from Maria · yesterday morning"), page.Blocks[3]);
        Assert.Equal(new QuoteBlock("Ana found my parcel", "Maria · ★★★★★ · case CASE-7 · on Saturday morning"), page.Blocks[4]);
        Assert.IsType<ContextBlock>(page.Blocks[5]);
        Assert.Equal(6, page.Blocks.Count);
        Assert.DoesNotContain("fixed the bill", Text(page), StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task A_long_list_shows_the_forty_newest_and_counts_the_rest()
    {
        var buttons = await ImportAsync(Enumerable.Range(1, 45)
            .Select(i => Item($"L{i}", "ana@example.com", $"Thank you number {i}", TimeSpan.FromMinutes(100 - i))).ToArray());

        var page = (await PressAsync("UANA", buttons["dm"])).Page!.Content;

        var quotes = page.Blocks.OfType<QuoteBlock>().Select(q => q.Text).ToList();
        Assert.Equal(SeeSummaryHandler.ItemsShown, quotes.Count);
        Assert.Equal(["Thank you number 45", "Thank you number 44"], quotes.Take(2));
        Assert.Equal("Thank you number 6", quotes[^1]);
        Assert.Equal(new TextBlock("The 40 most recent, newest first:"), page.Blocks[1]);
        Assert.Contains(new TextBlock("5 more customers said thank you too."), page.Blocks);
    }

    [DatabaseFact]
    public async Task Someone_else_pressing_the_agents_button_gets_a_kind_word_and_nothing_of_the_list()
    {
        var buttons = await ImportAsync(Item("A1", "ana@example.com", "Ana found my parcel", TimeSpan.FromHours(1)));

        var colleague = await PressAsync("UIVO", buttons["dm"]);
        var stranger = await PressAsync("USTRANGER", buttons["dm"]);
        var forged = await router.HandleAsync(new ChatRequest.ButtonPressed(Slack("UANA"), SummaryPageRef.ActionId, "feedback:1:dm"), CancellationToken.None);

        Assert.Null(colleague.Page);
        Assert.Equal("These customers thanked a colleague, so the full list is theirs to open.", Text(colleague.Reply).Split('\n')[1]);
        Assert.Null(stranger.Page);
        Assert.Contains("I don't know you yet", Text(stranger.Reply), StringComparison.Ordinal);
        Assert.Null(forged.Page);
        Assert.Contains("no longer active", Text(forged.Reply), StringComparison.Ordinal);
        Assert.All([colleague, stranger, forged], response => Assert.DoesNotContain("parcel", Text(response.Reply), StringComparison.Ordinal));
    }

    [DatabaseFact]
    public async Task The_channel_posts_list_is_for_the_teams_members_and_lead_in_their_own_language()
    {
        var buttons = await ImportAsync(
            Item("A1", "ana@example.com", "Ana found my parcel", TimeSpan.FromHours(3)),
            Item("A2", "ana@example.com", "Ana called back twice", TimeSpan.FromHours(2)));

        var ben = await PressAsync("UBEN", buttons["team"]);
        var lead = await PressAsync("ULEA", buttons["team"]);
        var other = await PressAsync("UIVO", buttons["team"]);

        // Ben reads Bulgarian; the lead, who is not a member, reads English.
        Assert.Equal(new HeadingBlock("2 клиенти благодариха на Customer Care днес"), ben.Page!.Content.Blocks[0]);
        Assert.Equal("Maria · ★★★★★ · за Ana Petrova · тази сутрин", ben.Page.Content.Blocks.OfType<QuoteBlock>().First().Attribution);
        Assert.Equal("Обратно към началото", ben.Page.HomeLabel);
        Assert.Equal(2, lead.Page!.Content.Blocks.OfType<QuoteBlock>().Count());
        Assert.Null(other.Page);
        Assert.Contains("These customers thanked Customer Care, so the full list is for the team's members and its lead.", Text(other.Reply), StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task A_summary_whose_every_item_was_withdrawn_says_so_instead_of_an_empty_list()
    {
        var buttons = await ImportAsync(Item("A1", "ana@example.com", "Ana found my parcel", TimeSpan.FromHours(1)));
        await submit.SubmitAsync("survey", [Item("A1", "ana@example.com", "Ana found my parcel", TimeSpan.FromHours(1), csat: 1)], CancellationToken.None);

        var response = await PressAsync("UANA", buttons["dm"]);

        Assert.Null(response.Page);
        Assert.Contains("nothing is left to list", Text(response.Reply), StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task The_home_shows_the_newest_praise_of_the_last_thirty_days_and_nothing_for_someone_without_any()
    {
        await ImportAsync(Enumerable.Range(1, 5)
            .Select(i => Item($"H{i}", "ana@example.com", $"Lovely help number {i}", TimeSpan.FromDays(6 - i))).ToArray());
        await submit.SubmitAsync("survey", [Item("OLD", "ana@example.com", "An old thank you", TimeSpan.FromDays(40))], CancellationToken.None);

        var ana = (await router.HandleAsync(new ChatRequest.Home(Slack("UANA")), CancellationToken.None)).Reply!;
        var ivo = (await router.HandleAsync(new ChatRequest.Home(Slack("UIVO")), CancellationToken.None)).Reply!;

        Assert.Contains(new HeadingBlock("Recent praise for you"), ana.Blocks);
        Assert.Equal(["Lovely help number 5", "Lovely help number 4", "Lovely help number 3"], ana.Blocks.OfType<QuoteBlock>().Select(q => q.Text));
        Assert.Contains(new ContextBlock("2 more customers thanked you in the last 30 days."), ana.Blocks);
        Assert.DoesNotContain("old thank you", Text(ana), StringComparison.Ordinal);
        Assert.DoesNotContain(new HeadingBlock("Recent praise for you"), ivo.Blocks);
        Assert.Empty(ivo.Blocks.OfType<QuoteBlock>());
    }
}

public sealed class SummaryPageRefTests
{
    [Fact]
    public void A_button_payload_names_the_summary_and_whose_list_and_nothing_else_parses()
    {
        Assert.Equal(new SummaryPageRef("summary:import:ab12", 7, null), SummaryPageRef.Parse(SummaryPageRef.ForAgent("summary:import:ab12", 7)));
        Assert.Equal(new SummaryPageRef("summary:batch:cd34", null, 3), SummaryPageRef.Parse(SummaryPageRef.ForTeam("summary:batch:cd34", 3)));
        foreach (var payload in new[] { "", "7", "dm:7", "feedback:1:dm", "summary:import:ab12:dm:x", "summary:import:ab12:pass:7", "summary:import:ab12:dm:-7" })
            Assert.Null(SummaryPageRef.Parse(payload));
    }
}

public sealed class SummaryPageTestsOnSqlite() : SummaryPageTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class SummaryPageTestsOnSqlServer() : SummaryPageTests(DatabaseKind.SqlServer);
