using System.Diagnostics;
using System.Globalization;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using KudosRelay.Data;

namespace KudosRelay.Benchmarks;

/// <summary>
/// Starts the real <c>kudosrelay</c> server as a child process on a fresh SQLite file, reads its
/// resident memory at idle, then enqueues messages into its database and samples its memory while
/// its dispatcher drains them through the console sender.
/// </summary>
internal static class HostMemory
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var messages = args.Int("messages", 20_000);
        var folder = Directory.CreateTempSubdirectory("kudosrelay-bench-host-");
        var connectionString = $"Data Source={Path.Combine(folder.FullName, "host.db")}";
        var db = DatabaseConnections.Create(SqlDialect.Sqlite, connectionString);
        await new Migrator(db, TimeProvider.System).ApplyAsync(CancellationToken.None);
        using var host = StartHost(connectionString);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            var idle = Memory(host.Id);
            Console.WriteLine($"idle: RSS {idle.RssMb} MB after 10 s");

            var store = new OutboxStore(db, TimeProvider.System);
            var clock = Stopwatch.StartNew();
            var peakRss = idle.RssMb;
            var producing = Task.Run(async () =>
            {
                for (var i = 0; i < messages; i++)
                    await db.InTransactionAsync((_, tx) => store.EnqueueAsync(tx, OutboxThroughput.Message(i), CancellationToken.None), CancellationToken.None);
            });
            while (true)
            {
                peakRss = Math.Max(peakRss, Memory(host.Id).RssMb);
                var counts = await store.CountAsync(CancellationToken.None);
                if (producing.IsCompleted && counts.Pending == 0)
                    break;
                await Task.Delay(50);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var final = Memory(host.Id);
            Console.WriteLine($"load: {messages} messages enqueued by a second process and delivered by the server in {seconds:F2} s ({messages / seconds:F0} msg/s)");
            Console.WriteLine($"under load: peak RSS {Math.Max(peakRss, final.PeakMb)} MB (sampled every 50 ms; kernel high-water mark {final.PeakMb} MB)");
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

    private static Process StartHost(string connectionString)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "kudosrelay.dll"), "--urls", "http://127.0.0.1:0",
                     $"--Database:ConnectionString={connectionString}", "--Logging:LogLevel:Default=Warning" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static (long RssMb, long PeakMb) Memory(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = Kilobytes(line) / 1024;
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                peak = Kilobytes(line) / 1024;
        }
        return (rss, peak);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
