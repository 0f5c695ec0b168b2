using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using KudosRelay.Core.Outbox;
using KudosRelay.Testing;
using Xunit;

namespace KudosRelay.Host.Tests.Outbox;

/// <summary>Runs the real executable as a child process and stops it the hard way and the polite way.</summary>
public sealed partial class OutboxCrashTests : IAsyncLifetime
{
    private const int MessageCount = 20_000;
    private TestDatabase database = null!;
    private OutboxStore store = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        store = new OutboxStore(database.Db, TimeProvider.System);
        await OutboxTestData.EnqueueManyAsync(database.Db, store, MessageCount);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private HostProcess StartHost() => HostProcess.Start(
        "--urls", "http://127.0.0.1:0",
        $"--Database:ConnectionString={database.ConnectionString}",
        "--Outbox:BatchSize=50",
        "--Outbox:LeaseDuration=00:00:05",
        "--Outbox:PollInterval=00:00:00.200");

    [Fact]
    public async Task A_dispatcher_killed_mid_drain_and_restarted_delivers_everything_and_repeats_only_what_was_in_flight()
    {
        List<long> firstRun;
        await using (var doomed = StartHost())
        {
            Assert.True(await doomed.WaitUntilAsync(h => Delivered(h).Count >= 2_000, TimeSpan.FromSeconds(90)), doomed.ErrorOutput);
            doomed.KillHard();
            await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30));
            firstRun = Delivered(doomed);
        }
        var inFlightAtKill = (await LeasedPendingIdsAsync()).ToHashSet();
        var pendingAtKill = (await store.CountAsync(CancellationToken.None)).Pending;

        List<long> secondRun;
        await using (var restarted = StartHost())
        {
            Assert.True(await WaitUntilNothingPendingAsync(TimeSpan.FromMinutes(3)), restarted.ErrorOutput);
            restarted.Terminate();
            await restarted.WaitForExitAsync(TimeSpan.FromSeconds(30));
            secondRun = Delivered(restarted);
        }

        Assert.True(pendingAtKill > 0, "the kill must land while messages are still queued");
        var all = firstRun.Concat(secondRun).ToList();
        Assert.Equal(MessageCount, all.Distinct().Count());
        var repeated = all.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.All(repeated, id => Assert.Contains(id, inFlightAtKill));
        // No platform is configured: the console sender prints them, and they are recorded as printed.
        Assert.Equal(MessageCount, (await store.CountAsync(CancellationToken.None)).Printed);
    }

    [Fact]
    public async Task A_dispatcher_stopped_with_sigterm_finishes_its_batch_releases_its_leases_and_exits_cleanly()
    {
        await using var host = StartHost();
        Assert.True(await host.WaitUntilAsync(h => Delivered(h).Count >= 1_000, TimeSpan.FromSeconds(90)), host.ErrorOutput);

        host.Terminate();
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.Empty(await LeasedPendingIdsAsync());
        var delivered = Delivered(host);
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.Equal(delivered.Count, (await store.CountAsync(CancellationToken.None)).Printed);
    }

    [Fact]
    public async Task Killed_mid_drain_while_posting_to_a_rate_limited_fake_slack_a_restarted_dispatcher_repeats_at_most_concurrency_posts()
    {
        const int Concurrency = 4;
        const int Posts = 120;
        await using var slack = await Slack.FakeSlackApi.StartAsync();
        slack.LimitPostsPerChannel(TimeProvider.System);
        await using var slackDatabase = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var slackStore = new OutboxStore(slackDatabase.Db, TimeProvider.System);
        // 3 channels of 40 posts each: at a post a second per channel (Slack's limit, kept by the bot), the drain takes
        // about 40 s, so the kill lands while posts are going out.
        await slackDatabase.Db.InTransactionAsync(async (_, transaction) =>
        {
            for (var i = 0; i < Posts; i++)
                await slackStore.EnqueueAsync(transaction, OutboxTestData.Message($"slack{i}") with
                {
                    Target = new Core.Messaging.ChatTarget("slack", Core.Messaging.ChatTargetKind.Channel, $"C{i % 3:D4}", "T111"),
                }, CancellationToken.None);
        }, CancellationToken.None);
        HostProcess StartSlackHost() => HostProcess.Start(
            [
                "--urls", "http://127.0.0.1:0",
                $"--Database:ConnectionString={slackDatabase.ConnectionString}",
                .. Slack.SlackTestHost.HostArguments(slack),
                "--Outbox:BatchSize=50",
                $"--Outbox:Concurrency={Concurrency}",
                "--Outbox:LeaseDuration=00:00:05",
                "--Outbox:PollInterval=00:00:00.200",
            ]);
        List<long> Posted() => [.. slack.CallsTo("chat.postMessage")
            .Where(call => call.Json["metadata"] is not null)
            .Select(call => long.Parse(call.Json["metadata"]!["event_payload"]!["outbox_id"]!.GetValue<string>(), CultureInfo.InvariantCulture))];
        int Ok() => slack.CallsTo("chat.postMessage").Count - slack.RateLimitedCount;

        await using (var doomed = StartSlackHost())
        {
            Assert.True(await doomed.WaitUntilAsync(_ => Ok() >= 30, TimeSpan.FromSeconds(90)), doomed.ErrorOutput);
            doomed.KillHard();
            await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        var pendingAtKill = (await slackStore.CountAsync(CancellationToken.None)).Pending;
        await using (var restarted = StartSlackHost())
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while ((await slackStore.CountAsync(CancellationToken.None)).Pending > 0 && !deadline.IsCancellationRequested)
                await Task.Delay(100, CancellationToken.None);
            restarted.Terminate();
            await restarted.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.True(pendingAtKill > 0, "the kill must land while messages are still queued");
        Assert.Equal(Posts, (await slackStore.CountAsync(CancellationToken.None)).Sent);
        // A 429 posts nothing; what the fake took is each post once, but those a kill caught between Slack and the database.
        var took = slack.CallsTo("chat.postMessage").Count - slack.RateLimitedCount;
        var distinct = Posted().Distinct().Count();
        Assert.Equal(Posts, distinct);
        Assert.InRange(took - distinct, 0, Concurrency);
    }

    private static List<long> Delivered(HostProcess host) =>
        host.Output.Select(line => DeliveryLine().Match(line))
            .Where(match => match.Success)
            .Select(match => long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
            .ToList();

    private Task<IEnumerable<long>> LeasedPendingIdsAsync() =>
        database.Db.WithConnectionAsync(connection => connection.QueryAsync<long>(
            "SELECT id FROM outbox_messages WHERE status = 'pending' AND lease_owner IS NOT NULL"), CancellationToken.None);

    private async Task<bool> WaitUntilNothingPendingAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            if ((await store.CountAsync(CancellationToken.None)).Pending == 0)
                return true;
            await Task.Delay(100, CancellationToken.None);
        }
        return false;
    }

    [GeneratedRegex(@"^── outbox message (\d+) ")]
    private static partial Regex DeliveryLine();
}
