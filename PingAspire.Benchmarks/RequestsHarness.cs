using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// What telemetry costs a request, measured so that the numbers can be believed: the Release server as its own
// process, one per variant, load from wrk (its own process), every variant loaded in the same seconds (the five
// sharing the server core), each ratio taken against "off" of the same window and reported as median and min-max over
// the rounds, and an A/A pair (off, off-again) that says whether the run can be trusted at all.
// In the same seconds, not one after the other: this machine's host moves a fixed piece of work's CPU time by ±30 %
// from one 5 s window to the next, so variants measured in turn compared different moments of the host (four runs
// in turn failed their A/A). Nor in pairs with off: a server loaded after being idle for a while came out far from
// steady (0.3-0.6 of off's throughput, off itself 18-175 µs a request). Loaded all at once and all the time, the five
// take a fifth of the core each, and off and off-again differed by 0.7 µs or less on POST /test in every window
// while off itself moved 21-32 µs (docs/performance.md).
// Run with PingAspire.Benchmarks/run-requests.sh (installs wrk, builds Release).
public static class RequestsHarness
{
    private const double AaTolerance = 0.05;
    private const double CpuAaTolerance = 0.03;
    // The warm-up is at least WarmUpWindows, and then goes on until the servers have stopped compiling: until every
    // server's tiered compilation is under JitQuietShare of its CPU in a window of both endpoints (at most
    // WarmUpWindowsAtMost). On a slow day 80 s was not enough: a perf profile of manual's measured windows had a third
    // of its CPU in the tiered-compilation thread. A run whose measured windows still compile more than JitTrustShare
    // (median, any variant) fails as an A/A failure does.
    private const int WarmUpWindows = 8;
    private const int WarmUpWindowsAtMost = 40;
    private const double JitQuietShare = 0.01;
    private const double JitTrustShare = 0.02;
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
        var rounds = Option(args, "--rounds", 13);
        var seconds = Option(args, "--seconds", 5);
        var jsonPath = args.SkipWhile(a => a != "--json").Skip(1).FirstOrDefault();
        if (ServerProcess.ReleaseServer() is not { } serverDll)
        {
            return 2;
        }

        // The servers on a core of their own; wrk, the sink (this process) and the rest on the other.
        ProcessCpu.PinThisProcessToTheLoadCore();
        await using var sink = await OtlpReceiver.StartAsync(keepTelemetry: false);
        using var dependencies = new Dependencies();
        // Each variant's windows, each with off's of the same seconds.
        var measured = new Dictionary<(string Endpoint, string Variant), List<(WrkResult Self, WrkResult Off)>>();
        // One server per variant for the whole run, all warmed to their steady state first: a server measured in its
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

            await WarmUpAsync(servers);
            for (var round = 0; round < rounds; round++)
            {
                // wrk started in a rotated order, so that no variant is always the first to be loaded.
                var order = Variants.Skip(round % Variants.Length).Concat(Variants.Take(round % Variants.Length)).ToList();
                foreach (var (name, path, body) in Endpoints)
                {
                    await LoadAtOnceAsync(servers, order, path, body, seconds: 1);
                    var results = (await LoadAtOnceAsync(servers, order, path, body, seconds)).ToDictionary();
                    foreach (var variant in Variants)
                    {
                        (measured.TryGetValue((name, variant), out var list) ? list : measured[(name, variant)] = []).Add((results[variant], results["off"]));
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
        List<Row> rows = [];
        foreach (var (name, _, _) in Endpoints)
        {
            foreach (var variant in Variants)
            {
                var runs = measured[(name, variant)];
                var throughput = runs.Select(r => r.Self.RequestsPerSecond / r.Off.RequestsPerSecond).ToList();
                var p99 = runs.Select(r => r.Self.P99Milliseconds / r.Off.P99Milliseconds).ToList();
                // With c connections in a closed loop, a request takes c / throughput on average: the difference is
                // what the variant adds to each request.
                var overhead = runs.Select(r => Wrk.Connections * 1e6 * (1 / r.Self.RequestsPerSecond - 1 / r.Off.RequestsPerSecond)).ToList();
                // The server's own CPU per request, and what the variant adds to off's of the same seconds.
                var cpu = runs.Select(r => r.Self.ServerCpuUsPerRequest).ToList();
                var cpuOverhead = runs.Select(r => r.Self.ServerCpuUsPerRequest - r.Off.ServerCpuUsPerRequest).ToList();
                rows.Add(new Row(name, variant, Median(throughput), throughput.Min(), throughput.Max(), Median(p99), Median(overhead),
                    runs.Sum(r => r.Self.Errors), null)
                {
                    ServerCpuRatioMedian = Median([.. runs.Select(r => r.Self.ServerCpuUsPerRequest / r.Off.ServerCpuUsPerRequest)]),
                    ServerCpuUsPerRequest = Median(cpu),
                    ServerCpuUsPerRequestMin = cpu.Min(),
                    ServerCpuUsPerRequestMax = cpu.Max(),
                    OverheadCpuUsPerRequest = Median(cpuOverhead),
                    OverheadCpuUsPerRequestMin = cpuOverhead.Min(),
                    OverheadCpuUsPerRequestMax = cpuOverhead.Max(),
                    SinkCpuUsPerRequest = Median([.. runs.Select(r => r.Self.SinkCpuUsPerRequest)]),
                    ServerCoreShare = Median([.. runs.Select(r => r.Self.ServerCoreShare)]),
                    JitShare = Median([.. runs.Select(r => r.Self.JitShare)]),
                    // Read by each server's DisposeAsync from its last telemetry record.
                    DroppedSpans = servers[variant].DroppedSpans,
                });
            }
        }

        rows.Add(new Row(null, "limit", null, null, null, null, null, null, limit));
        Print(rows, rounds, seconds);
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(rows, JsonOptions));
            Console.WriteLine($"Written to {jsonPath}");
        }

        // Both checks are printed, whichever fails: a run is trusted only if both pass.
        return CompilationQuiet(rows) & AaHolds(rows) ? 0 : 3;
    }

