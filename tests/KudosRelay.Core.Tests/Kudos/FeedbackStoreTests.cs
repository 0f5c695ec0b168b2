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

    private Task<long?> InsertAsync(FeedbackItem item) => database.Db.WriteAsync(transaction => store.InsertAsync(transaction, item, CancellationToken.None));

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
        var agent = await SeedRows.PersonAsync(database.Db, "ana");
        var team = await SeedRows.TeamAsync(database.Db, "support-eu");
        var item = new FeedbackItem
        {
            Source = "zendesk",
            ExternalId = "T-200",
            ReceivedAt = Now.AddMinutes(-5),
            AgentEmail = "ana@example.com",
            AgentPersonId = agent,
            TeamId = team,
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
}

public sealed class FeedbackStoreTestsOnSqlite() : FeedbackStoreTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class FeedbackStoreTestsOnSqlServer() : FeedbackStoreTests(DatabaseKind.SqlServer);
