using Dapper;
using KudosRelay.Core.Conversations;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Conversations;

public abstract class ChatRequestRouterTests(DatabaseKind kind) : IAsyncLifetime
{
    private const string Organisation = """
        people:
          - { email: ana@example.com, name: Ana Petrova, timeZone: Europe/Sofia, locale: bg, slack: UANA }
          - { email: ben@example.com, name: Ben Carter, slack: UBEN, teams: 00000000-0000-0000-0000-00000000b0b0 }
          - { email: mihai@example.com, name: Mihai Popescu, teams: 00000000-0000-0000-0000-0000000000aa }
          - { email: nochat@example.com, name: Nora Quiet }
        teams:
          - { key: care, name: Customer Care, members: [ana@example.com, ben@example.com] }
        departments:
          - { key: billing, name: Billing, members: [mihai@example.com] }
        """;

    private readonly ManualClock clock = new();
    private TestDatabase database = null!;
    private ChatRequestRouter router = null!;
    private OutboxStore outbox = null!;

    public async Task InitializeAsync()
    {
        database = await TestOrganisation.CreateAsync(kind, Organisation, clock);
        outbox = new OutboxStore(database.Db, clock);
        var requests = new InboundRequestStore(database.Db, clock);
        var peerKudos = new GivePeerKudosHandler(database.Db, new KudosStore(database.Db, clock), outbox, requests);
        router = new ChatRequestRouter(database.Db, peerKudos, [], requests);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private static ChatUser Slack(string id, string? name = null) => new("slack", "T1", id, name);

    private static string Text(ChatMessage? message) => MessageText.Of(message);

    private Task<int> KudosCountAsync() =>
        database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM kudos"), CancellationToken.None);

    [DatabaseFact]
    public async Task Peer_kudos_is_stored_and_the_recipient_gets_a_direct_message_through_the_outbox()
    {
        var response = await router.HandleAsync(new ChatRequest.PeerKudos(Slack("UANA"), Slack("UBEN", "ben"), "  thanks for covering my shift  "), CancellationToken.None);

        Assert.Contains("Благодаря, че благодарихте на Ben", Text(response.Reply));   // Ana reads Bulgarian
        var message = Assert.Single(await outbox.LeaseDueAsync("test", 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        // The organisation file names no workspace; the recipient is reached in the one the kudos was given in.
        Assert.Equal(new ChatTarget("slack", ChatTargetKind.Person, "UBEN", "T1"), message.Target);
        Assert.Contains("Kudos from Ana Petrova", Text(message.Message));
        Assert.Contains("thanks for covering my shift", Text(message.Message));
        var stored = await database.Db.WithConnectionAsync(c => c.QuerySingleAsync<(string Kind, string Text)>(
            "SELECT kind, text FROM kudos"), CancellationToken.None);
        Assert.Equal(("peer", "thanks for covering my shift"), stored);
    }

    [DatabaseFact]
    public async Task Peer_kudos_sent_twice_under_one_platform_id_is_stored_once_with_its_reply_in_the_outbox_and_again_only_after_a_day()
    {
        var replyTo = new ChatTarget("slack", ChatTargetKind.Channel, "D0ANA", "T1");
        var request = new ChatRequest.PeerKudos(Slack("UANA"), Slack("UBEN"), "thanks") { Origin = new InboundOrigin("slack:event:Ev1", replyTo, "slack:event:Ev1:reply") };

        var first = await router.HandleAsync(request, CancellationToken.None);
        var replay = await router.HandleAsync(request, CancellationToken.None);

        Assert.Equal((null, null), (first.Reply, replay.Reply));   // the thanks went to the outbox with the kudos
        Assert.Equal(1, await KudosCountAsync());
        var queued = await outbox.LeaseDueAsync("test", 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(2, queued.Count);
        Assert.Contains(queued, m => m.Target == replyTo && Text(m.Message).Contains("Благодаря", StringComparison.Ordinal));

        clock.Advance(InboundRequestStore.Retention + TimeSpan.FromMinutes(1));
        await router.HandleAsync(request, CancellationToken.None);
        Assert.Equal(2, await KudosCountAsync());
    }

    [DatabaseFact]
    public async Task Kudos_between_people_sharing_no_team_or_department_is_flagged_cross_department()
    {
        var within = await router.HandleAsync(new ChatRequest.PeerKudos(Slack("UANA"), Slack("UBEN"), "thanks"), CancellationToken.None);
        var across = await router.HandleAsync(new ChatRequest.PeerKudos(
            new ChatUser("teams", "tenant", "00000000-0000-0000-0000-00000000b0b0"),
            new ChatUser("teams", "tenant", "00000000-0000-0000-0000-0000000000aa"), "thanks for the refund"), CancellationToken.None);

        var flags = (await database.Db.WithConnectionAsync(c => c.QueryAsync<bool>(
            "SELECT cross_department FROM kudos ORDER BY id"), CancellationToken.None)).ToList();
        Assert.Equal([false, true], flags);
        Assert.NotNull(within.Reply);
        Assert.NotNull(across.Reply);
    }

    [DatabaseFact]
    public async Task Self_kudos_is_politely_refused_and_nothing_is_stored_or_sent()
    {
        var response = await router.HandleAsync(new ChatRequest.PeerKudos(Slack("UANA"), Slack("UANA"), "I was great"), CancellationToken.None);

        Assert.Contains("благодарностите са за колегите", Text(response.Reply));
        Assert.Equal(0, await KudosCountAsync());
        Assert.Equal(0, (await outbox.CountAsync(CancellationToken.None)).Pending);
    }

    [DatabaseFact]
    public async Task Kudos_from_someone_the_organisation_does_not_know_asks_them_to_be_added()
    {
        var response = await router.HandleAsync(new ChatRequest.PeerKudos(Slack("USTRANGER"), Slack("UBEN"), "thanks"), CancellationToken.None);

        Assert.Contains("I don't know you yet", Text(response.Reply));
        Assert.Equal(0, await KudosCountAsync());
    }

    [DatabaseFact]
    public async Task Kudos_for_an_unknown_colleague_names_them_and_stores_nothing()
    {
        var response = await router.HandleAsync(new ChatRequest.PeerKudos(Slack("UANA"), Slack("UNOBODY", "zed"), "thanks"), CancellationToken.None);

        Assert.Contains("не откривам zed", Text(response.Reply));
        Assert.Equal(0, await KudosCountAsync());
    }

    [DatabaseFact]
    public async Task Kudos_without_words_asks_what_they_did()
    {
        var response = await router.HandleAsync(new ChatRequest.PeerKudos(Slack("UANA"), Slack("UBEN"), "   "), CancellationToken.None);

        Assert.Contains("За какво искате да благодарите?", Text(response.Reply));
        Assert.Equal(0, await KudosCountAsync());
    }

    [DatabaseFact]
    public async Task Settings_show_what_the_organisation_knows_about_the_person()
    {
        var response = await router.HandleAsync(new ChatRequest.Settings(Slack("UANA")), CancellationToken.None);

        var facts = Assert.IsType<FactsBlock>(response.Reply!.Blocks.Single(b => b is FactsBlock)).Facts;
        Assert.Contains(new Fact("Часова зона", "Europe/Sofia"), facts);
        Assert.Contains(new Fact("Език", "български"), facts);
        Assert.Contains(new Fact("Екипи", "Customer Care"), facts);
        Assert.Contains(new Fact("Отдели", "няма"), facts);
    }

    [DatabaseFact]
    public async Task Settings_for_a_stranger_explain_how_to_be_added()
    {
        var response = await router.HandleAsync(new ChatRequest.Settings(Slack("USTRANGER")), CancellationToken.None);

        Assert.Contains("I don't know you yet", Text(response.Reply));
    }

    [DatabaseFact]
    public async Task Help_lists_the_commands_and_echoes_what_was_not_understood()
    {
        var response = await router.HandleAsync(new ChatRequest.Help(Slack("UANA"), "make coffee"), CancellationToken.None);

        Assert.Contains("не разбрах „make coffee“", Text(response.Reply));
        Assert.Contains("kudos @колега", Text(response.Reply));
    }

    [DatabaseFact]
    public async Task The_home_view_is_in_the_persons_language_and_english_for_a_stranger()
    {
        var ana = await router.HandleAsync(new ChatRequest.Home(Slack("UANA")), CancellationToken.None);
        var stranger = await router.HandleAsync(new ChatRequest.Home(Slack("USTRANGER")), CancellationToken.None);

        Assert.Contains("Можете да ми пишете и тук", Text(ana.Reply));
        Assert.Contains("You can also write to me here", Text(stranger.Reply));
    }

    [DatabaseFact]
    public async Task A_button_no_feature_claims_changes_nothing_and_says_so()
    {
        var response = await router.HandleAsync(new ChatRequest.ButtonPressed(Slack("UANA"), "legacy.thing", "1"), CancellationToken.None);

        Assert.Contains("вече не е активен", Text(response.Reply));
        Assert.Null(response.Replacement);
    }
}

public sealed class ChatRequestRouterTestsOnSqlite() : ChatRequestRouterTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class ChatRequestRouterTestsOnSqlServer() : ChatRequestRouterTests(DatabaseKind.SqlServer);
