using Dapper;
using KudosRelay.Teams.Conversations;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Teams.Tests.Conversations;

/// <summary>
/// What the store remembers to spare the database a write per message and a read per reply, and how
/// soon it notices what another instance changed behind its back (played here by plain SQL).
/// </summary>
public abstract class TeamsConversationStoreTests(DatabaseKind kind) : IAsyncLifetime
{
    private readonly ManualClock clock = new();
    private TestDatabase database = null!;
    private TeamsConversationStore store = null!;

    private static readonly ConversationReference Personal = new()
    {
        ConversationId = "a:1-personal",
        ConversationType = "personal",
        TenantId = "tenant-1",
        ServiceUrl = "https://smba.trafficmanager.net/emea/",
        BotId = "28:bot",
        UserId = "29:user",
        UserAadId = "aad-user",
        Installed = true,
    };

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        store = new TeamsConversationStore(database.Db, clock);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [DatabaseFact]
    public async Task The_same_reference_saved_again_soon_is_not_written_again()
    {
        await store.SaveAsync(Personal, CancellationToken.None);
        await ChangeBehindTheStoresBackAsync("service_url = 'https://moved.example.com/'");

        await store.SaveAsync(Personal, CancellationToken.None);
        Assert.Equal("https://moved.example.com/", await ColumnAsync("service_url"));

        clock.Advance(ReferenceCache.Freshness);
        await store.SaveAsync(Personal, CancellationToken.None);
        Assert.Equal(Personal.ServiceUrl, await ColumnAsync("service_url"));
    }

    [DatabaseFact]
    public async Task An_install_is_written_even_when_the_same_reference_was_saved_lately()
    {
        await store.SaveAsync(Personal, CancellationToken.None);
        await ChangeBehindTheStoresBackAsync("installed = 0");

        await store.SaveAsync(Personal, CancellationToken.None, always: true);

        Assert.Equal("1", await ColumnAsync("installed"));
    }

    [DatabaseFact]
    public async Task A_reference_read_lately_is_served_from_memory_until_it_is_no_longer_fresh()
    {
        await store.SaveAsync(Personal, CancellationToken.None);
        Assert.True((await store.FindAsync(Personal.ConversationId, CancellationToken.None))!.Installed);
        await ChangeBehindTheStoresBackAsync("installed = 0");

        Assert.True((await store.FindAsync(Personal.ConversationId, CancellationToken.None))!.Installed);
        clock.Advance(ReferenceCache.Freshness);
        Assert.False((await store.FindAsync(Personal.ConversationId, CancellationToken.None))!.Installed);
    }

    [DatabaseFact]
    public async Task A_save_makes_the_next_read_see_the_row_as_merged_in_the_database()
    {
        await store.SaveAsync(Personal, CancellationToken.None);
        await store.FindAsync(Personal.ConversationId, CancellationToken.None);

        // A later activity without a tenant or user keeps the ones already stored.
        await store.SaveAsync(Personal with { TenantId = null, UserId = null, ServiceUrl = "https://smba.trafficmanager.net/amer/" }, CancellationToken.None);
        var found = await store.FindAsync(Personal.ConversationId, CancellationToken.None);

        Assert.Equal("https://smba.trafficmanager.net/amer/", found!.ServiceUrl);
        Assert.Equal("tenant-1", found.TenantId);
        Assert.Equal("29:user", found.UserId);
    }

    [DatabaseFact]
    public async Task An_uninstall_is_seen_at_once_by_the_instance_that_made_it()
    {
        await store.SaveAsync(Personal, CancellationToken.None);
        await store.FindAsync(Personal.ConversationId, CancellationToken.None);

        await store.UninstallAsync(Personal.ConversationId, CancellationToken.None);

        Assert.False((await store.FindAsync(Personal.ConversationId, CancellationToken.None))!.Installed);
        Assert.Null(await store.FindForUserAsync(Personal.UserAadId!, CancellationToken.None));
    }

    private Task<int> ChangeBehindTheStoresBackAsync(string assignment) =>
        database.Db.WithConnectionAsync(connection => connection.ExecuteAsync(
            $"UPDATE teams_conversations SET {assignment} WHERE conversation_id = @Id", new { Id = Personal.ConversationId }), CancellationToken.None);

    private Task<string?> ColumnAsync(string column) =>
        database.Db.WithConnectionAsync(connection => connection.QuerySingleAsync<string?>(
            $"SELECT CAST({column} AS {(kind == DatabaseKind.Sqlite ? "TEXT" : "NVARCHAR(400)")}) FROM teams_conversations WHERE conversation_id = @Id",
            new { Id = Personal.ConversationId }), CancellationToken.None);
}

public sealed class TeamsConversationStoreTestsOnSqlite() : TeamsConversationStoreTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class TeamsConversationStoreTestsOnSqlServer() : TeamsConversationStoreTests(DatabaseKind.SqlServer);
