using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// Request overhead of tracing off / manual / auto, measured in the same run: variants interleaved over several
// rounds so that drift (JIT, the other core, thermal) spreads over all of them, then compared by ratio to "off".
public static class RequestOverheadHarness
{
    private const int Rounds = 3;
    private const int Warmup = 500;
    private const int Requests = 4000;
    private const int Concurrency = 2;

    public static async Task<int> RunAsync()
    {
        await using var sink = await OtlpReceiver.StartAsync(keepSpans: false);
        using var dependencies = new Dependencies();
        var table = new Table("endpoint", "tracing", "req/s", "p50 ms", "p99 ms", "alloc KB/req", "req/s ÷ off", "p99 ÷ off");

        foreach (var path in new[] { BenchmarkServer.PlainPath, "/ping" })
        {
            var results = Enum.GetValues<Tracing>().ToDictionary(t => t, _ => new List<LoadResult>());
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var tracing in Enum.GetValues<Tracing>())
                {
                    await using var server = await BenchmarkServer.StartAsync(tracing, sink.Endpoint, dependencies);
                    using var http = LoadGenerator.CreateClient(server.Address);
                    await LoadGenerator.RunAsync(http, path, Warmup, Concurrency);
                    results[tracing].Add(await LoadGenerator.RunAsync(http, path, Requests, Concurrency));
                }
            }

            var off = LoadResult.Combine(results[Tracing.Off]);
            foreach (var (tracing, runs) in results)
            {
                var result = LoadResult.Combine(runs);
                table.Add(path, tracing.ToString().ToLowerInvariant(), $"{result.Throughput:0}", $"{result.Percentile(0.50):0.000}",
                    $"{result.Percentile(0.99):0.000}", $"{result.AllocatedPerRequest / 1024:0.0}",
                    $"{result.Throughput / off.Throughput:0.00}", $"{result.Percentile(0.99) / off.Percentile(0.99):0.00}");
            }
        }

        Console.WriteLine($"Request overhead: {Rounds} rounds x {Requests} requests per variant, concurrency {Concurrency}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        table.Print();
        return 0;
    }
}
