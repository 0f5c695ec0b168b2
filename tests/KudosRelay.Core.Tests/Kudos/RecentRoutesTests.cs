using Dapper;
using KudosRelay.Core.Kudos;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

/// <summary>A bulk import's reading task keeps the people and teams it looked up for a while, then looks again.</summary>
public abstract class RecentRoutesTests(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase database = null!;
    private readonly ManualClock clock = new();

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        await SeedRows.PersonAsync(database.Db, "ana");
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private Task<string?> NameOfAnaAsync(RecentRoutes routes) =>
        database.Db.ReadAsync(async transaction => (await routes.In(transaction).AgentAsync("ana@example.com", CancellationToken.None))?.DisplayName, CancellationToken.None);

    private Task<int> RenameAnaAsync(string name) =>
        database.Db.WriteAsync(transaction => transaction.Connection!.ExecuteAsync(
            "UPDATE people SET display_name = @Name WHERE email = 'ana@example.com'", new { Name = name }, transaction));

    [DatabaseFact]
    public async Task A_person_looked_up_is_asked_about_again_only_once_the_routes_are_older_than_their_lifetime()
    {
        var routes = new RecentRoutes(clock, TimeSpan.FromSeconds(1));
        Assert.Equal("ana", await NameOfAnaAsync(routes));

        await RenameAnaAsync("Ana Petrova");
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal("ana", await NameOfAnaAsync(routes));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("Ana Petrova", await NameOfAnaAsync(routes));
    }
}

public sealed class RecentRoutesTestsOnSqlite() : RecentRoutesTests(DatabaseKind.Sqlite);

[RequiresSqlServer]
public sealed class RecentRoutesTestsOnSqlServer() : RecentRoutesTests(DatabaseKind.SqlServer);
