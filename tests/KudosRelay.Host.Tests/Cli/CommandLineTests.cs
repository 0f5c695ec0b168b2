using Dapper;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Host.Tests.Cli;

public sealed class CommandLineTests
{
    private static async Task<HostProcess> RunAsync(params string[] args)
    {
        var process = HostProcess.Start(args);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return process;
    }

    [Fact]
    public async Task An_unknown_database_provider_stops_start_up_naming_the_key()
    {
        await using var run = await RunAsync("serve", "--Database:Provider=Postgres", "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Database:Provider must be 'Sqlite' or 'SqlServer', not 'Postgres'", run.ErrorOutput);
    }

    [Fact]
    public async Task Sql_server_without_a_connection_string_is_refused_naming_the_key()
    {
        await using var run = await RunAsync("migrate", "--Database:Provider=SqlServer");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Database:ConnectionString is required", run.ErrorOutput);
    }

    [Fact]
    public async Task Invalid_outbox_settings_are_refused_naming_the_key()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var run = await RunAsync("outbox", "list", $"--Database:ConnectionString={database.ConnectionString}", "--Outbox:BatchSize=0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Outbox:BatchSize must be between 1 and 1000", run.ErrorOutput);
    }

    [Fact]
    public async Task Migrate_applies_the_schema_once_and_then_reports_up_to_date()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, migrate: false);

        await using var first = await RunAsync("migrate", $"--Database:ConnectionString={database.ConnectionString}");
        await using var second = await RunAsync("migrate", $"--Database:ConnectionString={database.ConnectionString}");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("applied 0001_initial", first.Output);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains(second.Output, line => line.StartsWith("Database is up to date", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dead_letters_are_listed_with_their_reason_and_can_be_retried()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var store = new OutboxStore(database.Db, TimeProvider.System);
        var id = (await OutboxTestData.EnqueueAsync(database.Db, store, OutboxTestData.Message("doomed")))!.Value;
        await database.Db.WithConnectionAsync(c => c.ExecuteAsync(
            "UPDATE outbox_messages SET status = 'dead', attempts = 1, last_error = 'channel_not_found' WHERE id = @Id", new { Id = id }), CancellationToken.None);
        var connection = $"--Database:ConnectionString={database.ConnectionString}";

        await using var list = await RunAsync("outbox", "list", "--dead", connection);
        await using var retry = await RunAsync("outbox", "retry", id.ToString(System.Globalization.CultureInfo.InvariantCulture), connection);
        await using var retryAgain = await RunAsync("outbox", "retry", id.ToString(System.Globalization.CultureInfo.InvariantCulture), connection);

        Assert.Equal(0, list.ExitCode);
        Assert.Contains(list.Output, line => line.Contains("channel_not_found", StringComparison.Ordinal) && line.Contains("dead", StringComparison.Ordinal));
        Assert.Equal(0, retry.ExitCode);
        Assert.Equal(1, retryAgain.ExitCode);
        Assert.Contains($"There is no dead-lettered message {id}", retryAgain.ErrorOutput);
        Assert.Equal(1, (await store.CountAsync(CancellationToken.None)).Pending);
    }
}
