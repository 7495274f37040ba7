using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PingAspire.Benchmarks;

// The request harness's results: one row per endpoint and variant over the rounds, printed as a Markdown table and
// written as JSON, and the two checks (A/A, JIT) that decide whether the run can be trusted at all.
public static class RequestsReport
{
    private const double AaTolerance = 0.05;
    private const double CpuAaTolerance = 0.03;
    // A run whose measured windows still compile more than this (median, any variant) measured the JIT.
    private const double JitTrustShare = 0.02;

    public static async Task<int> PrintAsync(List<RequestsRow> rows, double oneSpanMicroseconds, int rounds, int seconds, string? jsonPath)
    {
        Console.WriteLine($"Request overhead: {rounds} rounds x {seconds} s per endpoint, every variant loaded at once, wrk -c{Wrk.Connections} each, "
            + $"{Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        Console.WriteLine(ProcessCpu.CanSplitCores
            ? $"Cores: the servers on core {ProcessCpu.ServerCore}; wrk, the OTLP sink and the harness on core {ProcessCpu.LoadCore}."
            : "Cores: not split (taskset missing or one core): CPU figures include contention.");
        var table = new Table("endpoint", "variant", "throughput ÷ off, median (min–max)", "p99 ÷ off", "server CPU µs/request, median (min–max)",
            "CPU overhead µs/request, median (min–max)", "share of the server core", "JIT share of server CPU", "harness CPU µs/request of all servers (sink, Garnet)", "dropped spans", "errors");
        foreach (var row in rows)
        {
            table.Add(row.Endpoint!, row.Variant, $"{row.ThroughputRatioMedian:0.00} ({row.ThroughputRatioMin:0.00}–{row.ThroughputRatioMax:0.00})",
                $"{row.P99RatioMedian:0.00}", $"{row.ServerCpuUsPerRequest:0.0} ({row.ServerCpuUsPerRequestMin:0.0}–{row.ServerCpuUsPerRequestMax:0.0})",
                $"{row.OverheadCpuUsPerRequest:0.0} ({row.OverheadCpuUsPerRequestMin:0.0}–{row.OverheadCpuUsPerRequestMax:0.0})",
                $"{row.ServerCoreShare:P0}", $"{row.JitShare:P1}", $"{row.SinkCpuUsPerRequest:0.0}", row.DroppedSpans?.ToString(CultureInfo.InvariantCulture) ?? "n/a",
                $"{row.Errors}");
        }

        table.Print();
        Console.WriteLine($"One recorded span, calling thread only (BreakdownBenchmarks.OneRecordedServerSpan): {oneSpanMicroseconds:0.00} µs");
        if (jsonPath is not null)
        {
            List<RequestsRow> all = [.. rows, new RequestsRow(null, "limit", null, null, null, null, null, null, oneSpanMicroseconds)];
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(all, JsonOptions));
            Console.WriteLine($"Written to {jsonPath}");
        }

        // Both checks are printed, whichever fails: a run is trusted only if both pass.
        return CompilationQuiet(rows) & AaHolds(rows) ? 0 : 3;
    }

    private static bool CompilationQuiet(List<RequestsRow> rows)
    {
        var compiling = rows.Where(r => r.JitShare > JitTrustShare).ToList();
        Console.WriteLine(compiling.Count == 0
            ? $"JIT check passed: every server's tiered compilation under {JitTrustShare:P0} of its CPU in the measured windows (median)."
            : $"JIT check FAILED: {string.Join(", ", compiling.Select(r => $"{r.Variant} on {r.Endpoint}"))} spent more than "
                + $"{JitTrustShare:P0} of its CPU compiling in the measured windows (median); this run measured the JIT, not the telemetry.");
        return compiling.Count == 0;
    }

    private static bool AaHolds(List<RequestsRow> rows)
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

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

// One endpoint and variant over the rounds (the --json fields), or the one-span limit (Microseconds only).
public sealed record RequestsRow(
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

    public static RequestsRow Of(string endpoint, string variant, List<(WrkResult Self, WrkResult Off)> runs, long? droppedSpans)
    {
        var throughput = runs.Select(r => r.Self.RequestsPerSecond / r.Off.RequestsPerSecond).ToList();
        // With c connections in a closed loop, a request takes c / throughput on average: the difference is what the
        // variant adds to each request.
        var overhead = runs.Select(r => Wrk.Connections * 1e6 * (1 / r.Self.RequestsPerSecond - 1 / r.Off.RequestsPerSecond));
        var cpu = runs.Select(r => r.Self.ServerCpuUsPerRequest).ToList();
        var cpuOverhead = runs.Select(r => r.Self.ServerCpuUsPerRequest - r.Off.ServerCpuUsPerRequest).ToList();
        return new RequestsRow(endpoint, variant, Stats.Median(throughput), throughput.Min(), throughput.Max(),
            Stats.Median(runs.Select(r => r.Self.P99Milliseconds / r.Off.P99Milliseconds)), Stats.Median(overhead), runs.Sum(r => r.Self.Errors), null)
        {
            ServerCpuRatioMedian = Stats.Median(runs.Select(r => r.Self.ServerCpuUsPerRequest / r.Off.ServerCpuUsPerRequest)),
            ServerCpuUsPerRequest = Stats.Median(cpu),
            ServerCpuUsPerRequestMin = cpu.Min(),
            ServerCpuUsPerRequestMax = cpu.Max(),
            OverheadCpuUsPerRequest = Stats.Median(cpuOverhead),
            OverheadCpuUsPerRequestMin = cpuOverhead.Min(),
            OverheadCpuUsPerRequestMax = cpuOverhead.Max(),
            SinkCpuUsPerRequest = Stats.Median(runs.Select(r => r.Self.SinkCpuUsPerRequest)),
            ServerCoreShare = Stats.Median(runs.Select(r => r.Self.ServerCoreShare)),
            JitShare = Stats.Median(runs.Select(r => r.Self.JitShare)),
            DroppedSpans = droppedSpans,
        };
    }
}
