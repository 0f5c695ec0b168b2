using System.Text.Json;
using Dapper;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.Language;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

/// <summary>"Pass it on" and "Share with the team" on the agent's customer-kudos message, through the request router.</summary>
public abstract class KudosDmButtonsTests(DatabaseKind kind) : IAsyncLifetime
{
    private const string BenTeams = "00000000-0000-0000-0000-00000000b0b0";
    private const string MihaiTeams = "00000000-0000-0000-0000-0000000000aa";

    private const string Organisation = """
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: UANA }
          - { email: ben@example.com, name: Ben Carter, slack: UBEN, teams: 00000000-0000-0000-0000-00000000b0b0 }
          - { email: mihai@example.com, name: Mihai Popescu, slack: UMIHAI, teams: 00000000-0000-0000-0000-0000000000aa }
          - { email: nora@example.com, name: Nora Quiet }
          - { email: sam@example.com, name: Sam Sales, slack: USAM }
        teams:
          - { key: care, name: Customer Care, members: [ana@example.com, ben@example.com, nora@example.com],
              channels: { slack: C0CARE, teams: "19:care@thread.tacv2" }, postKudos: false }
          - { key: sales, name: Sales, members: [sam@example.com], channels: { slack: C0SALES } }
        departments:
          - { key: billing, name: Billing, members: [mihai@example.com] }
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

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
        var relayer = new KudosRelayer(feedback, kudos, outbox, new EscalationStore(db, clock), clock);
        submit = new SubmitFeedbackHandler(db, feedback, kudos, outbox, relayer, new OpenSummaryStore(clock), new KudosOptions());
        var requests = new InboundRequestStore(db, clock);
        router = new ChatRequestRouter(db, new GivePeerKudosHandler(db, kudos, outbox, requests),
            [new ReviewQueueHandler(db, feedback, relayer), new PassItOnHandler(db, feedback, kudos, outbox), new ShareWithTeamHandler(db, feedback, outbox),
             new ThankBackHandler(db, feedback, outbox)], requests);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private static ChatUser Slack(string id) => new("slack", "T1", id);

    private static ChatUser Teams(string id) => new("teams", "tenant-1", id);

    private async Task<FeedbackOutcome> PraiseAsync(string externalId, string agentEmail, string text = "Ana sorted my refund, call me on +359 88 123 4567 if needed") =>
        Assert.Single(await submit.SubmitAsync("survey", [new IncomingFeedback(externalId, clock.GetUtcNow().UtcDateTime,
            new Rating("csat5", 5), text, agentEmail, null, "Maria Ivanova", null, "en")], CancellationToken.None));

    private sealed record Row
    {
        public string Key { get; init; } = "";
        public string Platform { get; init; } = "";
        public string Address { get; init; } = "";
        public string Body { get; init; } = "";

        public ChatMessage Message => JsonSerializer.Deserialize<ChatMessage>(Body, Json)!;
    }

    private async Task<List<Row>> OutboxAsync() => (await database.Db.WithConnectionAsync(c => c.QueryAsync<Row>(
        "SELECT idempotency_key AS [Key], platform AS Platform, target_address AS Address, body AS Body FROM outbox_messages ORDER BY id"),
        CancellationToken.None)).ToList();

    private async Task<ChatMessage> AgentMessageAsync() => Assert.Single(await OutboxAsync(), r => r.Key.EndsWith(":dm", StringComparison.Ordinal)).Message;

    private async Task<ChatButton> PraiseAnaAndFindPassItOnAsync()
    {
        await PraiseAsync("c1", "ana@example.com");
        return Single<PersonPickerBlock>(await AgentMessageAsync()).Submit;
    }

    private static T Single<T>(ChatMessage message) where T : MessageBlock => Assert.Single(message.Blocks.OfType<T>());

    private Task<ChatResponse> PressAsync(ChatUser who, ChatButton button, ChatUser? picked = null) =>
        router.HandleAsync(new ChatRequest.ButtonPressed(who, button.ActionId, button.Payload, picked), CancellationToken.None);

    private static string Text(ChatMessage? message) => MessageText.Of(message);

    [DatabaseFact]
    public async Task With_channel_posting_on_the_team_hears_it_at_once_and_the_agent_can_only_pass_it_on()
    {
        var outcome = await PraiseAsync("s1", "sam@example.com", "Sam was brilliant");

        Assert.Equal("relayed", outcome.Result);
        var rows = await OutboxAsync();
        Assert.Equal(["slack:USAM", "slack:C0SALES"], rows.Select(r => $"{r.Platform}:{r.Address}"));
        var dm = rows[0].Message;
        Assert.Equal(KudosDmButtons.PassItOn, Single<PersonPickerBlock>(dm).Submit.ActionId);
        Assert.Empty(dm.Blocks.OfType<ButtonsBlock>());
        Assert.Contains("Sales sees it too", Text(dm));
    }

    [DatabaseFact]
    public async Task With_channel_posting_off_only_the_agent_hears_it_until_they_share_it_once()
    {
        var outcome = await PraiseAsync("c1", "ana@example.com");

        Assert.Equal("relayed", outcome.Result);
        Assert.Contains("only if Ana shares it", outcome.Reason ?? "");
        var dm = await AgentMessageAsync();
        Assert.Single(await OutboxAsync());
        var share = Assert.Single(Single<ButtonsBlock>(dm).Buttons);
        Assert.Equal("Share with the team", share.Label);
        Assert.Contains("Only you see it", Text(dm));

        var first = await PressAsync(Slack("UANA"), share);
        var second = await PressAsync(Slack("UANA"), share);

        var posts = (await OutboxAsync()).Where(r => r.Key.Contains(":team:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["slack:C0CARE", "teams:19:care@thread.tacv2"], posts.Select(r => $"{r.Platform}:{r.Address}").Order());
        Assert.All(posts, post => Assert.Contains("Kudos for Ana Petrova", Text(post.Message)));
        Assert.All(posts, post => Assert.DoesNotContain("123 4567", Text(post.Message)));
        foreach (var response in new[] { first, second })
        {
            Assert.Null(response.Reply);
            Assert.Empty(response.Replacement!.Blocks.OfType<ButtonsBlock>());
            Assert.Contains("Shared with the team.", Text(response.Replacement));
            Assert.Single(response.Replacement.Blocks.OfType<PersonPickerBlock>());
        }
    }

    [DatabaseFact]
    public async Task Sharing_posts_in_the_language_the_team_speaks_when_the_agent_shares_while_the_agent_keeps_their_own()
    {
        await PraiseAsync("c1", "ana@example.com");
        var share = Assert.Single(Single<ButtonsBlock>(await AgentMessageAsync()).Buttons);
        // Customer Care has no locale of its own: it follows the organisation's default, set after the kudos arrived.
        var imported = await new ImportOrganisationHandler(database.Db, clock, new OrgFileReader(StandInIdFormats.All))
            .ImportAsync("defaultLocale: ro", CancellationToken.None);
        Assert.True(imported.Succeeded);

        var shared = await PressAsync(Slack("UANA"), share);

        var romanian = MessageCatalogue.Shipped.For("Kudos", "ro");
        var posts = (await OutboxAsync()).Where(r => r.Key.Contains(":team:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, post => Assert.Contains(romanian.Format("team-post.heading", ("agent", "Ana Petrova")), Text(post.Message)));
        Assert.Contains("Shared with the team.", Text(shared.Replacement));
    }

    [DatabaseFact]
    public async Task Passing_it_on_sends_the_colleague_the_redacted_thanks_once_and_stores_peer_kudos()
    {
        var pass = await PraiseAnaAndFindPassItOnAsync();

        var first = await PressAsync(Slack("UANA"), pass, Slack("UBEN"));
        var again = await PressAsync(Slack("UANA"), pass, Slack("UBEN"));

        var sent = Assert.Single(await OutboxAsync(), r => r.Key.Contains(":pass:", StringComparison.Ordinal));
        Assert.Equal(("slack", "UBEN"), (sent.Platform, sent.Address));
        var text = Text(sent.Message);
        Assert.Contains("Ana Petrova passed on a customer's thanks", text);
        Assert.Contains("Ana sorted my refund", text);
        Assert.DoesNotContain("Ivanova", text);
        Assert.DoesNotContain("123 4567", text);
        Assert.Null(first.Reply);
        Assert.Contains("Passed on to Ben Carter", Text(first.Replacement));
        Assert.Contains("already passed this on to Ben Carter", Text(again.Reply));
        Assert.Contains("Passed on to Ben Carter", Text(again.Replacement));
        var stored = Assert.Single(await database.Db.WithConnectionAsync(c => c.QueryAsync<(string Kind, bool Cross)>(
            "SELECT kind, cross_department FROM kudos WHERE giver_person_id IS NOT NULL"), CancellationToken.None));
        Assert.Equal(("peer", false), stored);
    }

    [DatabaseFact]
    public async Task The_colleague_sees_who_passed_it_on_and_can_thank_them_back_once()
    {
        var pass = await PraiseAnaAndFindPassItOnAsync();
        await PressAsync(Slack("UANA"), pass, Slack("UBEN"));
        var passedOn = Assert.Single(await OutboxAsync(), r => r.Key.Contains(":pass:", StringComparison.Ordinal)).Message;
        var thankBack = Assert.Single(Single<ButtonsBlock>(passedOn).Buttons);

        var first = await PressAsync(Slack("UBEN"), thankBack);
        var again = await PressAsync(Slack("UBEN"), thankBack);
        var stranger = await PressAsync(Slack("USAM"), thankBack);

        Assert.Contains("Ana Petrova from Customer Care says you helped with this", Text(passedOn));
        var thanks = Assert.Single(await OutboxAsync(), r => r.Key.EndsWith(":thanks-back", StringComparison.Ordinal));
        Assert.Equal(("slack", "UANA"), (thanks.Platform, thanks.Address));
        Assert.Contains("Ben Carter got the customer's thanks you passed on", Text(thanks.Message));
        Assert.Contains("You thanked Ana for passing it on.", Text(first.Replacement));
        Assert.Empty(first.Replacement!.Blocks.OfType<ButtonsBlock>());
        Assert.Contains("You thanked Ana for passing it on.", Text(again.Replacement));
        Assert.Contains("no longer active", Text(stranger.Reply));
    }

    [DatabaseFact]
    public async Task Thanks_passed_to_another_department_are_flagged_for_the_digest_and_listed_on_the_agents_message()
    {
        var pass = await PraiseAnaAndFindPassItOnAsync();

        await PressAsync(Slack("UANA"), pass, Slack("UBEN"));
        var across = await PressAsync(Slack("UANA"), pass, Slack("UMIHAI"));

        Assert.Contains("Passed on to Ben Carter and Mihai Popescu", Text(across.Replacement));
        var sent = (await OutboxAsync()).Where(r => r.Key.Contains(":pass:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["slack:UBEN", "slack:UMIHAI"], sent.Select(r => $"{r.Platform}:{r.Address}"));
        Assert.Contains("Thanks from across the company", Text(sent[1].Message));
        var flags = await database.Db.WithConnectionAsync(c => c.QueryAsync<bool>(
            "SELECT cross_department FROM kudos WHERE giver_person_id IS NOT NULL ORDER BY id"), CancellationToken.None);
        Assert.Equal([false, true], flags);
    }

    [DatabaseFact]
    public async Task A_colleague_picked_on_teams_hears_it_on_teams()
    {
        var pass = await PraiseAnaAndFindPassItOnAsync();

        var response = await PressAsync(Slack("UANA"), pass, Teams(BenTeams));

        Assert.NotNull(response.Replacement);
        var sent = Assert.Single(await OutboxAsync(), r => r.Key.Contains(":pass:", StringComparison.Ordinal));
        Assert.Equal(("teams", BenTeams), (sent.Platform, sent.Address));
    }

    [DatabaseFact]
    public async Task Passing_it_on_to_oneself_a_stranger_or_nobody_is_answered_kindly_and_sends_nothing()
    {
        var pass = await PraiseAnaAndFindPassItOnAsync();

        var self = await PressAsync(Slack("UANA"), pass, Slack("UANA"));
        var stranger = await PressAsync(Slack("UANA"), pass, Slack("UNOBODY"));
        var nobody = await PressAsync(Slack("UANA"), pass);
        var colleague = await PressAsync(Slack("UBEN"), pass, Slack("UBEN"));

        Assert.Contains("That's you!", Text(self.Reply));
        Assert.Contains("couldn't find that colleague", Text(stranger.Reply));
        Assert.Contains("Which colleague helped?", Text(nobody.Reply));
        Assert.Contains("belong to a colleague", Text(colleague.Reply));
        Assert.All(new[] { self, stranger, nobody, colleague }, r => Assert.Null(r.Replacement));
        Assert.Single(await OutboxAsync());
    }

    [DatabaseFact]
    public async Task Withdrawn_feedback_can_no_longer_be_passed_on_and_its_passed_on_message_is_withdrawn_too()
    {
        var pass = await PraiseAnaAndFindPassItOnAsync();
        await PressAsync(Slack("UANA"), pass, Slack("UBEN"));

        var changed = Assert.Single(await submit.SubmitAsync("survey", [new IncomingFeedback("c1", clock.GetUtcNow().UtcDateTime,
            new Rating("csat5", 1), "Actually it broke again", "ana@example.com", null, "Maria Ivanova", null, "en")], CancellationToken.None));
        var late = await PressAsync(Slack("UANA"), pass, Teams(MihaiTeams));

        Assert.Equal("withdrawn", changed.Result);
        Assert.Contains("withdrawn", Text(late.Reply));
        var passed = (await OutboxAsync()).Where(r => r.Key.Contains(":pass:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, passed.Count);
        Assert.All(passed, r => Assert.Equal(("slack", "UBEN"), (r.Platform, r.Address)));
        Assert.EndsWith(":withdrawn", passed[1].Key, StringComparison.Ordinal);
        Assert.Contains("withdrawn", Text(passed[1].Message));
    }

    [DatabaseFact]
    public async Task With_channel_posting_off_and_no_agent_to_decide_the_team_channel_hears_it_as_before()
    {
        var outcome = await PraiseAsync("c2", "nora@example.com", "Nora was kind");

        Assert.Equal("relayed", outcome.Result);
        Assert.Equal(["slack:C0CARE", "teams:19:care@thread.tacv2"], (await OutboxAsync()).Select(r => $"{r.Platform}:{r.Address}").Order());
    }
}

public sealed class KudosDmButtonsTestsOnSqlite() : KudosDmButtonsTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class KudosDmButtonsTestsOnSqlServer() : KudosDmButtonsTests(DatabaseKind.SqlServer);
