using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace PingAspire.Benchmarks;

// The manual variant with its OTLP endpoint healthy, then accepting connections and never answering: latency,
// memory growth over a bounded run, and spans dropped by the batch queue, side by side.
public static class ExporterBackPressureHarness
{
    private const int Warmup = 500;
    private const int Requests = 30_000;
    private const int Concurrency = 2;

    public static async Task<int> RunAsync()
    {
        await using var healthy = await OtlpReceiver.StartAsync(keepTelemetry: false);
        using var stalled = new BlackHoleListener();
        using var dependencies = new Dependencies();
        var table = new Table("OTLP endpoint", "req/s", "p50 ms", "p99 ms", "p99 ÷ healthy", "managed heap growth MiB", "RSS growth MiB", "dropped spans");

        LoadResult? baseline = null;
        foreach (var (name, endpoint) in new[] { ("healthy", healthy.Endpoint), ("never answers", stalled.Endpoint) })
        {
            await using var server = await BenchmarkServer.StartAsync(Tracing.Manual, endpoint, dependencies);
            using var http = LoadGenerator.CreateClient(server.Address);
            await LoadGenerator.RunAsync(http, BenchmarkServer.PlainPath, Warmup, Concurrency);
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var rssBefore = Environment.WorkingSet;

            var result = await LoadGenerator.RunAsync(http, BenchmarkServer.PlainPath, Requests, Concurrency);

            var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            var rssGrowth = Environment.WorkingSet - rssBefore;
            var dropped = server.Services.GetRequiredService<TelemetryLifetime>().DroppedSpans;
            baseline ??= result;
            table.Add(name, $"{result.Throughput:0}", $"{result.Percentile(0.50):0.000}", $"{result.Percentile(0.99):0.000}",
                $"{result.Percentile(0.99) / baseline.Percentile(0.99):0.00}", $"{heapGrowth / 1048576.0:0.0}", $"{rssGrowth / 1048576.0:0.0}", $"{dropped}");
        }

        Console.WriteLine($"Exporter back-pressure: {Requests} requests to {BenchmarkServer.PlainPath} per variant, concurrency {Concurrency}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        table.Print();
        return 0;
    }
}
