namespace KudosRelay.Benchmarks; internal static class HostMemory { public static Task<int> RunAsync(BenchArgs args) => Task.FromResult(0); }
