using System.Text.RegularExpressions;
using Dapper;
using KudosRelay.Core.Outbox;
using KudosRelay.Host.Cli;
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

    /// <summary>
    /// Parses and runs a command line in this process; only for command lines that never reach a command's action.
    /// The executable is named after this test process here, so usage lines are matched from the command path on.
    /// </summary>
    private static async Task<(int ExitCode, string Output, string Error)> ParseAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await KudosRelayCli.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task An_unknown_command_exits_2_with_the_usage_on_standard_error_and_creates_no_file()
    {
        var folder = Directory.CreateTempSubdirectory("kudosrelay-cli-");
        try
        {
            await using var run = HostProcess.StartIn(folder.FullName, "tnoe");

            Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Unrecognized command or argument 'tnoe'", run.ErrorOutput, StringComparison.Ordinal);
            Assert.Contains("Usage:", run.ErrorOutput, StringComparison.Ordinal);
            Assert.All(["serve", "migrate", "org", "feedback", "outbox", "teams"], command => Assert.Contains($"\n  {command} ", run.ErrorOutput, StringComparison.Ordinal));
            Assert.Empty(run.Output);
            Assert.Empty(folder.EnumerateFileSystemInfos());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("outbox list --bogus", "Unrecognized command or argument '--bogus'", " outbox list [options]")]
    [InlineData("org import --bogus org.yaml", "Unrecognized option '--bogus'", " org import <file> [options]")]
    [InlineData("outbox show --verbose", "Unrecognized option '--verbose'", " outbox show <id> [options]")]
    [InlineData("migrate --dry-run", "Unrecognized command or argument '--dry-run'", " migrate [options]")]
    [InlineData("serve --port 8080", "Unrecognized command or argument '--port'", " serve [options]")]
    [InlineData("org imprt org.yaml", "Unrecognized command or argument 'imprt'", " org [command] [options]")]
    [InlineData("teams package", "Option '--app-id' is required", " teams package [options]")]
    public async Task A_mistake_on_a_known_command_exits_2_with_that_commands_usage_on_standard_error(string commandLine, string complaint, string usage)
    {
        var (exitCode, output, error) = await ParseAsync(commandLine.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Contains(complaint, error, StringComparison.Ordinal);
        Assert.Contains(usage, error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("", "serve,migrate,org,feedback,outbox,teams,--urls")]
    [InlineData("serve", "--urls")]
    [InlineData("migrate", " migrate [options]")]
    [InlineData("org", "import,export")]
    [InlineData("org import", "<file>")]
    [InlineData("org export", "--format,--out")]
    [InlineData("feedback", "import")]
    [InlineData("feedback import", "<file>,--source,--map,--scale")]
    [InlineData("outbox", "list,show,retry")]
    [InlineData("outbox list", "--dead,--pending,--limit")]
    [InlineData("outbox show", "<id>")]
    [InlineData("outbox retry", "<id>,--printed")]
    [InlineData("teams", "package")]
    [InlineData("teams package", "--app-id,--teams-app-id,--domain,--version,--out")]
    public async Task Help_on_any_command_exits_0_and_names_what_it_takes(string command, string named)
    {
        foreach (var help in new[] { "--help", "-h" })
        {
            var (exitCode, output, error) = await ParseAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), help]);

            Assert.Equal(0, exitCode);
            // The usage line names the command path after the executable, whose name differs in this test process.
            Assert.Matches($@"Usage:\n  \S+{Regex.Escape(command.Length > 0 ? " " + command : "")} [\[<]", output);
            Assert.All(named.Split(','), name => Assert.Contains(name, output, StringComparison.Ordinal));
            Assert.Empty(error);
        }
    }

    [Theory]
    [InlineData("migrate", "--Database:Provider=Postgres")]
    [InlineData("migrate", "--Database:Provider", "Postgres")]
    [InlineData("--Database:Provider=Postgres", "migrate")]
    [InlineData("--Database:Provider", "Postgres", "outbox", "list")]
    public async Task A_configuration_override_reaches_configuration_in_either_form_and_anywhere_on_the_line(params string[] args)
    {
        await using var run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Database:Provider must be 'Sqlite' or 'SqlServer', not 'Postgres'", run.ErrorOutput);
    }

    [Theory]
    [InlineData("--urls", "http://127.0.0.1:0", "serve")]
    [InlineData("serve", "--urls", "http://127.0.0.1:0")]
    [InlineData("--urls", "http://127.0.0.1:0")]
    public async Task Urls_are_taken_before_or_after_serve_and_without_it(params string[] args)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var run = HostProcess.Start([.. args, $"--Database:ConnectionString={database.ConnectionString}"]);

        var listening = await run.WaitUntilAsync(host => host.Output.Any(line => line.Contains("Now listening on: http://127.0.0.1:", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));

        Assert.True(listening, run.ErrorOutput);
        // Port 0 means a free port chosen at start; the default would be 5080.
        Assert.DoesNotContain(run.Output, line => line.Contains("Now listening on: " + KudosRelayServer.DefaultUrls, StringComparison.Ordinal));
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

    [Fact]
    public async Task Messages_printed_while_no_platform_was_configured_are_queued_again_with_retry_printed()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var store = new OutboxStore(database.Db, TimeProvider.System);
        foreach (var key in new[] { "a", "b" })
        {
            var id = (await OutboxTestData.EnqueueAsync(database.Db, store, OutboxTestData.Message(key)))!.Value;
            await database.Db.WithConnectionAsync(c => c.ExecuteAsync(
                "UPDATE outbox_messages SET status = 'printed', attempts = 1, platform_message_ref = 'console:1' WHERE id = @Id", new { Id = id }), CancellationToken.None);
        }
        var connection = $"--Database:ConnectionString={database.ConnectionString}";

        await using var list = await RunAsync("outbox", "list", connection);
        await using var retry = await RunAsync("outbox", "retry", "--printed", connection);

        Assert.Contains(list.Output, line => line.Contains("2 printed", StringComparison.Ordinal));
        Assert.Equal(0, retry.ExitCode);
        Assert.Contains(retry.Output, line => line.StartsWith("2 printed message(s) queued", StringComparison.Ordinal));
        Assert.Equal(new OutboxCounts(2, 0, 0), await store.CountAsync(CancellationToken.None));
    }
}
