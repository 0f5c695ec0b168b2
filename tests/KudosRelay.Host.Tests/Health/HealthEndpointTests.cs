using System.Net;
using System.Net.Http.Json;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Host.Tests.Health;

public sealed class HealthEndpointTests
{
    private sealed record Readiness(string Status, string? Reason);

    [Fact]
    public async Task A_fresh_sqlite_database_is_migrated_at_start_and_the_server_is_ready()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, migrate: false);
        await using var server = await TestServer.StartAsync(database);

        var alive = await server.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var ready = await server.Client.GetFromJsonAsync<Readiness>(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("ready", ready!.Status);
    }

    [Fact]
    public async Task Asking_readyz_keeps_the_servers_sqlite_locks_so_a_command_run_beside_it_leaves_the_wal_files_alone()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await TestServer.StartAsync(database);
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        // A connection of this process that stays open whatever other tests do to the connection pools (clearing them closes
        // the server's idle connections, and a command that finds itself alone may then rightly tidy the WAL files away).
        // It is in the server's process, so a writability check that closed a descriptor of the file would drop its locks too.
        await using var held = new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString + ";Pooling=False");
        await held.OpenAsync();
        await using (var read = held.CreateCommand())
        {
            read.CommandText = "SELECT COUNT(*) FROM sqlite_master";
            await read.ExecuteScalarAsync();
        }

        // /readyz checks that the database files are writable, as the server does at start.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        await using (var command = HostProcess.Start("outbox", "list", $"--Database:ConnectionString={database.ConnectionString}"))
            Assert.Equal(0, await command.WaitForExitAsync(TimeSpan.FromMinutes(2)));

        // A command that believed itself the last one on the file would check-point it and delete the WAL files the
        // server has mapped ("disk I/O error" or SIGBUS in the server): it may do so only when it is the last.
        Assert.True(File.Exists(file + "-wal") && File.Exists(file + "-shm"), "the WAL files were deleted under the running server");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task An_unmigrated_database_with_migration_at_start_off_is_not_ready_and_says_what_to_run()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, migrate: false);
        await using var server = await TestServer.StartAsync(database, "--Database:MigrateOnStart=false");

        var response = await server.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<Readiness>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("0001_initial", body!.Reason);
        Assert.Contains("pending", body.Reason);
        Assert.Contains("kudosrelay migrate", body.Reason);
    }

    [Fact]
    public async Task An_unreachable_database_makes_readyz_503_while_the_process_stays_alive()
    {
        // Port 1 on loopback refuses at once; nothing leaves this machine.
        await using var server = await TestServer.StartAsync(
            "--Database:Provider=SqlServer",
            "--Database:ConnectionString=Server=tcp:127.0.0.1,1;Database=kudosrelay;User Id=sa;Password=not-a-secret;Connect Timeout=2;Encrypt=false",
            "--Database:MigrateOnStart=true");

        var ready = await server.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var alive = await server.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var body = await ready.Content.ReadFromJsonAsync<Readiness>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("database unreachable (SqlException)", body!.Reason);   // the type, never the provider's text
        Assert.DoesNotContain("not-a-secret", body.Reason);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
