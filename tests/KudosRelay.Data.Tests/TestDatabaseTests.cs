using Dapper;
using KudosRelay.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace KudosRelay.Data.Tests;

/// <summary>Tests run side by side: a test database cleans up its own connections and leaves every other test's alone.</summary>
public sealed class TestDatabaseTests
{
    [Fact]
    public async Task Disposing_a_database_closes_its_pooled_connections_and_no_others()
    {
        var mine = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var other = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await QueryAsync(mine);
        await QueryAsync(other);
        Assert.NotEmpty(OpenFiles(mine));

        await mine.DisposeAsync();

        Assert.Empty(OpenFiles(mine));
        Assert.NotEmpty(OpenFiles(other));
    }

    private static Task<int> QueryAsync(TestDatabase database) =>
        database.Db.WithConnectionAsync(connection => connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sqlite_master"), CancellationToken.None);

    /// <summary>This process's open descriptors on the database's files, deleted or not (Linux, where the tests run).</summary>
    private static List<string> OpenFiles(TestDatabase database)
    {
        var file = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        return [.. Directory.EnumerateFiles("/proc/self/fd")
            .Select(descriptor => new FileInfo(descriptor).LinkTarget)
            .OfType<string>()
            .Where(target => target.StartsWith(file, StringComparison.Ordinal))];
    }
}