    private static bool CompilationQuiet(List<Row> rows)
    {
        var compiling = rows.Where(r => r.JitShare > JitTrustShare).ToList();
        Console.WriteLine(compiling.Count == 0
            ? $"JIT check passed: every server's tiered compilation under {JitTrustShare:P0} of its CPU in the measured windows (median)."
            : $"JIT check FAILED: {string.Join(", ", compiling.Select(r => $"{r.Variant} on {r.Endpoint}"))} spent more than "
                + $"{JitTrustShare:P0} of its CPU compiling in the measured windows (median); this run measured the JIT, not the telemetry.");
        return compiling.Count == 0;
    }

    private static bool AaHolds(List<Row> rows)
    {
        var aa = rows.Where(r => r.Variant == "off-again").ToList();
        var cpuAa = aa.Select(r => r.ServerCpuRatioMedian!.Value).ToList();
        Console.WriteLine($"A/A on server CPU per request (off-again ÷ off of the same seconds, median): {string.Join(", ", cpuAa.Select(a => a.ToString("0.000", CultureInfo.InvariantCulture)))} (target ±{CpuAaTolerance:P0})");
        if (aa.Any(r => Math.Abs(r.ThroughputRatioMedian!.Value - 1) > AaTolerance) || cpuAa.Any(a => Math.Abs(a - 1) > CpuAaTolerance))
        {
            Console.WriteLine($"A/A check FAILED: off-again / off is outside ±{AaTolerance:P0} on throughput or ±{CpuAaTolerance:P0} on CPU; "
                + "this run cannot be trusted.");
            return false;
        }

        Console.WriteLine($"A/A check passed: off-again / off within ±{AaTolerance:P0} on throughput and ±{CpuAaTolerance:P0} on CPU on every endpoint.");
        return true;
    }

    // Every server at once, both endpoints in turn, as measured windows are, until the servers have stopped compiling
    // (above); prints every window's CPU per request and the last window's JIT share, so that a reader sees the
    // warm-up curves flatten rather than trusting their length. Longer than one server alone would need: the five
    // share a core, so each gets a fifth of it to compile with.
    private static async Task WarmUpAsync(Dictionary<string, ServerProcess> servers)
    {
        var curves = servers.Keys.ToDictionary(v => v, _ => Endpoints.ToDictionary(e => e.Name, _ => new List<double>()));
        var jit = servers.Keys.ToDictionary(v => v, _ => 0.0);
        var windows = 0;
        for (; windows < WarmUpWindowsAtMost && (windows < WarmUpWindows || jit.Values.Any(share => share > JitQuietShare)); windows++)
        {
            jit = servers.Keys.ToDictionary(v => v, _ => 0.0);
            foreach (var (name, path, body) in Endpoints)
            {
                foreach (var (variant, result) in await LoadAtOnceAsync(servers, Variants, path, body, WarmUpSeconds))
                {
                    curves[variant][name].Add(result.ServerCpuUsPerRequest);
                    jit[variant] = Math.Max(jit[variant], result.JitShare);
                }
            }
        }

        Console.WriteLine($"warm-up: {windows} windows of {WarmUpSeconds} s per endpoint; JIT share of each server's CPU in the last: "
            + string.Join(", ", jit.Select(j => $"{j.Key} {j.Value:P1}")));

        foreach (var (variant, curve) in curves)
        {
            Console.WriteLine($"warm-up, {variant}: " + string.Join("; ", curve.Select(c =>
                $"{c.Key} {string.Join(" → ", c.Value.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))} µs CPU/request")));
        }
    }

