using Dapper;
using KudosRelay.Core.Kudos;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

public abstract class KudosStoreTests(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase database = null!;
    private readonly ManualClock clock = new();
    private KudosStore store = null!;
    private long ana;
    private long boris;
    private long team;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        store = new KudosStore(database.Db, clock);
        ana = await SeedRows.PersonAsync(database.Db, "ana");
        boris = await SeedRows.PersonAsync(database.Db, "boris");
        team = await SeedRows.TeamAsync(database.Db, "support-eu");
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private KudosItem Peer(long giver, long recipient, string text) => new()
    {
        Kind = KudosKind.Peer,
        GiverPersonId = giver,
        RecipientPersonId = recipient,
        TeamId = team,
        Text = text,
        Status = KudosStatus.Relayed,
    };

    private Task<long> InsertAsync(KudosItem kudos) => database.Db.WriteAsync(transaction => store.InsertAsync(transaction, kudos, CancellationToken.None));

    [DatabaseFact]
    public async Task Peer_kudos_read_back_with_giver_recipient_and_cross_department_flag()
    {
        var kudos = Peer(ana, boris, "Thanks for covering my shift") with { CrossDepartment = true };

        var id = await InsertAsync(kudos);
        var listed = await store.ListForRecipientAsync(boris, Now.AddDays(-1), Now.AddDays(1), CancellationToken.None);

        Assert.Equal(kudos with { Id = id, CreatedAt = Now }, Assert.Single(listed));
    }

    [DatabaseFact]
    public async Task Customer_kudos_keep_the_feedback_item_they_came_from_and_read_its_words()
    {
        var feedbackStore = new FeedbackStore(database.Db, clock);
        var item = new FeedbackItem { Source = "zendesk", ExternalId = "T-1", ReceivedAt = Now, RedactedText = "Ana was great", Status = "relayed" };
        var feedback = await database.Db.WriteAsync(transaction => feedbackStore.InsertAsync(transaction, item, CancellationToken.None));
        var kudos = new KudosItem { Kind = KudosKind.Customer, FeedbackItemId = feedback, RecipientPersonId = ana, Status = KudosStatus.Relayed };

        var id = await InsertAsync(kudos);
        var listed = await store.ListCreatedBetweenAsync(Now, Now.AddSeconds(1), CancellationToken.None);

        Assert.Equal(kudos with { Id = id, CreatedAt = Now, Text = "Ana was great" }, Assert.Single(listed));
        Assert.False(listed[0].CrossDepartment);
        Assert.Equal("", await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<string>("SELECT text FROM kudos"), CancellationToken.None));

        // The customer changed their words: the kudos reads the new ones, not a copy made when it was given.
        await database.Db.WriteAsync(transaction => feedbackStore.UpdateAsync(transaction, item with { Id = feedback!.Value, RedactedText = "Ana was wonderful" }, CancellationToken.None));
        Assert.Equal("Ana was wonderful", Assert.Single(await store.ListForRecipientAsync(ana, Now.AddDays(-1), Now.AddDays(1), CancellationToken.None)).Text);
    }

    [DatabaseFact]
    public async Task Withdrawn_kudos_are_left_out_of_lists_and_are_withdrawn_only_once()
    {
        var kept = await InsertAsync(Peer(ana, boris, "kept"));
        var withdrawn = await InsertAsync(Peer(ana, boris, "oops, wrong person"));
        clock.Advance(TimeSpan.FromMinutes(5));

        var first = await database.Db.WriteAsync(transaction => store.WithdrawAsync(transaction, withdrawn, Now, CancellationToken.None));
        var second = await database.Db.WriteAsync(transaction => store.WithdrawAsync(transaction, withdrawn, Now.AddMinutes(1), CancellationToken.None));

        Assert.True(first);
        Assert.False(second);
        var window = (Since: Now.AddDays(-1), Until: Now.AddDays(1));
        Assert.Equal([kept], (await store.ListForRecipientAsync(boris, window.Since, window.Until, CancellationToken.None)).Select(k => k.Id));
        Assert.Equal([kept], (await store.ListCreatedBetweenAsync(window.Since, window.Until, CancellationToken.None)).Select(k => k.Id));
    }

    [DatabaseFact]
    public async Task Listing_for_a_recipient_covers_only_their_kudos_in_the_window_oldest_first()
    {
        var since = Now;
        await InsertAsync(Peer(boris, ana, "before the window"));
        clock.Advance(TimeSpan.FromHours(1));
        var first = await InsertAsync(Peer(boris, ana, "first"));
        await InsertAsync(Peer(ana, boris, "to someone else"));
        clock.Advance(TimeSpan.FromHours(1));
        var second = await InsertAsync(Peer(boris, ana, "second"));
        clock.Advance(TimeSpan.FromHours(1));
        await InsertAsync(Peer(boris, ana, "at the end, outside"));

        var listed = await store.ListForRecipientAsync(ana, since.AddSeconds(1), Now, CancellationToken.None);

        Assert.Equal([first, second], listed.Select(k => k.Id));
    }

    [DatabaseFact]
    public async Task Kudos_created_between_two_times_are_listed_for_everyone_oldest_first()
    {
        var since = Now;
        var first = await InsertAsync(Peer(boris, ana, "at the start"));
        clock.Advance(TimeSpan.FromDays(1));
        var second = await InsertAsync(Peer(ana, boris, "next day"));
        clock.Advance(TimeSpan.FromDays(6));
        await InsertAsync(Peer(ana, boris, "a week later, outside"));

        var listed = await store.ListCreatedBetweenAsync(since, since.AddDays(7), CancellationToken.None);

        Assert.Equal([first, second], listed.Select(k => k.Id));
    }

    [DatabaseFact]
    public async Task Many_kudos_stored_at_once_read_back_each_with_its_own_recipient_and_text()
    {
        var kudos = new[] { Peer(ana, boris, "Thanks for the cover"), Peer(boris, ana, "Thanks for the handover") with { CrossDepartment = true } };

        await database.Db.WriteAsync(async transaction =>
        {
            await store.InsertManyAsync(transaction, kudos, CancellationToken.None);
            return true;
        });

        var listed = await store.ListCreatedBetweenAsync(Now, Now.AddSeconds(1), CancellationToken.None);
        Assert.Equal(kudos.Select(k => k with { CreatedAt = Now }), listed.Select(k => k with { Id = 0 }));
    }
}

public sealed class KudosStoreTestsOnSqlite() : KudosStoreTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class KudosStoreTestsOnSqlServer() : KudosStoreTests(DatabaseKind.SqlServer);
