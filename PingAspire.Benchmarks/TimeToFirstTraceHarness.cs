using System.Globalization;
using System.Text.RegularExpressions;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// From `dotnet run --no-build --project PingAspire.AppHost` to the first connected client -> server trace that the
// dashboard's telemetry API returns: what a new user waits for. Measured against a floor in the same run: a bare
// AppHost (PingAspire.Benchmarks/Floor) whose one project exports one span at start through the same telemetry. The two
// alternate, each run in the other order, and each ratio pairs the runs made side by side. With --instances N, N
// AppHosts run at once, as when a user has a second copy running: each must show a connected trace in its own
// dashboard, which it can only if its client called its own server (a dashboard sees only its own processes).
public static class TimeToFirstTraceHarness
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private sealed record Target(string Name, string Project, Func<List<DashboardSpan>, DashboardSpan?> FirstTrace, string[] Events, string? AspireCli = null);

    // The server span whose parent is a client span of the same AppHost (PingAspire.AppHost/ServiceNames.cs); its
    // start is when the first request arrived.
    private static readonly Target PingAspire = new("PingAspire", "PingAspire.AppHost", spans =>
        spans.Where(s => s.Service == "pingaspire-server" && spans.Any(c => c.Service == "pingaspire-client" && c.Id == s.ParentId))
            .MinBy(s => s.StartSeconds),
        ["redis Running", "sql Running", "aspire-dashboard Running", "pingaspire-server Starting", "pingaspire-server Running",
         "pingaspire-server Healthy", "pingaspire-client Running", "pingaspire-jsclient Running"]);

    private static readonly Target Floor = new("floor", "PingAspire.Benchmarks/Floor/AppHost", spans =>
        spans.Where(s => s.Service == "floor-onespan").MinBy(s => s.StartSeconds),
        ["aspire-dashboard Running", "floor-onespan Starting", "floor-onespan Running"]);

    private static readonly (string Label, Regex Line)[] Lines =
    [
        ("AppHost's first line", new Regex("^(Infrastructure:|info: Aspire.Hosting.DistributedApplication)")),
        ("orchestration starting", new Regex("Distributed application starting")),
        ("dashboard listening", new Regex("Now listening on: http")),
    ];

    // With the Aspire CLI's path, a third target: the same AppHost under `aspire run --no-build`.
    public static async Task<int> RunAsync(int runs = 3, int instances = 1, string? aspireCli = null)
    {
        var repository = Repository.Root();
        // Hermetic like the tests: nothing of the shell's Lightstep, OTLP or connection settings, nor the AppHost's
        // user secrets, reaches the AppHosts started below.
        HermeticEnvironment.Clear();
        var aspireRun = aspireCli is null ? null : PingAspire with { Name = "PingAspire (aspire run)", AspireCli = aspireCli };
        Target[] targets = aspireRun is null ? [PingAspire, Floor] : [PingAspire, Floor, aspireRun];
        var results = targets.ToDictionary(t => t, _ => new List<Dictionary<string, double>>());
        for (var run = 1; run <= runs; run++)
        {
            // Rotated: each target goes first in turn.
            foreach (var target in targets.Skip((run - 1) % targets.Length).Concat(targets.Take((run - 1) % targets.Length)))
            {
                var measured = await Task.WhenAll(Enumerable.Range(1, instances)
                    .Select(i => FirstTraceAsync(repository, target, $"{target.Name}, run {run}, instance {i}")));
                if (measured.Any(m => m is null))
                {
                    return 1;
                }

                results[target].AddRange(measured!);
            }
        }

        Print(results[PingAspire], results[Floor], runs, instances);
        if (aspireRun is not null)
        {
            var times = results[aspireRun].Select(e => e["first trace"]).ToList();
            var ratios = times.Zip(results[PingAspire].Select(e => e["first trace"]), (a, d) => a / d).ToList();
            Console.WriteLine($"aspire run --no-build: median {Stats.Median(times):0.0} s ({Stats.Spread(times, "0.0")} s); "
                + $"over dotnet run --no-build: median {Stats.Median(ratios):0.00} ({Stats.Spread(ratios, "0.00")})");
        }

        return 0;
    }

    // The times of the run's events in seconds since `dotnet run`, "first trace" last; null if none came in time.
    private static async Task<Dictionary<string, double>?> FirstTraceAsync(string repository, Target target, string name)
    {
        await using var appHost = AppHostRun.Start(repository, target.Project, target.AspireCli);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        DashboardSpan? first;
        while (appHost.DashboardUrl is not { } dashboard || (first = target.FirstTrace(await DashboardSpans.ReadAsync(http, dashboard, appHost.StartedAt))) is null)
        {
            if (appHost.Elapsed > Deadline || appHost.HasExited)
            {
                Console.WriteLine($"{name}: no trace within {Deadline.TotalSeconds} s; the AppHost wrote:{Environment.NewLine}{appHost.Output}");
                return null;
            }

            await Task.Delay(Poll);
        }

        var seen = appHost.Elapsed.TotalSeconds;
        Console.WriteLine($"{name}: first trace after {seen:0.0} s ({appHost.DashboardUrl})");
        var events = new Dictionary<string, double>();
        foreach (var (label, line) in Lines)
        {
            Add(events, label, appHost.FirstLine(line));
        }

        foreach (var resourceEvent in target.Events)
        {
            var (resource, state) = (resourceEvent[..resourceEvent.LastIndexOf(' ')], resourceEvent[(resourceEvent.LastIndexOf(' ') + 1)..]);
            Add(events, resourceEvent, appHost.Reached(resource, state));
        }

        events["first span starts"] = first.StartSeconds;
        events["first trace"] = seen;
        return events;
    }

    private static void Add(Dictionary<string, double> events, string label, TimeSpan? at)
    {
        if (at is { } time)
        {
            events[label] = time.TotalSeconds;
        }
    }

    private static void Print(List<Dictionary<string, double>> ping, List<Dictionary<string, double>> floor, int runs, int instances)
    {
        var pingTimes = ping.Select(e => e["first trace"]).ToList();
        var floorTimes = floor.Select(e => e["first trace"]).ToList();
        var ratios = pingTimes.Zip(floorTimes, (p, f) => p / f).ToList();
        var machine = $"{Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}";
        Console.WriteLine($"Time to first trace: median {Stats.Median(pingTimes):0.0} s over {runs} runs of {instances} AppHost(s) at once ({Stats.Spread(pingTimes, "0.0")} s; {machine})");
        Console.WriteLine($"Floor (bare AppHost, one span): median {Stats.Median(floorTimes):0.0} s over {runs} runs of {instances} AppHost(s) at once ({Stats.Spread(floorTimes, "0.0")} s)");
        Console.WriteLine($"Ratio PingAspire / floor: median {Stats.Median(ratios):0.00} ({Stats.Spread(ratios, "0.00")}, each PingAspire run over the floor run beside it)");
        Console.WriteLine();
        Console.WriteLine("Where the seconds go: median seconds since `dotnet run`, each run's events in order");
        Console.WriteLine($"{"event",-32} {"PingAspire",10} {"floor",10}");
        var labels = ping.Concat(floor).SelectMany(e => e.Keys).Distinct().OrderBy(label => Median(ping, label) ?? Median(floor, label));
        foreach (var label in labels)
        {
            Console.WriteLine($"{label,-32} {Format(Median(ping, label)),10} {Format(Median(floor, label)),10}");
        }
    }

    private static double? Median(List<Dictionary<string, double>> runs, string label) =>
        runs.Where(e => e.ContainsKey(label)).Select(e => e[label]).ToList() is { Count: > 0 } times ? Stats.Median(times) : null;

    private static string Format(double? seconds) => seconds?.ToString("0.00", CultureInfo.InvariantCulture) ?? "";
}