    private static async Task<IEnumerable<(string Variant, WrkResult Result)>> LoadAtOnceAsync(
        Dictionary<string, ServerProcess> servers, IReadOnlyList<string> order, string path, string? body, int seconds)
    {
        var results = await Wrk.RunAtOnceAsync([.. order.Select(v => new WrkTarget(new Uri(servers[v].Url, path), body, servers[v].Pid))], seconds);
        return order.Zip(results);
    }

    // BenchmarkDotNet, in this process: BreakdownBenchmarks.OneRecordedServerSpan's mean, in microseconds.
    private static double MeasureOneSpanMicroseconds()
    {
        var config = DefaultConfig.Instance.AddJob(Job.ShortRun).WithOptions(ConfigOptions.DisableLogFile)
            .AddFilter(new NameFilter(name => name == nameof(BreakdownBenchmarks.OneRecordedServerSpan)));
        return BenchmarkRunner.Run<BreakdownBenchmarks>(config).Reports.Single().ResultStatistics!.Mean / 1000;
    }

    private static void Print(List<Row> rows, int rounds, int seconds)
    {
        Console.WriteLine($"Request overhead: {rounds} rounds x {seconds} s per endpoint, every variant loaded at once, wrk -c{Wrk.Connections} each, "
            + $"{Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        var limit = rows.Single(r => r.Variant == "limit").Microseconds!.Value;
        Console.WriteLine(ProcessCpu.CanSplitCores
            ? $"Cores: the servers on core {ProcessCpu.ServerCore}; wrk, the OTLP sink and the harness on core {ProcessCpu.LoadCore}."
            : "Cores: not split (taskset missing or one core): CPU figures include contention.");
        var table = new Table("endpoint", "variant", "throughput ÷ off, median (min–max)", "p99 ÷ off", "server CPU µs/request, median (min–max)",
            "CPU overhead µs/request, median (min–max)", "share of the server core", "JIT share of server CPU", "harness CPU µs/request of all servers (sink, Garnet)", "dropped spans", "errors");
        foreach (var row in rows.Where(r => r.Endpoint is not null))
        {
            table.Add(row.Endpoint!, row.Variant, $"{row.ThroughputRatioMedian:0.00} ({row.ThroughputRatioMin:0.00}–{row.ThroughputRatioMax:0.00})",
                $"{row.P99RatioMedian:0.00}", $"{row.ServerCpuUsPerRequest:0.0} ({row.ServerCpuUsPerRequestMin:0.0}–{row.ServerCpuUsPerRequestMax:0.0})",
                $"{row.OverheadCpuUsPerRequest:0.0} ({row.OverheadCpuUsPerRequestMin:0.0}–{row.OverheadCpuUsPerRequestMax:0.0})",
                $"{row.ServerCoreShare:P0}", $"{row.JitShare:P1}", $"{row.SinkCpuUsPerRequest:0.0}", row.DroppedSpans?.ToString(CultureInfo.InvariantCulture) ?? "n/a",
                $"{row.Errors}");
        }

        table.Print();
        Console.WriteLine($"One recorded span, calling thread only (BreakdownBenchmarks.OneRecordedServerSpan): {limit:0.00} µs");
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
        // The median over the windows of the server's CPU per request ÷ off's of the same seconds.
        public double? ServerCpuRatioMedian { get; init; }
        public double? ServerCpuUsPerRequestMax { get; init; }
        public double? OverheadCpuUsPerRequest { get; init; }
        public double? OverheadCpuUsPerRequestMin { get; init; }
        public double? OverheadCpuUsPerRequestMax { get; init; }
        public double? SinkCpuUsPerRequest { get; init; }
        public double? ServerCoreShare { get; init; }
        public double? JitShare { get; init; }
        public long? DroppedSpans { get; init; }
    }
}
