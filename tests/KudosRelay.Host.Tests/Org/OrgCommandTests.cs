using Dapper;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Host.Tests.Org;

public sealed class OrgCommandTests : IAsyncLifetime
{
    private const string GoodFile = """
        people:
          - email: ana@example.com
            name: Ana Petrova
            timeZone: Europe/Sofia
            locale: bg
            slack: U012ABCDEF
          - email: mihai@example.com
            name: Mihai Popescu
            timeZone: Europe/Bucharest
        teams:
          - key: care
            name: Customer Care
            lead: ana@example.com
            members: [ana@example.com]
            channels: { slack: C012CARE }
        departments:
          - key: billing
            name: Billing
            lead: mihai@example.com
            members: [mihai@example.com]
            sla: 16h
            workingHours: "09:00-18:00"
            workingDays: [Mon, Tue, Wed, Thu, Fri]
            timeZone: Europe/Bucharest
            holidays: [2026-12-25]
            channels: { slack: C012BILL }
        digests:
          - name: care-weekly
            channel: { slack: C012CARE }
            scope: { team: care }
        """;

    // Slack and Teams are not configured in these runs: their id formats check the file all the same.
    private const string BadFile = """
        people:
          - email: ana@
            name: Ana
            timeZone: Europe/Sofa
            slack: ana
        teams:
          - key: care
            name: Care
            members: [nobody@example.com]
            channels: { teams: general }
        """;

    private static readonly string[] BadFileChatIdErrors =
    [
        "people[0].slack: 'ana' is not a Slack user id (U… or W…)",
        "teams[0].channels.teams: 'general' is not a Teams channel id (19:…)",
    ];

    private TestDatabase database = null!;
    private string folder = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        folder = Directory.CreateTempSubdirectory("kudosrelay-org-").FullName;
    }

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private string Connection => $"--Database:ConnectionString={database.ConnectionString}";

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private static async Task<HostProcess> RunAsync(params string[] args)
    {
        var process = HostProcess.Start(args);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return process;
    }

    private Task<int> CountPeopleAsync() =>
        database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM people"), CancellationToken.None);

    [Fact]
    public async Task A_bad_file_is_refused_whole_with_every_error_by_field_path_and_nothing_is_written()
    {
        var path = await WriteAsync("bad.yaml", BadFile);

        await using var run = await RunAsync("org", "import", path, Connection);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nothing was written", run.ErrorOutput);
        Assert.Contains("people[0].email", run.ErrorOutput);
        Assert.Contains("people[0].timeZone", run.ErrorOutput);
        Assert.Contains("teams[0].members[0]", run.ErrorOutput);
        Assert.All(BadFileChatIdErrors, error => Assert.Contains(error, run.ErrorOutput));
        Assert.Equal(0, await CountPeopleAsync());
    }

    [Fact]
    public async Task Importing_twice_creates_once_and_export_reimports_to_the_same_file()
    {
        var path = await WriteAsync("org.yaml", GoodFile);
        var exported = Path.Combine(folder, "exported.yaml");

        await using var first = await RunAsync("org", "import", path, Connection);
        await using var second = await RunAsync("org", "import", path, Connection);
        await using var export = await RunAsync("org", "export", "--out", exported, Connection);
        await using var reimport = await RunAsync("org", "import", exported, Connection);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains(first.Output, line => line.Contains("people:", StringComparison.Ordinal) && line.Contains("2 created", StringComparison.Ordinal));
        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotContain(second.Output, line => line.Contains(" created", StringComparison.Ordinal) && !line.Contains("0 created", StringComparison.Ordinal));
        Assert.Equal(0, export.ExitCode);
        Assert.Contains("care-weekly", await File.ReadAllTextAsync(exported));
        Assert.Equal(0, reimport.ExitCode);
        Assert.Equal(2, await CountPeopleAsync());
    }

    [Fact]
    public async Task An_import_into_a_new_sqlite_file_migrates_it_first()
    {
        var path = await WriteAsync("org.yaml", GoodFile);
        await using var fresh = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, migrate: false);

        await using var run = await RunAsync("org", "import", path, $"--Database:ConnectionString={fresh.ConnectionString}");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, await fresh.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM people"), CancellationToken.None));
    }

    [Fact]
    public async Task With_migrate_on_start_off_an_unmigrated_database_is_refused_with_the_command_that_migrates_it()
    {
        var path = await WriteAsync("org.yaml", GoodFile);
        await using var fresh = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, migrate: false);

        await using var run = await RunAsync("org", "import", path, $"--Database:ConnectionString={fresh.ConnectionString}", "--Database:MigrateOnStart=false");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not migrated", run.ErrorOutput);
        Assert.Contains("0001_initial", run.ErrorOutput);
        Assert.Contains("kudosrelay migrate", run.ErrorOutput);
        Assert.DoesNotContain("   at ", run.ErrorOutput);
    }

    [Fact]
    public async Task The_server_imports_org_file_at_start()
    {
        var path = await WriteAsync("org.yaml", GoodFile);

        await using var server = await TestServer.StartAsync(database, $"--Org:File={path}");

        Assert.Equal(2, await CountPeopleAsync());
    }

    [Fact]
    public async Task The_server_refuses_to_start_with_an_invalid_org_file_and_lists_the_errors()
    {
        var path = await WriteAsync("bad.yaml", BadFile);

        await using var run = await RunAsync("serve", "--urls", "http://127.0.0.1:0", Connection, $"--Org:File={path}");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Org:File", run.ErrorOutput);
        Assert.Contains("people[0].email", run.ErrorOutput);
        Assert.All(BadFileChatIdErrors, error => Assert.Contains(error, run.ErrorOutput));
        Assert.Equal(0, await CountPeopleAsync());
    }
}
