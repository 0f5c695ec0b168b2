using BenchmarkDotNet.Running;
using KudosRelay.Benchmarks;

// dotnet run -c Release --project bench/KudosRelay.Benchmarks -- outbox [--messages N] [--producers N]
// dotnet run -c Release --project bench/KudosRelay.Benchmarks -- host-memory [--messages N]
// dotnet run -c Release --project bench/KudosRelay.Benchmarks -- intake [--batches N] [--batch-size N] [--clients N]
// dotnet run -c Release --project bench/KudosRelay.Benchmarks -- csv [--rows N]
// dotnet run -c Release --project bench/KudosRelay.Benchmarks -- sqlite-floor [--rows N]
// dotnet run -c Release --project bench/KudosRelay.Benchmarks -- digests [--kudos N] [--escalations N] [--people N] [--teams N]
// dotnet run -c Release --project bench/KudosRelay.Benchmarks -- sweep [--escalations N] [--due N] [--runs N]
// dotnet run -c Release --project bench/KudosRelay.Benchmarks -- micro [BenchmarkDotNet arguments]
return args.FirstOrDefault() switch
{
    "outbox" => await OutboxThroughput.RunAsync(BenchArgs.Parse(args[1..])),
    "host-memory" => await HostMemory.RunAsync(BenchArgs.Parse(args[1..])),
    "intake" => await IntakeThroughput.RunAsync(BenchArgs.Parse(args[1..])),
    "csv" => await CsvImportThroughput.RunAsync(BenchArgs.Parse(args[1..])),
    "sqlite-floor" => await SqliteWriteFloor.RunAsync(BenchArgs.Parse(args[1..])),
    "digests" => await DigestBuild.RunAsync(BenchArgs.Parse(args[1..])),
    "sweep" => await SweepThroughput.RunAsync(BenchArgs.Parse(args[1..])),
    "micro" => Micro(args[1..]),
    _ => Usage(),
};

static int Micro(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(OutboxThroughput).Assembly).Run(args);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: KudosRelay.Benchmarks outbox|host-memory|intake|csv|sqlite-floor|digests|sweep|micro [options]");
    return 2;
}
