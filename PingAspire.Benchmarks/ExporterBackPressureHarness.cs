using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// The manual variant (the Release server, a process of its own) with its OTLP endpoint healthy, then accepting
// connections and never answering: throughput, latency, memory growth over a bounded run, and the spans its batch
// queue dropped, side by side. Load: wrk on POST /test (one SERVER span a request, no dependency).
public static class ExporterBackPressureHarness
{
    private const int WarmUpSeconds = 5;
    private const int Seconds = 20;

    public static async Task<int> RunAsync()
    {
        if (ServerProcess.ReleaseServer() is not { } serverDll)
        {
            return 2;
        }

        await using var healthy = await OtlpReceiver.StartAsync(keepTelemetry: false);
        using var stalled = new BlackHoleListener();
        using var dependencies = new Dependencies();
        var table = new Table("OTLP endpoint", "req/s", "p99 ms", "p99 ÷ healthy", "server CPU µs/request", "RSS growth MiB", "dropped spans");
        WrkResult? baseline = null;
        foreach (var (name, endpoint) in new[] { ("healthy", healthy.Endpoint), ("never answers", stalled.Endpoint) })
        {
            long rssGrowth;
            WrkResult result;
            var server = await ServerProcess.StartAsync("manual", serverDll, endpoint, dependencies);
            await using (server)
            {
                var target = new WrkTarget(new Uri(server.Url, "/test"), "[]", server.Pid);
                await Wrk.RunAtOnceAsync([target], WarmUpSeconds);
                var rssBefore = server.ResidentBytes();
                result = (await Wrk.RunAtOnceAsync([target], Seconds))[0];
                rssGrowth = server.ResidentBytes() - rssBefore;
            }

            baseline ??= result;
            table.Add(name, $"{result.RequestsPerSecond:0}", $"{result.P99Milliseconds:0.000}", $"{result.P99Milliseconds / baseline.P99Milliseconds:0.00}",
                $"{result.ServerCpuUsPerRequest:0.0}", $"{rssGrowth / 1048576.0:0.0}", $"{server.DroppedSpans}");
        }

        Console.WriteLine($"Exporter back-pressure: wrk -c{Wrk.Connections} on POST /test for {Seconds} s per endpoint (after {WarmUpSeconds} s), "
            + $"{Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        table.Print();
        return 0;
    }
}
