using System.Diagnostics;
using System.Globalization;
using System.Text;
using KudosRelay.Core.People;
using KudosRelay.Core.Storage;
using KudosRelay.Data;
using KudosRelay.Host.Intake;
using KudosRelay.Slack;
using KudosRelay.Teams;

namespace KudosRelay.Benchmarks;

/// <summary>
/// Signed batches of positive feedback against the real server (a child process on loopback, SQLite,
/// console sender), from several concurrent clients: items/s and batch latency percentiles.
/// </summary>
internal static class IntakeThroughput
{
    private const string Secret = "benchmark-source-secret-0123456789";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var batches = args.Int("batches", 300);
        var batchSize = args.Int("batch-size", 100);
        var clients = args.Int("clients", 4);
        var folder = Directory.CreateTempSubdirectory("kudosrelay-bench-intake-");
        var connectionString = $"Data Source={Path.Combine(folder.FullName, "intake.db")}";
        var db = DatabaseConnections.Create(SqlDialect.Sqlite, connectionString);
        await new Migrator(db, TimeProvider.System).ApplyAsync(CancellationToken.None);
        await new ImportOrganisationHandler(db, TimeProvider.System, new OrgFileReader([new SlackIdFormat(), new TeamsIdFormat()])).ImportAsync("""
            people:
              - { email: ana@example.com, name: Ana Petrova, slack: UANA }
            teams:
              - { key: care, name: Customer Care, members: [ana@example.com], channels: { slack: C0CARE } }
            """, CancellationToken.None);
        const string Url = "http://127.0.0.1:5099";
        using var host = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "kudosrelay.dll"), "--urls", Url, $"--Database:ConnectionString={connectionString}",
                $"--Intake:Sources:bench:Secret={Secret}", "--Logging:LogLevel:Default=Warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        host.OutputDataReceived += (_, _) => { };
        host.ErrorDataReceived += (_, _) => { };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = new Uri(Url) };
        try
        {
            await WaitReadyAsync(client);
            await SendAsync(client, 0, batchSize); // warm-up
            var latencies = new double[batches];
            var clock = Stopwatch.StartNew();
            await Parallel.ForAsync(1, batches + 1, new ParallelOptions { MaxDegreeOfParallelism = clients }, async (batch, _) =>
            {
                var started = Stopwatch.GetTimestamp();
                await SendAsync(client, batch, batchSize);
                latencies[batch - 1] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            });
            var seconds = clock.Elapsed.TotalSeconds;
            Array.Sort(latencies);
            Console.WriteLine($"intake: {batches} batches of {batchSize} positive items from {clients} clients in {seconds:F2} s");
            Console.WriteLine($"throughput: {batches * batchSize / seconds:F0} items/s");
            Console.WriteLine($"batch latency: p50 {latencies[batches / 2]:F1} ms, p99 {latencies[Math.Min(batches - 1, batches * 99 / 100)]:F1} ms");
            return 0;
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task WaitReadyAsync(HttpClient client)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                if ((await client.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("the server did not become ready");
    }

    private static async Task SendAsync(HttpClient client, int batch, int size)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < size; i++)
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"externalId":"b{{batch}}-{{i}}","rating":{"scale":"csat5","value":5},"agentEmail":"ana@example.com","customer":{"name":"Maria Ivanova"},"text":"Ana sorted out my refund in five minutes. Call me on +359 88 123 4567 if needed. Thank you!"}""");
        var body = Encoding.UTF8.GetBytes(json.Append(']').ToString());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/feedback") { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-KudosRelay-Source", "bench");
        request.Headers.Add("X-KudosRelay-Timestamp", timestamp);
        request.Headers.Add("X-KudosRelay-Signature", IntakeSignature.Header(Secret, timestamp, body));
        using var response = await client.SendAsync(request);
        if ((int)response.StatusCode != 202)
            throw new InvalidOperationException($"intake answered {(int)response.StatusCode}");
    }
}
