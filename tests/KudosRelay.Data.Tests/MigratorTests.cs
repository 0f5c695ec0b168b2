using Dapper;
using KudosRelay.Core.Storage;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Data.Tests;

public abstract class MigratorTests(DatabaseKind kind)
{
    [DatabaseFact]
    public async Task Migrations_apply_to_an_empty_database_and_a_second_run_is_a_no_op()
    {
        await using var database = await TestDatabase.CreateAsync(kind, migrate: false);
        var migrator = new Migrator(database.Db, TimeProvider.System);

        var first = await migrator.ApplyAsync(CancellationToken.None);
        var second = await migrator.ApplyAsync(CancellationToken.None);
        var status = await migrator.GetStatusAsync(CancellationToken.None);

        Assert.Equal(Migrator.For(database.Dialect).Select(m => m.Version), first.Select(m => m.Version));
        Assert.Empty(second);
        Assert.True(status.IsCurrent);
        var journal = await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_migrations"), CancellationToken.None);
        Assert.Equal(first.Count, journal);
    }

    [DatabaseFact]
    public async Task An_empty_database_reports_every_migration_pending()
    {
        await using var database = await TestDatabase.CreateAsync(kind, migrate: false);

        var status = await new Migrator(database.Db, TimeProvider.System).GetStatusAsync(CancellationToken.None);

        Assert.False(status.IsCurrent);
        Assert.Equal(Migrator.For(database.Dialect).Count, status.Pending.Count);
    }
}

public sealed class MigratorTestsOnSqlite() : MigratorTests(DatabaseKind.Sqlite)
{
    [Theory]
    [InlineData("feedback_items", "external_id")]
    [InlineData("outbox_messages", "idempotency_key")]
    [InlineData("teams_conversations", "conversation_id")]
    [InlineData("slack_workspaces", "team_id")]
    [InlineData("chat_identities", "user_id")]
    public async Task Keys_on_external_ids_compare_with_the_binary_collation(string table, string column)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        var collations = await database.Db.WithConnectionAsync(async connection =>
        {
            var indexes = await connection.QueryAsync<string>($"SELECT name FROM pragma_index_list('{table}')");
            var found = new List<string>();
            foreach (var index in indexes)
                found.AddRange(await connection.QueryAsync<string>($"SELECT coll FROM pragma_index_xinfo('{index}') WHERE name = '{column}'"));
            return found;
        }, CancellationToken.None);

        Assert.NotEmpty(collations);
        Assert.All(collations, collation => Assert.Equal("BINARY", collation));
    }

    [Fact]
    public async Task Sqlite_database_is_switched_to_write_ahead_logging()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        var mode = await database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<string>("PRAGMA journal_mode"), CancellationToken.None);

        Assert.Equal("wal", mode);
    }
}

[RequiresSqlServer]
public sealed class MigratorTestsOnSqlServer() : MigratorTests(DatabaseKind.SqlServer);

public sealed class MigrationFileTests
{
    [Fact]
    public void Every_dialect_has_the_same_numbered_migrations()
    {
        var sqlite = Migrator.For(SqlDialect.Sqlite).Select(m => m.Name);
        var sqlServer = Migrator.For(SqlDialect.SqlServer).Select(m => m.Name);

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, sqlServer);
    }

    [Fact]
    public void Migration_numbers_are_contiguous_from_one()
    {
        var versions = Migrator.For(SqlDialect.Sqlite).Select(m => m.Version).ToList();

        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }
}
