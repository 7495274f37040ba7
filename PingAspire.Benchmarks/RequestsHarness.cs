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
    private const double CpuAaTolerance = 0.03;
    private const int WarmUpWindows = 4;
    private const int WarmUpSeconds = 5;
    // manual-no-export splits manual's cost in two, each measured: what building the telemetry costs, and the rest
    // (the export, and the metric readers that only exist with a destination).
    private static readonly string[] Variants = ["off", "off-again", "manual-no-export", "manual", "auto"];
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

        // The server on a core of its own; wrk, the sink (this process) and the rest on the other.
        ProcessCpu.PinThisProcessToTheLoadCore();
        await using var sink = await OtlpReceiver.StartAsync(keepSpans: false);
        using var dependencies = new Dependencies();
        var measured = new Dictionary<(string Endpoint, string Variant), List<WrkResult>>();
        // One server per variant for the whole run, each warmed to its steady state first: a server measured in its
        // first 30 s under load on one core is still jitting (tiered compilation's rejit of its hot methods), and that
        // JIT is server CPU: /test off fell from 65-85 µs a request in its first 20 s to 35-40 µs from 30 s on, so
        // every variant measured early carried its own JIT (the more code, the more) instead of its telemetry.
        var servers = new Dictionary<string, ServerProcess>();
        try
        {
            foreach (var variant in Variants)
            {
                servers[variant] = await ServerProcess.StartAsync(variant, serverDll, sink.Endpoint, dependencies);
            }

            foreach (var variant in Variants)
            {
                await WarmUpAsync(variant, servers[variant]);
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var variant in Variants.Skip(round % Variants.Length).Concat(Variants.Take(round % Variants.Length)))
                {
                    var server = servers[variant];
                    foreach (var (name, path, body) in Endpoints)
                    {
                        var url = new Uri(server.Url, path);
                        await Wrk.RunAsync(url, body, seconds: 1, server.Pid);
                        var result = await Wrk.RunAsync(url, body, seconds, server.Pid);
                        (measured.TryGetValue((name, variant), out var list) ? list : measured[(name, variant)] = []).Add(result);
                    }
                }

                Console.WriteLine($"round {round + 1} of {rounds} done");
            }
        }
        finally
        {
            foreach (var server in servers.Values)
            {
                await server.DisposeAsync();
            }
        }

        var limit = MeasureOneSpanMicroseconds();
        var pieces = new Dictionary<string, double>();
        foreach (var piece in PieceCpu.Pieces)
        {
            pieces[piece] = await PieceCpu.MeasureAsync(piece, sink.Endpoint);
        }

        // Each piece net of the loop around it.
        foreach (var piece in PieceCpu.Pieces.Where(p => p != "nothing"))
        {
            pieces[piece] -= pieces["nothing"];
        }

        var limitCpu = pieces["span-exported"];
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
                // The server's own CPU per request, and what the variant adds to off's of the same round.
                var cpu = runs.Select(r => r.ServerCpuUsPerRequest).ToList();
                var cpuOverhead = Enumerable.Range(0, rounds).Select(r => runs[r].ServerCpuUsPerRequest - off[r].ServerCpuUsPerRequest).ToList();
                rows.Add(new Row(name, variant, Median(throughput), throughput.Min(), throughput.Max(), Median(p99), Median(overhead),
                    runs.Sum(r => r.Errors), null)
                {
                    ServerCpuUsPerRequest = Median(cpu),
                    ServerCpuUsPerRequestMin = cpu.Min(),
                    ServerCpuUsPerRequestMax = cpu.Max(),
                    OverheadCpuUsPerRequest = Median(cpuOverhead),
                    OverheadCpuUsPerRequestMin = cpuOverhead.Min(),
                    OverheadCpuUsPerRequestMax = cpuOverhead.Max(),
                    SinkCpuUsPerRequest = Median([.. runs.Select(r => r.SinkCpuUsPerRequest)]),
                    ServerCoreBusy = Median([.. runs.Select(r => r.ServerCoreBusy)]),
                    // Read by each server's DisposeAsync from its last line.
                    DroppedSpans = servers[variant].DroppedSpans,
                });
            }
        }

        rows.Add(new Row(null, "limit", null, null, null, null, null, null, limit) { CpuMicrosecondsPerExportedSpan = limitCpu });
        rows.AddRange(pieces.Select(p => new Row(null, "piece", null, null, null, null, null, null, null) { Piece = p.Key, CpuMicroseconds = p.Value }));
        Print(rows, rounds, seconds);
        PrintBreakdown(rows, pieces);
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(rows, JsonOptions));
            Console.WriteLine($"Written to {jsonPath}");
        }

        var aa = rows.Where(r => r.Variant == "off-again").ToList();
        var cpuAa = aa.Select(r => r.ServerCpuUsPerRequest!.Value / rows.Single(o => o.Endpoint == r.Endpoint && o.Variant == "off").ServerCpuUsPerRequest!.Value).ToList();
        Console.WriteLine($"A/A on server CPU per request (off-again ÷ off): {string.Join(", ", cpuAa.Select(a => a.ToString("0.000", CultureInfo.InvariantCulture)))} (target ±{CpuAaTolerance:P0})");
        if (aa.Any(r => Math.Abs(r.ThroughputRatioMedian!.Value - 1) > AaTolerance))
        {
            Console.WriteLine($"A/A check FAILED: off-again / off is outside ±{AaTolerance:P0}; this run cannot be trusted.");
            return 3;
        }

        Console.WriteLine($"A/A check passed: off-again / off within ±{AaTolerance:P0} on every endpoint.");
        return 0;
    }

    // Both endpoints in turn, WarmUpWindows times each, as measured windows are; prints every window's
    // CPU per request, so that a reader sees the warm-up curve flatten rather than trusting its length.
    private static async Task WarmUpAsync(string variant, ServerProcess server)
    {
        var curves = Endpoints.ToDictionary(e => e.Name, _ => new List<double>());
        for (var window = 0; window < WarmUpWindows; window++)
        {
            foreach (var (name, path, body) in Endpoints)
            {
                curves[name].Add((await Wrk.RunAsync(new Uri(server.Url, path), body, WarmUpSeconds, server.Pid)).ServerCpuUsPerRequest);
            }
        }

        Console.WriteLine($"warm-up, {variant}: " + string.Join("; ", curves.Select(c =>
            $"{c.Key} {string.Join(" → ", c.Value.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))} µs CPU/request")));
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
        var limitCpu = rows.Single(r => r.Variant == "limit").CpuMicrosecondsPerExportedSpan!.Value;
        Console.WriteLine(ProcessCpu.CanSplitCores
            ? $"Cores: the server on core {ProcessCpu.ServerCore}; wrk, the OTLP sink and the harness on core {ProcessCpu.LoadCore}."
            : "Cores: not split (taskset missing or one core): CPU figures include contention.");
        var table = new Table("endpoint", "variant", "throughput ÷ off, median (min–max)", "p99 ÷ off", "server CPU µs/request, median (min–max)",
            "CPU overhead µs/request, median (min–max)", "÷ exported-span CPU", "server core busy", "harness CPU µs/request (sink, Garnet)", "dropped spans", "errors");
        foreach (var row in rows.Where(r => r.Endpoint is not null))
        {
            table.Add(row.Endpoint!, row.Variant, $"{row.ThroughputRatioMedian:0.00} ({row.ThroughputRatioMin:0.00}–{row.ThroughputRatioMax:0.00})",
                $"{row.P99RatioMedian:0.00}", $"{row.ServerCpuUsPerRequest:0.0} ({row.ServerCpuUsPerRequestMin:0.0}–{row.ServerCpuUsPerRequestMax:0.0})",
                $"{row.OverheadCpuUsPerRequest:0.0} ({row.OverheadCpuUsPerRequestMin:0.0}–{row.OverheadCpuUsPerRequestMax:0.0})",
                $"{row.OverheadCpuUsPerRequest / limitCpu:0.0}", $"{row.ServerCoreBusy:P0}", $"{row.SinkCpuUsPerRequest:0.0}", row.DroppedSpans?.ToString(CultureInfo.InvariantCulture) ?? "n/a",
                $"{row.Errors}");
        }

        table.Print();
        Console.WriteLine($"One recorded span, calling thread only (SpanCostBenchmarks): {limit:0.00} µs; "
            + $"recorded and exported, all threads (PieceCpu span-exported): {limitCpu:0.00} µs CPU");
    }

    // The measured overheads against the sum of their pieces, each piece's CPU from PieceCpu. /ping's five spans (here
    // Redis and SQLite: no MongoDB is configured) are counted as five of the SERVER span (its four dependency spans
    // carry fewer tags), its three duration records (the request, two dependencies) as three of the request's.
    private static void PrintBreakdown(List<Row> rows, Dictionary<string, double> pieces)
    {
        double Measured(string endpoint, string variant) =>
            rows.Single(r => r.Endpoint == endpoint && r.Variant == variant).OverheadCpuUsPerRequest!.Value;
        var table = new Table("measured overhead", "µs", "its pieces (PieceCpu, µs CPU each)", "sum µs", "sum ÷ measured", "within ±25 %");
        void Line(string name, double measured, string recipe, double sum) =>
            table.Add(name, $"{measured:0.00}", recipe, $"{sum:0.00}", $"{sum / measured:0.00}", Math.Abs(sum / measured - 1) <= 0.25 ? "yes" : "no");
        var (extract, built, exported, record) = (pieces["extract"], pieces["span-not-exported"], pieces["span-exported"], pieces["duration-record"]);
        var test = Endpoints[1].Name;
        Line($"{test}, manual-no-export", Measured(test, "manual-no-export"), $"extract {extract:0.00} + span not exported {built:0.00}", extract + built);
        Line($"{test}, manual", Measured(test, "manual"),
            $"extract {extract:0.00} + span exported {exported:0.00} + duration record {record:0.00}", extract + exported + record);
        Line("/ping, manual", Measured("/ping", "manual"),
            $"extract {extract:0.00} + 5 × span exported {exported:0.00} + 3 × duration record {record:0.00}", extract + 5 * exported + 3 * record);
        table.Print();
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
        double? Microseconds)
    {
        public double? ServerCpuUsPerRequest { get; init; }

        public double? ServerCpuUsPerRequestMin { get; init; }

        public double? ServerCpuUsPerRequestMax { get; init; }

        public double? OverheadCpuUsPerRequest { get; init; }

        public double? OverheadCpuUsPerRequestMin { get; init; }

        public double? OverheadCpuUsPerRequestMax { get; init; }

        public double? SinkCpuUsPerRequest { get; init; }

        public double? ServerCoreBusy { get; init; }

        public string? Piece { get; init; }

        public double? CpuMicroseconds { get; init; }

        public long? DroppedSpans { get; init; }

        public double? CpuMicrosecondsPerExportedSpan { get; init; }
    }
}
