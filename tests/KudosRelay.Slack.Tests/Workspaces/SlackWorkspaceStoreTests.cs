using KudosRelay.Slack.Workspaces;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Slack.Tests.Workspaces;

public abstract class SlackWorkspaceStoreTests(DatabaseKind kind) : IAsyncLifetime
{
    private static readonly DateTime RevokedAt = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    private readonly ManualClock clock = new();
    private TestDatabase database = null!;
    private SlackWorkspaceStore store = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        store = new SlackWorkspaceStore(database.Db, clock);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [DatabaseFact]
    public async Task A_revocation_is_kept_and_a_second_one_does_not_move_its_time()
    {
        await store.RevokeAsync("T0001", "token_revoked", RevokedAt, "hash-1", CancellationToken.None);
        await store.RevokeAsync("T0001", "app_uninstalled", RevokedAt.AddHours(1), "hash-1", CancellationToken.None);

        var revoked = Assert.Single(await store.RevokedAsync(CancellationToken.None));

        Assert.Equal(("T0001", RevokedAt, "token_revoked"), (revoked.TeamId, revoked.RevokedAt, revoked.Reason));
    }

    [DatabaseFact]
    public async Task An_event_after_the_revocation_reinstates_the_workspace_and_an_older_one_does_not()
    {
        await store.RevokeAsync("T0001", "token_revoked", RevokedAt, "hash-1", CancellationToken.None);

        Assert.False(await store.ReinstateIfRevokedBeforeAsync("T0001", RevokedAt.AddSeconds(-1), CancellationToken.None));
        Assert.True(await store.ReinstateIfRevokedBeforeAsync("T0001", RevokedAt.AddSeconds(1), CancellationToken.None));
        Assert.Empty(await store.RevokedAsync(CancellationToken.None));
    }

    [DatabaseFact]
    public async Task Only_a_different_token_reinstates_the_workspace()
    {
        await store.RevokeAsync("T0001", "token_revoked", RevokedAt, "hash-1", CancellationToken.None);

        Assert.False(await store.ReinstateIfTokenChangedAsync("T0001", "hash-1", CancellationToken.None));
        Assert.True(await store.ReinstateIfTokenChangedAsync("T0001", "hash-2", CancellationToken.None));
    }

    [DatabaseFact]
    public async Task Team_ids_that_differ_only_in_case_are_two_workspaces()
    {
        await store.RevokeAsync("T0ABC", "token_revoked", RevokedAt, "hash-1", CancellationToken.None);
        await store.RevokeAsync("t0abc", "app_uninstalled", RevokedAt, "hash-1", CancellationToken.None);

        var revoked = await store.RevokedAsync(CancellationToken.None);

        Assert.Equal(["T0ABC", "t0abc"], revoked.Select(r => r.TeamId).Order(StringComparer.Ordinal));
    }
}

public sealed class SlackWorkspaceStoreTestsOnSqlite() : SlackWorkspaceStoreTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class SlackWorkspaceStoreTestsOnSqlServer() : SlackWorkspaceStoreTests(DatabaseKind.SqlServer);
