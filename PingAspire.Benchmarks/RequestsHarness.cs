using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// What telemetry costs a request, in the server's own CPU: the Release server as its own process per variant, load
// from wrk, each ratio against "off" of the same seconds, reported over the rounds (RequestsReport.cs), with an A/A
// pair (off, off-again) and a JIT check that say whether the run can be trusted. Every variant is loaded in the same
// seconds, all the time: this host's speed drifts from one window to the next, and a server loaded after idling is not
// steady, so variants measured in turn or in pairs compare different moments (docs/performance.md).
// Run with PingAspire.Benchmarks/run-requests.sh (installs wrk, builds Release).
public static class RequestsHarness
{
    // The warm-up lasts at least WarmUpWindows, then until every server's tiered compilation is under JitQuietShare of
    // its CPU in a window of both endpoints: a server still compiling charges its variant with its own JIT, and the
    // more code a variant runs, the more it compiles. Five servers share a core, so each compiles with a fifth of it.
    private const int WarmUpWindows = 8;
    private const int WarmUpWindowsAtMost = 40;
    private const double JitQuietShare = 0.01;
    private const int WarmUpSeconds = 5;
    // manual-no-export splits manual's cost in two: building the telemetry, and the rest (the export, and the metric
    // readers that only exist with a destination).
    private static readonly string[] Variants = ["off", "off-again", "manual-no-export", "manual", "auto"];
    private static readonly (string Name, string Path, string? Body)[] Endpoints =
    [
        ("/ping", "/ping", null),
        // The W3C test endpoint with no case: a SERVER span and nothing else, the pure cost of the telemetry.
        ("POST /test (no dependency)", "/test", "[]"),
    ];

    public static async Task<int> RunAsync(int rounds, int seconds, string? jsonPath)
    {
        if (ServerProcess.ReleaseServer() is not { } serverDll)
        {
            return 2;
        }

        ProcessCpu.PinThisProcessToTheLoadCore();
        await using var sink = await OtlpReceiver.StartAsync(keepTelemetry: false);
        using var dependencies = new Dependencies();
        // Each variant's windows, each with off's of the same seconds.
        var measured = new Dictionary<(string Endpoint, string Variant), List<(WrkResult Self, WrkResult Off)>>();
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

        var rows = (from endpoint in Endpoints
                    from variant in Variants
                    select RequestsRow.Of(endpoint.Name, variant, measured[(endpoint.Name, variant)], servers[variant].DroppedSpans)).ToList();
        return await RequestsReport.PrintAsync(rows, MeasureOneSpanMicroseconds(), rounds, seconds, jsonPath);
    }

    // Every server at once, both endpoints in turn, as measured windows are, until the servers have stopped compiling;
    // prints every window's CPU per request, so that a reader sees the warm-up curves flatten.
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
            Console.WriteLine($"warm-up, {variant}: " + string.Join("; ", curve.Select(c => $"{c.Key} {string.Join(" → ", c.Value.Select(v => $"{v:0}"))} µs CPU/request")));
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
}
