using Dapper;
using KudosRelay.Core.Kudos;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

public abstract class FeedbackStoreTests(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase database = null!;
    private readonly ManualClock clock = new();
    private FeedbackStore store = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        store = new FeedbackStore(database.Db, clock);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private FeedbackItem Item(string externalId, string source = "zendesk", string status = "received", DateTime? receivedAt = null) => new()
    {
        Source = source,
        ExternalId = externalId,
        ReceivedAt = receivedAt ?? Now,
        Status = status,
    };

    private async Task<FeedbackItem> ItemWithEveryColumnAsync() => new()
    {
        Source = "zendesk",
        ExternalId = "T-200",
        ReceivedAt = Now.AddMinutes(-5),
        AgentEmail = "ana@example.com",
        AgentPersonId = await SeedRows.PersonAsync(database.Db, "ana"),
        TeamId = await SeedRows.TeamAsync(database.Db, "support-eu"),
        CaseRef = "CASE-42",
        Language = "bg",
        RatingScale = "csat-5",
        RatingValue = 4.5,
        Score = 0.875,
        CustomerName = "Ivan",
        RedactedText = "Thanks [name], you saved my day",
        OriginalText = "Thanks Ana, you saved my day",
        Status = "received",
    };

    private Task<long?> InsertAsync(FeedbackItem item) => database.Db.WriteAsync(transaction => store.InsertAsync(transaction, item, CancellationToken.None));

    [DatabaseFact]
    public async Task External_ids_that_differ_only_in_case_are_two_items()
    {
        var lower = await InsertAsync(Item("abc"));
        var upper = await InsertAsync(Item("ABC"));
        var batch = await database.Db.WriteAsync(transaction => store.InsertManyAsync(transaction, "zendesk", [Item("xyz"), Item("XYZ")], CancellationToken.None));

        Assert.NotNull(lower);
        Assert.NotNull(upper);
        Assert.NotEqual(lower, upper);
        Assert.Equal(lower, (await store.FindAsync("zendesk", "abc", CancellationToken.None))!.Id);
        Assert.Equal(upper, (await store.FindAsync("zendesk", "ABC", CancellationToken.None))!.Id);
        Assert.Null(await store.FindAsync("zendesk", "Abc", CancellationToken.None));
        Assert.Equal(2, batch!.Count);
        var found = await database.Db.WriteAsync(transaction => store.FindManyAsync(transaction, "zendesk", ["abc", "XYZ", "aBc"], CancellationToken.None));
        Assert.Equal(["XYZ", "abc"], found.Keys.Order(StringComparer.Ordinal));
    }

    [DatabaseFact]
    public async Task Resending_the_same_source_and_external_id_is_not_stored_twice()
    {
        var first = await InsertAsync(Item("T-100"));
        var again = await InsertAsync(Item("T-100") with { Status = "relayed", RatingValue = 1 });
        var otherSource = await InsertAsync(Item("T-100", source: "survey"));

        Assert.NotNull(first);
        Assert.Null(again);
        Assert.NotNull(otherSource);
        var stored = await store.FindAsync("zendesk", "T-100", CancellationToken.None);
        Assert.Equal("received", stored!.Status);
        Assert.Null(stored.RatingValue);
    }

    [DatabaseFact]
    public async Task A_stored_item_reads_back_with_every_column()
    {
        var item = await ItemWithEveryColumnAsync();

        var id = await InsertAsync(item);
        var found = await store.FindAsync("zendesk", "T-200", CancellationToken.None);

        Assert.Equal(item with { Id = id!.Value, CreatedAt = Now, UpdatedAt = Now }, found);
        Assert.Equal(DateTimeKind.Utc, found!.ReceivedAt.Kind);
        Assert.Null(await store.FindAsync("zendesk", "T-404", CancellationToken.None));
    }

    [DatabaseFact]
    public async Task A_rating_changed_after_the_fact_is_written_with_its_status_and_score()
    {
        var id = (await InsertAsync(Item("T-300") with { RatingScale = "csat-5", RatingValue = 5, Score = 0.9, CaseRef = "CASE-7" }))!.Value;
        var stored = (await store.FindAsync("zendesk", "T-300", CancellationToken.None))!;
        clock.Advance(TimeSpan.FromHours(3));

        var changed = stored with { RatingValue = 2, Score = 0.1, Status = "withdrawn", RedactedText = "Actually, no", CaseRef = "ignored" };
        var updated = await database.Db.WriteAsync(transaction => store.UpdateAsync(transaction, changed, CancellationToken.None));
        var missing = await database.Db.WriteAsync(transaction => store.UpdateAsync(transaction, changed with { Id = id + 1000 }, CancellationToken.None));

        Assert.True(updated);
        Assert.False(missing);
        var after = (await store.FindAsync("zendesk", "T-300", CancellationToken.None))!;
        Assert.Equal(2, after.RatingValue);
        Assert.Equal(0.1, after.Score);
        Assert.Equal("withdrawn", after.Status);
        Assert.Equal("Actually, no", after.RedactedText);
        Assert.Equal("CASE-7", after.CaseRef);
        Assert.Equal(stored.CreatedAt, after.CreatedAt);
        Assert.Equal(Now, after.UpdatedAt);
    }

    [DatabaseFact]
    public async Task Counts_per_status_cover_only_items_received_in_the_window()
    {
        var since = Now.AddDays(-7);
        var until = Now;
        await InsertAsync(Item("before", receivedAt: since.AddSeconds(-1)));
        await InsertAsync(Item("at-start", status: "relayed", receivedAt: since));
        await InsertAsync(Item("inside", status: "relayed", receivedAt: since.AddDays(3)));
        await InsertAsync(Item("held", status: "held", receivedAt: until.AddSeconds(-1)));
        await InsertAsync(Item("at-end", receivedAt: until));

        var counts = await store.CountByStatusSinceAsync(since, until, CancellationToken.None);

        Assert.Equal(new Dictionary<string, int> { ["relayed"] = 2, ["held"] = 1 }, counts);
    }

    [DatabaseFact]
    public async Task Many_new_items_are_stored_at_once_with_their_ids_and_found_again_by_external_id()
    {
        await InsertAsync(Item("T-1", source: "survey"));
        // More ids than one SQL Server IN list takes, so the look-up is chunked there.
        var items = Enumerable.Range(2, 1_200).Select(i => Item($"T-{i}", source: "ignored") with { RedactedText = $"text {i}" }).ToList();

        var ids = await database.Db.WriteAsync(transaction => store.InsertManyAsync(transaction, "survey", items, CancellationToken.None));
        var found = await database.Db.WriteAsync(transaction => store.FindManyAsync(
            transaction, "survey", ["T-1", "T-2", "T-2", "T-1201", "T-9999"], CancellationToken.None));
        var everything = await database.Db.WriteAsync(transaction => store.FindManyAsync(
            transaction, "survey", items.Select(item => item.ExternalId), CancellationToken.None));

        Assert.NotNull(ids);
        Assert.Equal(1_200, ids.Count);
        Assert.Equal(1_200, ids.Values.Distinct().Count());
        Assert.Equal(["T-1", "T-1201", "T-2"], found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ids["T-2"], found["T-2"].Id);
        Assert.Equal("survey", found["T-1201"].Source);
        Assert.Equal("text 1201", found["T-1201"].RedactedText);
        Assert.Equal(Now, found["T-1201"].CreatedAt);
        Assert.Equal(1_200, everything.Count);
        Assert.Empty(await database.Db.WriteAsync(transaction => store.FindManyAsync(transaction, "other", ["T-1"], CancellationToken.None)));
    }

    [DatabaseFact]
    public async Task An_item_stored_in_a_batch_holds_every_value_in_the_form_a_single_insert_gives_it()
    {
        clock.Advance(TimeSpan.FromTicks(1_234_567));
        var item = await ItemWithEveryColumnAsync() with
        {
            Source = "survey",
            ExternalId = "T-1",
            ReceivedAt = Now.AddMinutes(-3).AddTicks(7),
            CustomerName = "Мария",
            RedactedText = "Благодаря! \"quoted\" \u2014 line\nbreak",
            OriginalText = null,
        };
        await InsertAsync(item);
        await database.Db.WriteAsync(transaction => store.InsertManyAsync(transaction, "survey", [item with { ExternalId = "T-2" }], CancellationToken.None));

        var rows = (await database.Db.WithConnectionAsync(connection => connection.QueryAsync(
            "SELECT * FROM feedback_items ORDER BY id"), CancellationToken.None)).Cast<IDictionary<string, object?>>().ToList();

        Assert.Equal(2, rows.Count);
        foreach (var column in rows[0].Keys.Except(["id", "external_id"]))
            Assert.True(Equals(rows[0][column], rows[1][column]), $"{column}: {rows[0][column]} one at a time, {rows[1][column]} in a batch");
        // received_at is DATETIME2(3): SQL Server keeps milliseconds (rounded), SQLite every tick; a millisecond either side holds both.
        var inRange = await store.CountByStatusSinceAsync(item.ReceivedAt.AddMilliseconds(-1), item.ReceivedAt.AddMilliseconds(1), CancellationToken.None);
        Assert.Equal(2, inRange["received"]);
    }

    [DatabaseFact]
    public async Task Storing_many_items_leaves_one_stored_already_as_it_is_and_answers_the_ids_of_the_others()
    {
        var before = await InsertAsync(Item("T-2", source: "survey") with { RedactedText = "first" });

        var ids = await database.Db.WriteAsync(transaction => store.InsertManyAsync(
            transaction, "survey", [Item("T-1"), Item("T-2") with { RedactedText = "second" }, Item("T-3")], CancellationToken.None));

        Assert.Equal(["T-1", "T-3"], ids.Keys.Order(StringComparer.Ordinal));
        var kept = (await store.FindAsync("survey", "T-2", CancellationToken.None))!;
        Assert.Equal((before, "first"), (kept.Id, kept.RedactedText));
    }

    [DatabaseFact]
    public async Task Routing_many_items_at_once_writes_each_its_own_status_agent_and_team()
    {
        var agent = await SeedRows.PersonAsync(database.Db, "ana");
        var team = await SeedRows.TeamAsync(database.Db, "care");
        var first = (await InsertAsync(Item("T-1")))!.Value;
        var second = (await InsertAsync(Item("T-2")))!.Value;
        clock.Advance(TimeSpan.FromMinutes(1));

        await database.Db.WriteAsync(async transaction =>
        {
            await store.SetRoutingManyAsync(transaction, [new FeedbackRouting(first, "relayed", agent, team), new FeedbackRouting(second, "unrouted", null, team)], CancellationToken.None);
            return true;
        });

        var one = (await store.FindAsync("zendesk", "T-1", CancellationToken.None))!;
        var two = (await store.FindAsync("zendesk", "T-2", CancellationToken.None))!;
        Assert.Equal(("relayed", agent, team, Now), (one.Status, one.AgentPersonId, one.TeamId, one.UpdatedAt));
        Assert.Equal(("unrouted", (long?)null, team, Now), (two.Status, two.AgentPersonId, two.TeamId, two.UpdatedAt));
    }
}

public sealed class FeedbackStoreTestsOnSqlite() : FeedbackStoreTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class FeedbackStoreTestsOnSqlServer() : FeedbackStoreTests(DatabaseKind.SqlServer);
