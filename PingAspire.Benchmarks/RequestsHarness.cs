using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using PingAspire.AppHost;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// What telemetry costs a request, measured so that the numbers can be believed: the Release server as its own
// process, load from wrk (its own process), the variants in a rotated order over several rounds so that drift
// (JIT, the other core, thermal) falls on all of them, each ratio taken against "off" of the same round and
// reported as median and min-max, and an A/A pair (off, off-again) that says whether the run can be trusted at all.
// Run with PingAspire.Benchmarks/run-requests.sh (installs wrk, builds Release).
public static class RequestsHarness
{
    private const double AaTolerance = 0.05;
    private static readonly string[] Variants = ["off", "off-again", "manual", "auto"];
    private static readonly (string Name, string Path, string? Body)[] Endpoints =
    [
        ("/ping", "/ping", null),
        // The W3C test endpoint with no case: a SERVER span and nothing else, the pure cost of the telemetry.
        ("POST /test (no dependency)", "/test", "[]"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = Option(args, "--rounds", 7);
        var seconds = Option(args, "--seconds", 5);
        var jsonPath = args.SkipWhile(a => a != "--json").Skip(1).FirstOrDefault();
        var serverDll = Path.Combine(TimeToFirstTraceHarness.FindRepositoryRoot(), "PingAspire.Server", "bin", "Release", "net10.0", "PingAspire.Server.dll");
        if (!ProgramsOnPath.Contains("wrk") || !File.Exists(serverDll))
        {
            Console.WriteLine("Needs wrk and a Release build: run PingAspire.Benchmarks/run-requests.sh");
            return 2;
        }

        await using var sink = await OtlpReceiver.StartAsync(keepSpans: false);
        using var dependencies = new Dependencies();
        var measured = new Dictionary<(string Endpoint, string Variant), List<WrkResult>>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var variant in Variants.Skip(round % Variants.Length).Concat(Variants.Take(round % Variants.Length)))
            {
                await using var server = await ServerProcess.StartAsync(variant, serverDll, sink.Endpoint, dependencies);
                foreach (var (name, path, body) in Endpoints)
                {
                    var url = new Uri(server.Url, path);
                    await Wrk.RunAsync(url, body, seconds: 1);
                    var result = await Wrk.RunAsync(url, body, seconds);
                    (measured.TryGetValue((name, variant), out var list) ? list : measured[(name, variant)] = []).Add(result);
                }
            }

            Console.WriteLine($"round {round + 1} of {rounds} done");
        }

        var limit = MeasureOneSpanMicroseconds();
        List<Row> rows = [];
        foreach (var (name, _, _) in Endpoints)
        {
            var off = measured[(name, "off")];
            foreach (var variant in Variants)
            {
                var runs = measured[(name, variant)];
                var throughput = Enumerable.Range(0, rounds).Select(r => runs[r].RequestsPerSecond / off[r].RequestsPerSecond).ToList();
                var p99 = Enumerable.Range(0, rounds).Select(r => runs[r].P99Milliseconds / off[r].P99Milliseconds).ToList();
                // With c connections in a closed loop, a request takes c / throughput on average: the difference is
                // what the variant adds to each request.
                var overhead = Enumerable.Range(0, rounds)
                    .Select(r => Wrk.Connections * 1e6 * (1 / runs[r].RequestsPerSecond - 1 / off[r].RequestsPerSecond)).ToList();
                rows.Add(new Row(name, variant, Median(throughput), throughput.Min(), throughput.Max(), Median(p99), Median(overhead),
                    runs.Sum(r => r.Errors), null));
            }
        }

        rows.Add(new Row(null, "limit", null, null, null, null, null, null, limit));
        Print(rows, rounds, seconds);
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(rows, JsonOptions));
            Console.WriteLine($"Written to {jsonPath}");
        }

        var aa = rows.Where(r => r.Variant == "off-again").ToList();
        if (aa.Any(r => Math.Abs(r.ThroughputRatioMedian!.Value - 1) > AaTolerance))
        {
            Console.WriteLine($"A/A check FAILED: off-again / off is outside ±{AaTolerance:P0}; this run cannot be trusted.");
            return 3;
        }

        Console.WriteLine($"A/A check passed: off-again / off within ±{AaTolerance:P0} on every endpoint.");
        return 0;
    }

    // BenchmarkDotNet, in this process: SpanCostBenchmarks' mean, in microseconds.
    private static double MeasureOneSpanMicroseconds()
    {
        var summary = BenchmarkRunner.Run<SpanCostBenchmarks>(DefaultConfig.Instance.AddJob(Job.ShortRun).WithOptions(ConfigOptions.DisableLogFile));
        return summary.Reports.Single().ResultStatistics!.Mean / 1000;
    }

    private static void Print(List<Row> rows, int rounds, int seconds)
    {
        Console.WriteLine($"Request overhead: {rounds} rounds (rotated order) x {seconds} s per endpoint and variant, wrk -c{Wrk.Connections}, "
            + $"{Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        var limit = rows.Single(r => r.Variant == "limit").Microseconds!.Value;
        var table = new Table("endpoint", "variant", "throughput ÷ off, median (min–max)", "p99 ÷ off, median", "added per request", "÷ one-span limit", "errors");
        foreach (var row in rows.Where(r => r.Endpoint is not null))
        {
            table.Add(row.Endpoint!, row.Variant, $"{row.ThroughputRatioMedian:0.00} ({row.ThroughputRatioMin:0.00}–{row.ThroughputRatioMax:0.00})",
                $"{row.P99RatioMedian:0.00}", $"{row.OverheadUsPerRequest:0.0} µs", $"{row.OverheadUsPerRequest / limit:0.0}", $"{row.Errors}");
        }

        table.Print();
        Console.WriteLine($"One recorded span (SpanCostBenchmarks, the limit): {limit:0.00} µs");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record Row(
        string? Endpoint,
        string Variant,
        double? ThroughputRatioMedian,
        double? ThroughputRatioMin,
        double? ThroughputRatioMax,
        double? P99RatioMedian,
        [property: JsonPropertyName("overhead_us_per_request")] double? OverheadUsPerRequest,
        int? Errors,
        double? Microseconds);
}
