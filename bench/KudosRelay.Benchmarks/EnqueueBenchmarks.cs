using BenchmarkDotNet.Attributes;
using KudosRelay.Core.Outbox;
using KudosRelay.Core.Storage;
using KudosRelay.Data;

namespace KudosRelay.Benchmarks;

/// <summary>One enqueue in its own transaction on a SQLite file: the cost a use case pays to say something.</summary>
[MemoryDiagnoser]
public class EnqueueBenchmarks
{
    private DirectoryInfo folder = null!;
    private Db db = null!;
    private OutboxStore store = null!;
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        folder = Directory.CreateTempSubdirectory("kudosrelay-bdn-");
        db = DatabaseConnections.Create(SqlDialect.Sqlite, $"Data Source={Path.Combine(folder.FullName, "bench.db")}");
        new Migrator(db, TimeProvider.System).ApplyAsync(CancellationToken.None).GetAwaiter().GetResult();
        store = new OutboxStore(db, TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }

    [Benchmark]
    public Task<long?> Enqueue_one_message_in_its_own_transaction() =>
        db.InTransactionAsync((_, transaction) => store.EnqueueAsync(transaction, OutboxThroughput.Message(next++), CancellationToken.None), CancellationToken.None);

    [Benchmark]
    public Task<long?> Enqueue_a_duplicate_key() =>
        db.InTransactionAsync((_, transaction) => store.EnqueueAsync(transaction, OutboxThroughput.Message(-1), CancellationToken.None), CancellationToken.None);
}
