using System.Diagnostics;
using KudosRelay.Core.Messaging;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using KudosRelay.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace KudosRelay.Benchmarks;

/// <summary>
/// Enqueue + dispatch on a SQLite file: producers enqueue one message per transaction (as a use case
/// does) while one dispatcher delivers to an in-process sender. Reports end-to-end throughput and
/// enqueue latency percentiles.
/// </summary>
internal static class OutboxThroughput
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var messages = args.Int("messages", 20_000);
        var producers = args.Int("producers", 4);
        var folder = Directory.CreateTempSubdirectory("kudosrelay-bench-");
        try
        {
            var db = DatabaseConnections.Create(SqlDialect.Sqlite, $"Data Source={Path.Combine(folder.FullName, "bench.db")}");
            await new Migrator(db, TimeProvider.System).ApplyAsync(CancellationToken.None);
            var store = new OutboxStore(db, TimeProvider.System);
            var sender = new CountingSender();
            var dispatcher = new OutboxDispatcher(store, [sender], TimeProvider.System,
                new OutboxDispatchOptions { BatchSize = 200 }, NullLogger<OutboxDispatcher>.Instance);

            await WarmUpAsync(db, store, dispatcher);
            sender.Reset();

            var latencies = new double[messages];
            var clock = Stopwatch.StartNew();
            using var producing = new CancellationTokenSource();
            var dispatching = DispatchUntilAsync(dispatcher, sender, messages);
            await Parallel.ForAsync(0, messages, new ParallelOptions { MaxDegreeOfParallelism = producers }, async (i, _) =>
            {
                var started = Stopwatch.GetTimestamp();
                await db.InTransactionAsync((_, transaction) => store.EnqueueAsync(transaction, Message(i), CancellationToken.None), CancellationToken.None);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            });
            var enqueueSeconds = clock.Elapsed.TotalSeconds;
            await dispatching;
            var totalSeconds = clock.Elapsed.TotalSeconds;

            Array.Sort(latencies);
            Console.WriteLine($"messages: {messages}, producers: {producers}, dispatcher batch: 200");
            Console.WriteLine($"enqueue rate: {messages / enqueueSeconds:F0} msg/s (while dispatching)");
            Console.WriteLine($"end-to-end: {messages / totalSeconds:F0} msg/s enqueued and delivered ({totalSeconds:F2} s)");
            Console.WriteLine($"enqueue latency: p50 {Percentile(latencies, 0.50):F2} ms, p99 {Percentile(latencies, 0.99):F2} ms, max {latencies[^1]:F2} ms");
            Console.WriteLine($"delivered: {sender.Count} (duplicates: {sender.Count - messages})");
            Console.WriteLine($"peak working set of this process: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MB");
            return sender.Count == messages ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task WarmUpAsync(Db db, OutboxStore store, OutboxDispatcher dispatcher)
    {
        for (var i = 0; i < 200; i++)
            await db.InTransactionAsync((_, transaction) => store.EnqueueAsync(transaction, Message(-1 - i), CancellationToken.None), CancellationToken.None);
        while (await dispatcher.DispatchDueAsync(CancellationToken.None) > 0)
        {
        }
    }

    private static async Task DispatchUntilAsync(OutboxDispatcher dispatcher, CountingSender sender, int expected)
    {
        while (sender.Count < expected)
        {
            if (await dispatcher.DispatchDueAsync(CancellationToken.None) == 0)
                await Task.Delay(5);
        }
    }

    internal static OutboxMessage Message(int i) => new(
        $"bench:{i}",
        new ChatTarget("bench", ChatTargetKind.Channel, "C0BENCH"),
        new ChatMessage("A customer said thanks", [
            new HeadingBlock("A customer said thanks"),
            new QuoteBlock("Ana sorted out my refund in five minutes and was lovely about it.", "a customer"),
            new ButtonsBlock([new ChatButton("Pass it on", "kudos.pass", i.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
        ]));

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private sealed class CountingSender : IChatSender
    {
        private int count;

        public string Platform => "bench";

        public int Count => Volatile.Read(ref count);

        public void Reset() => Interlocked.Exchange(ref count, 0);

        public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref count);
            return Task.FromResult<SendResult>(new SendResult.Sent(null));
        }
    }
}
