using System.Text.Json.Nodes;
using Dapper;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Host.Tests.Cli;

/// <summary><c>kudosrelay digest …</c> run as the real executable against a test database.</summary>
public sealed class DigestCommandsTests : IAsyncLifetime
{
    private const string Organisation = """
        people:
          - { email: ana@example.com, name: Ana Petrova, slack: U0ANA }
        teams:
          - { key: care, name: Customer Care, members: [ana@example.com], channels: { slack: C0CARE } }
        """;

    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestOrganisation.CreateAsync(DatabaseKind.Sqlite, Organisation);

    public async Task DisposeAsync() => await database.DisposeAsync();

    private async Task<HostProcess> RunAsync(params string[] args)
    {
        var process = HostProcess.Start([.. args, $"--Database:ConnectionString={database.ConnectionString}"]);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return process;
    }

    [Fact]
    public async Task A_subscription_is_made_listed_previewed_sent_once_and_removed()
    {
        await using var subscribed = await RunAsync("digest", "subscribe", "care-weekly", "--channel", "slack:C0CARE", "--team", "care",
            "--day", "Friday", "--time", "15:00", "--time-zone", "Europe/Sofia", "--locale", "bg");
        await using var listed = await RunAsync("digest", "list");
        await using var slack = await RunAsync("digest", "preview", "--subscription", "care-weekly", "--week", "2026-W47", "--format", "slack");
        await using var teams = await RunAsync("digest", "preview", "--subscription", "care-weekly", "--week", "2026-W47", "--format", "teams");
        await using var text = await RunAsync("digest", "preview", "--subscription", "care-weekly");
        var runsAfterPreview = await CountAsync("SELECT COUNT(*) FROM digest_runs") + await CountAsync("SELECT COUNT(*) FROM outbox_messages");
        await using var sent = await RunAsync("digest", "send", "--subscription", "care-weekly", "--week", "2026-W47");
        await using var sentTwice = await RunAsync("digest", "send", "--subscription", "care-weekly", "--week", "2026-W47");
        await using var sentAgain = await RunAsync("digest", "send", "--subscription", "care-weekly", "--week", "2026-W47", "--again");
        var outboxAfterSends = await CountAsync("SELECT COUNT(*) FROM outbox_messages");
        await using var removed = await RunAsync("digest", "unsubscribe", "care-weekly");
        await using var removedTwice = await RunAsync("digest", "unsubscribe", "care-weekly");

        Assert.Equal(0, subscribed.ExitCode);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(listed.Output, line => line.Contains("care-weekly", StringComparison.Ordinal) && line.Contains("slack:C0CARE", StringComparison.Ordinal)
            && line.Contains("team:care", StringComparison.Ordinal) && line.Contains("Fri 15:00 Europe/Sofia", StringComparison.Ordinal) && line.Contains("bg", StringComparison.Ordinal));
        Assert.Equal(0, slack.ExitCode);
        var blockKit = JsonNode.Parse(string.Join('\n', slack.Output))!;
        Assert.Equal("header", (string?)blockKit["blocks"]![0]!["type"]);
        Assert.Equal(0, teams.ExitCode);
        Assert.Equal("AdaptiveCard", (string?)JsonNode.Parse(string.Join('\n', teams.Output))!["type"]);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains(text.Output, line => line.Contains("Customer Care", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, runsAfterPreview);
        Assert.Equal(0, sent.ExitCode);
        Assert.Equal(1, sentTwice.ExitCode);
        Assert.Contains("--again", sentTwice.ErrorOutput, StringComparison.Ordinal);
        Assert.Equal(0, sentAgain.ExitCode);
        Assert.Equal(2, outboxAfterSends);
        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(1, removedTwice.ExitCode);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM digest_subscriptions"));
    }

    [Theory]
    [InlineData(2, "'Europe/Sofa' is not a known IANA time zone", "--channel", "slack:C0CARE", "--team", "care", "--time-zone", "Europe/Sofa")]
    [InlineData(1, "there is no team with the key 'nobody'", "--channel", "slack:C0CARE", "--team", "nobody")]
    [InlineData(2, "names no platform", "--channel", "C0CARE", "--team", "care")]
    [InlineData(2, "Name exactly one scope", "--channel", "slack:C0CARE", "--team", "care", "--organisation")]
    [InlineData(2, "'25:00' is not a time of day", "--channel", "slack:C0CARE", "--organisation", "--time", "25:00")]
    public async Task An_invalid_subscription_is_refused_with_a_clear_message_and_nothing_is_stored(int exitCode, string complaint, params string[] options)
    {
        await using var run = await RunAsync(["digest", "subscribe", "refused", .. options]);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Contains(complaint, run.ErrorOutput, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM digest_subscriptions"));
    }

    private Task<int> CountAsync(string sql) => database.Db.WithConnectionAsync(c => c.ExecuteScalarAsync<int>(sql), CancellationToken.None);
}
