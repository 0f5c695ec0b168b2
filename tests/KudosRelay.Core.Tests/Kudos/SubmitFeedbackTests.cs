using Dapper;
using KudosRelay.Core.Escalations;
using KudosRelay.Core.Kudos;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.People;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

/// <summary>Batches through the handler on a real database: what each item answers and which rows exist afterwards.</summary>
public abstract class SubmitFeedbackTests(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase database = null!;
    private readonly ManualClock clock = new();
    private SubmitFeedbackHandler handler = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        var imported = await new ImportOrganisationHandler(database.Db, clock, new OrgFileReader(StandInIdFormats.All)).ImportAsync("""
            people:
              - { email: ana@example.com, name: Ana Petrova, slack: UANA }
            teams:
              - { key: care, name: Customer Care, members: [ana@example.com], channels: { slack: C0CARE } }
            """, CancellationToken.None);
        Assert.True(imported.Succeeded);
        var feedback = new FeedbackStore(database.Db, clock);
        var kudos = new KudosStore(database.Db, clock);
        var outbox = new OutboxStore(database.Db, clock);
        handler = new SubmitFeedbackHandler(database.Db, feedback, kudos, outbox,
            new KudosRelayer(feedback, kudos, outbox, new EscalationStore(database.Db, clock), clock), new OpenSummaryStore(clock), new KudosOptions());
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private protected IncomingFeedback Item(string externalId, int csat, string text = "Ana was wonderful") =>
        new(externalId, clock.GetUtcNow().UtcDateTime, new Rating("csat5", csat), text, "ana@example.com", null, "Maria Ivanova", null, "en");

    private protected async Task<string[]> SubmitAsync(params IncomingFeedback[] items) =>
        (await handler.SubmitAsync("survey", items, CancellationToken.None)).Select(outcome => $"{outcome.ExternalId} {outcome.Result}").ToArray();

    private protected Task<int> ExecuteAsync(string sql) =>
        database.Db.WithConnectionAsync(connection => connection.ExecuteAsync(sql), CancellationToken.None);

    private protected Task<int> CountAsync(string sql) =>
        database.Db.WithConnectionAsync(connection => connection.ExecuteScalarAsync<int>(sql), CancellationToken.None);

    [DatabaseFact]
    public async Task Duplicates_inside_one_batch_and_across_batches_are_answered_in_order_and_relayed_once()
    {
        var first = await SubmitAsync(Item("A", 5), Item("B", 1), Item("A", 5), Item("C", 5));
        var second = await SubmitAsync(Item("A", 5), Item("D", 4), Item("C", 5), Item("B", 1));

        Assert.Equal(["A relayed", "B not-positive", "A duplicate", "C relayed"], first);
        Assert.Equal(["A duplicate", "D relayed", "C duplicate", "B duplicate"], second);
        Assert.Equal(4, await CountAsync("SELECT COUNT(*) FROM feedback_items"));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM feedback_items WHERE status = 'relayed' AND agent_person_id IS NOT NULL AND team_id IS NOT NULL"));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM kudos"));
        Assert.Equal(6, await CountAsync("SELECT COUNT(*) FROM outbox_messages"));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE target_kind = 'Person' AND target_address = 'UANA'"));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE target_kind = 'Channel' AND target_address = 'C0CARE'"));
    }

    [DatabaseFact]
    public async Task A_source_named_in_another_letter_case_is_the_same_source()
    {
        var first = await handler.SubmitAsync("HelpDesk", [Item("A", 5)], CancellationToken.None);
        var again = await handler.SubmitAsync("HELPDESK", [Item("A", 5)], CancellationToken.None);
        var other = await handler.SubmitAsync("survey", [Item("A", 5)], CancellationToken.None);

        Assert.Equal([FeedbackResult.Relayed, FeedbackResult.Duplicate, FeedbackResult.Relayed], [first[0].Result, again[0].Result, other[0].Result]);
        Assert.Equal(["helpdesk", "survey"], (await database.Db.WithConnectionAsync(connection =>
            connection.QueryAsync<string>("SELECT source FROM feedback_items ORDER BY id"), CancellationToken.None)).ToArray());
    }

    [DatabaseFact]
    public async Task New_items_of_a_batch_are_stored_with_where_they_went()
    {
        var outcomes = await SubmitAsync(
            Item("known", 5),
            Item("stranger", 5) with { AgentEmail = "nobody@example.com" },
            Item("stranger-in-care", 5) with { AgentEmail = "nobody@example.com", Team = "care" },
            Item("complaint", 1, "Terrible"));

        Assert.Equal(["known relayed", "stranger unrouted", "stranger-in-care relayed", "complaint not-positive"], outcomes);
        var stored = (await database.Db.WithConnectionAsync(connection => connection.QueryAsync<(string ExternalId, string Status, long? Agent, long? Team)>(
            "SELECT external_id, status, agent_person_id, team_id FROM feedback_items ORDER BY id"), CancellationToken.None)).ToList();
        var ana = await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM people WHERE email = 'ana@example.com'"), CancellationToken.None);
        var care = await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM teams WHERE team_key = 'care'"), CancellationToken.None);
        Assert.Equal(
            [("known", "relayed", ana, care), ("stranger", "unrouted", null, null), ("stranger-in-care", "relayed", null, care), ("complaint", "not-positive", null, null)],
            stored.Select(row => (row.ExternalId, row.Status, row.Agent, row.Team)));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE target_kind = 'Person'"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE target_kind = 'Channel'"));
    }

    [DatabaseFact]
    public async Task An_item_relayed_and_turned_negative_in_the_same_batch_has_its_posts_withdrawn()
    {
        var outcomes = await SubmitAsync(Item("E", 5), Item("F", 5), Item("E", 1, "Actually it broke again"));

        Assert.Equal(["E relayed", "F relayed", "E withdrawn"], outcomes);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE idempotency_key LIKE 'feedback:%:withdrawn'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM kudos WHERE status = 'withdrawn'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM feedback_items WHERE external_id = 'E' AND status = 'withdrawn' AND rating_value = 1"));
    }

    [DatabaseFact]
    public async Task A_rating_that_goes_back_and_forth_restores_and_withdraws_the_same_posts_in_place_and_never_posts_them_again()
    {
        var outcomes = await SubmitAsync(Item("G", 5), Item("G", 1, "It broke again"));
        // Nothing went out yet: the restore supersedes the withdrawal, which is never sent.
        outcomes = [.. outcomes, .. await SubmitAsync(Item("G", 5, "Ana fixed it for good"))];
        await ExecuteAsync("UPDATE outbox_messages SET status = 'sent', platform_message_ref = 'ts' WHERE status = 'pending'");
        outcomes = [.. outcomes, .. await SubmitAsync(Item("G", 2, "Broken once more")), .. await SubmitAsync(Item("G", 5, "Ana fixed it for good"))];

        Assert.Equal(["G relayed", "G withdrawn", "G restored", "G withdrawn", "G restored"], outcomes);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE replaces_message_id IS NULL"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE status = 'superseded' AND idempotency_key LIKE '%:withdrawn'"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE status = 'pending' AND idempotency_key LIKE '%:restored:4'"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE status = 'pending' AND body LIKE '%Ana fixed it for good%'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM kudos WHERE status = 'relayed' AND withdrawn_at IS NULL"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM feedback_items WHERE status = 'relayed'"));
    }

    [DatabaseFact]
    public async Task A_positive_item_whose_messages_exist_already_never_answers_that_it_sent_them()
    {
        await SubmitAsync(Item("H", 5));
        // An item whose status no longer says it was relayed, though its posts exist (as data from before restores could leave it).
        await ExecuteAsync("UPDATE feedback_items SET status = 'not-positive', rating_value = 1 WHERE external_id = 'H'");

        var outcome = Assert.Single(await handler.SubmitAsync("survey", [Item("H", 5)], CancellationToken.None));

        Assert.Equal(FeedbackResult.Updated, outcome.Result);
        Assert.DoesNotContain("sent to", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM outbox_messages"));
    }

    [DatabaseFact]
    public async Task A_batch_larger_than_one_lookup_relays_every_new_item_with_a_direct_message_and_a_channel_post_when_asked_for_one_message_each()
    {
        var items = Enumerable.Range(0, 2_500).Select(i => Item($"N{i}", i % 5 == 0 ? 2 : 5, $"Ana helped, write to me at maria{i}@example.com")).ToArray();

        var outcomes = await handler.SubmitAsync("survey", items.Select(handler.Score).ToList(), new FeedbackRelayPlan(), CancellationToken.None);

        Assert.Equal(2_000, outcomes.Count(o => o.Result == FeedbackResult.Relayed));
        Assert.Equal(500, outcomes.Count(o => o.Result == FeedbackResult.NotPositive));
        Assert.Equal(items.Select(i => i.ExternalId), outcomes.Select(o => o.ExternalId));
        Assert.Equal(4_000, await CountAsync("SELECT COUNT(*) FROM outbox_messages"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM feedback_items WHERE redacted_text LIKE '%@example.com%'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE body LIKE '%@example.com%'"));
    }

    private protected Task<string> BodyAsync(string key) =>
        database.Db.WithConnectionAsync(connection => connection.ExecuteScalarAsync<string>(
            "SELECT body FROM outbox_messages WHERE idempotency_key = @Key", new { Key = key }), CancellationToken.None)!;

    private protected Task<List<string>> KeysAsync() =>
        database.Db.WithConnectionAsync(async connection => (await connection.QueryAsync<string>("SELECT idempotency_key FROM outbox_messages ORDER BY id")).ToList(), CancellationToken.None);

    [DatabaseFact]
    public async Task A_live_batch_with_more_than_twenty_positive_items_for_one_agent_reaches_them_as_one_summary_and_twenty_go_one_by_one()
    {
        var crowded = Enumerable.Range(0, 21).Select(i => Item($"S{i}", 5, $"Ana sorted out parcel number {i} with real care")).ToArray();
        var outcomes = await handler.SubmitAsync("survey", crowded, CancellationToken.None);

        Assert.All(outcomes, outcome => Assert.Equal(FeedbackResult.Relayed, outcome.Result));
        var keys = await KeysAsync();
        Assert.Equal(2, keys.Count);
        Assert.Matches("^summary:batch:[0-9a-f]{32}:dm:[0-9]+$", keys[0]);
        Assert.Matches("^summary:batch:[0-9a-f]{32}:team:[0-9]+:slack$", keys[1]);
        var dm = await BodyAsync(keys[0]);
        Assert.Contains("21 customers thanked you today", dm, StringComparison.Ordinal);
        Assert.Contains("18 more customers said thank you too.", dm, StringComparison.Ordinal);
        Assert.Contains("21 customers thanked Customer Care today", await BodyAsync(keys[1]), StringComparison.Ordinal);
        Assert.Equal(21, await CountAsync("SELECT COUNT(*) FROM kudos"));
        Assert.Equal(21, await CountAsync("SELECT COUNT(*) FROM feedback_items WHERE relayed_in IS NOT NULL AND status = 'relayed'"));

        await handler.SubmitAsync("survey", Enumerable.Range(0, 20).Select(i => Item($"T{i}", 5)).ToArray(), CancellationToken.None);

        Assert.Equal(2 + 40, await CountAsync("SELECT COUNT(*) FROM outbox_messages"));
    }

    [DatabaseFact]
    public async Task Old_positive_items_are_stored_and_counted_in_the_week_they_arrived_and_sent_to_nobody()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var old = Item("OLD", 5) with { ReceivedAt = now.AddDays(-30) };
        var plan = new FeedbackRelayPlan { RelaySince = now.AddDays(-7), Summary = RelaySummary.New("import") };

        var outcome = Assert.Single(await handler.SubmitAsync("survey", [handler.Score(old)], plan, CancellationToken.None));

        Assert.Equal(FeedbackResult.Stored, outcome.Result);
        Assert.Equal(0, await handler.RelaySummaryAsync(plan.Summary, CancellationToken.None));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM outbox_messages"));
        var counted = await database.Db.WithConnectionAsync(connection => connection.QuerySingleAsync<DateTime>(
            "SELECT created_at FROM kudos WHERE status = 'relayed'"), CancellationToken.None);
        Assert.Equal(now.AddDays(-30), counted, TimeSpan.FromMilliseconds(1));
    }

    [DatabaseFact]
    public async Task An_item_withdrawn_after_its_summary_disappears_from_it_and_the_count_drops_in_place()
    {
        var plan = new FeedbackRelayPlan { Summary = RelaySummary.New("import") };
        var items = new[]
        {
            Item("W1", 5, "Ana found the missing refund and explained every single step"),
            Item("W2", 5, "Ana rebooked the delivery for Saturday without any fuss"),
            Item("W3", 4, "Thanks"),
        };
        await handler.SubmitAsync("survey", items.Select(handler.Score).ToList(), plan, CancellationToken.None);
        Assert.Equal(2, await handler.RelaySummaryAsync(plan.Summary!, CancellationToken.None));
        var dmKey = (await KeysAsync())[0];
        Assert.Contains("3 customers thanked you", await BodyAsync(dmKey), StringComparison.Ordinal);

        var withdrawn = Assert.Single(await handler.SubmitAsync("survey", [Item("W1", 1, "Ana found the missing refund and explained every single step")], CancellationToken.None));

        Assert.Equal(FeedbackResult.Withdrawn, withdrawn.Result);
        var revision = await BodyAsync($"{dmKey}:revised:1");
        Assert.Contains("2 customers thanked you", revision, StringComparison.Ordinal);
        Assert.DoesNotContain("missing refund", revision, StringComparison.Ordinal);
        Assert.Contains("rebooked the delivery", revision, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM outbox_messages WHERE idempotency_key LIKE '%:team:%:slack:revised:1' AND body NOT LIKE '%missing refund%'"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM outbox_messages WHERE replaces_message_id IS NOT NULL"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM kudos WHERE status = 'relayed'"));

        var restored = Assert.Single(await handler.SubmitAsync("survey", [Item("W1", 5, "Ana found the missing refund and explained every single step")], CancellationToken.None));

        Assert.Equal(FeedbackResult.Restored, restored.Result);
        Assert.Contains("3 customers thanked you", await BodyAsync($"{dmKey}:revised:2"), StringComparison.Ordinal);
    }

    private async Task<RelaySummary> OpenImportAsync(DateTime? relaySince = null, string source = "survey")
    {
        var summary = RelaySummary.New("import");
        await handler.OpenSummaryAsync(source, summary, relaySince, CancellationToken.None);
        return summary;
    }

    private Task<IReadOnlyList<FeedbackOutcome>> ImportBatchAsync(RelaySummary summary, params IncomingFeedback[] items) =>
        handler.SubmitAsync("survey", items.Select(handler.Score).ToList(), new FeedbackRelayPlan { Summary = summary }, CancellationToken.None);

    [DatabaseFact]
    public async Task An_import_whose_summary_another_import_took_over_stops_and_what_it_stored_goes_out_once_with_the_other()
    {
        var first = await OpenImportAsync();
        await ImportBatchAsync(first, Item("X1", 5, "Ana called the courier for me"), Item("X2", 5, "Ana found my parcel"));

        var second = await OpenImportAsync();
        var stillWriting = await Record.ExceptionAsync(() => ImportBatchAsync(first, Item("X3", 5)));
        var finishing = await Record.ExceptionAsync(() => handler.RelaySummaryAsync(first, CancellationToken.None));

        Assert.Equal((1, 1), (second.People, second.ChannelPosts));
        Assert.IsType<SummaryTakenOverException>(stillWriting);
        Assert.IsType<SummaryTakenOverException>(finishing);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM feedback_items WHERE external_id = 'X3'"));
        Assert.Empty(await KeysAsync());
        Assert.Equal(2, await handler.RelaySummaryAsync(second, CancellationToken.None));
        var keys = await KeysAsync();
        Assert.All(keys, key => Assert.StartsWith(second.Key + ":", key, StringComparison.Ordinal));
        Assert.Contains("2 customers thanked you", await BodyAsync(keys[0]), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM open_summaries"));
    }

    [DatabaseFact]
    public async Task A_summary_left_open_is_taken_over_only_by_the_same_source_and_only_for_items_inside_the_new_relay_window()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stopped = await OpenImportAsync(now.AddDays(-60));
        await ImportBatchAsync(stopped, Item("Y1", 5, "Ana sorted it out today"), Item("Y2", 5, "Ana was kind last month") with { ReceivedAt = now.AddDays(-20) });

        var otherSource = await OpenImportAsync(now.AddDays(-7), source: "helpdesk");
        var sameSource = await OpenImportAsync(now.AddDays(-7));

        Assert.True(otherSource.IsEmpty);
        Assert.Equal(0, await handler.RelaySummaryAsync(otherSource, CancellationToken.None));
        Assert.Equal(2, await handler.RelaySummaryAsync(sameSource, CancellationToken.None));
        var dm = await BodyAsync((await KeysAsync())[0]);
        Assert.Contains("A customer thanked you", dm, StringComparison.Ordinal);
        Assert.DoesNotContain("last month", dm, StringComparison.Ordinal);
        // The older item stays as it was stored: counted for its week's digest, told to nobody.
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM feedback_items WHERE external_id = 'Y2' AND status = 'relayed' AND relayed_in = '{stopped.Key}'"));
    }
}

public sealed class SubmitFeedbackTestsOnSqlite() : SubmitFeedbackTests(DatabaseKind.Sqlite)
{
    [Fact]
    public async Task An_item_another_writer_stores_just_before_the_batch_inserts_it_is_answered_as_the_resend_it_is_and_the_rest_is_relayed()
    {
        // The seam: a trigger plays the other writer (the same webhook delivered twice at once), storing "raced" just before the batch's own insert.
        await ExecuteAsync("""
            CREATE TRIGGER other_writer BEFORE INSERT ON feedback_items
            WHEN NEW.external_id = 'raced' AND NOT EXISTS (SELECT 1 FROM feedback_items WHERE source = NEW.source AND external_id = 'raced')
            BEGIN
                INSERT INTO feedback_items (source, external_id, received_at, rating_scale, rating_value, redacted_text, status, created_at, updated_at)
                VALUES (NEW.source, 'raced', NEW.received_at, NEW.rating_scale, NEW.rating_value, NEW.redacted_text, 'relayed', NEW.created_at, NEW.updated_at);
            END
            """);

        var outcomes = await SubmitAsync(Item("A", 5), Item("raced", 5), Item("C", 5));

        Assert.Equal(["A relayed", "raced duplicate", "C relayed"], outcomes);
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM feedback_items"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM kudos"));
    }
}

[RequiresSqlServer]
public sealed class SubmitFeedbackTestsOnSqlServer() : SubmitFeedbackTests(DatabaseKind.SqlServer);
