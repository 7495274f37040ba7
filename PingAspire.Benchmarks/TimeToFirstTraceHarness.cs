using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// From `dotnet run --project PingAspire.AppHost` (already built) to the first connected client -> server trace that
// the dashboard's telemetry API returns: what a new user waits for. Median of a few runs. With --instances N, N
// AppHosts run at once, as when a user has a second copy running: each must show a connected trace in its own
// dashboard, which it can only if its client called its own server (a dashboard sees only its own processes).
public static partial class TimeToFirstTraceHarness
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(int runs = 3, int instances = 1)
    {
        var repository = FindRepositoryRoot();
        var times = new List<TimeSpan>();
        // Hermetic like the tests: nothing of the shell's Lightstep, OTLP or connection settings, nor the AppHost's
        // user secrets, reaches the AppHosts started below.
        HermeticEnvironment.Clear();
        for (var run = 1; run <= runs; run++)
        {
            var started = await Task.WhenAll(Enumerable.Range(1, instances).Select(i => FirstTraceAsync(repository, $"run {run}, instance {i}")));
            if (started.Any(t => t is null))
            {
                return 1;
            }

            times.AddRange(started.Select(t => t!.Value));
        }

        var median = times.Order().ElementAt(times.Count / 2);
        Console.WriteLine($"Time to first trace: median {median.TotalSeconds:0.0} s over {runs} runs of {instances} AppHost(s) at once ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})");
        return 0;
    }

    private static async Task<TimeSpan?> FirstTraceAsync(string repository, string name)
    {
        // In a process group of its own (setsid), so that stopping it is a terminal's Ctrl+C: SIGINT to the group.
        var start = new ProcessStartInfo("setsid", ["dotnet", "run", "--project", "PingAspire.AppHost", "--no-build"])
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Lets the harness read the telemetry API without the login token (loopback only).
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";

        var output = new ConcurrentQueue<string>();
        var elapsed = Stopwatch.StartNew();
        using var appHost = Process.Start(start)!;
        appHost.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        appHost.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        appHost.BeginOutputReadLine();
        appHost.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            // The dashboard listens on a port of its own choosing (the launch profile asks for port 0): read it back.
            while (DashboardUrl(output) is not { } dashboard || !await HasConnectedTraceAsync(http, dashboard))
            {
                if (elapsed.Elapsed > Deadline || appHost.HasExited)
                {
                    Console.WriteLine($"{name}: no connected trace within {Deadline.TotalSeconds} s; the AppHost wrote:");
                    Console.WriteLine(string.Join(Environment.NewLine, output));
                    return null;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }

            Console.WriteLine($"{name}: first connected trace after {elapsed.Elapsed.TotalSeconds:0.0} s ({DashboardUrl(output)})");
            return elapsed.Elapsed;
        }
        finally
        {
            await StopAsync(appHost);
        }
    }

    // "Now listening on: http://localhost:41234", the dashboard's first line about itself.
    private static Uri? DashboardUrl(IEnumerable<string> output) =>
        output.Select(line => ListeningOn().Match(line)).FirstOrDefault(m => m.Success) is { } match ? new Uri(match.Groups[1].Value) : null;

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();

    // Ctrl+C as a terminal sends it, to the whole process group; SIGKILL to the group only if that hangs.
    private static async Task StopAsync(Process appHost)
    {
        await SignalGroupAsync(appHost, "-INT");
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await appHost.WaitForExitAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            await SignalGroupAsync(appHost, "-KILL");
        }
    }

    private static async Task SignalGroupAsync(Process leader, string signal)
    {
        using var kill = Process.Start("kill", [signal, "--", $"-{leader.Id}"]);
        await kill.WaitForExitAsync();
    }

    // A server span whose parent is a client span of the same trace, from the resources "pingaspire-server" and "pingaspire-client" (PingAspire.AppHost/ServiceNames.cs).
    private static async Task<bool> HasConnectedTraceAsync(HttpClient http, Uri dashboard)
    {
        try
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(dashboard, "/api/telemetry/traces")));
            var spans = (
                from resourceSpans in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray()
                let service = ServiceName(resourceSpans)
                from scopeSpans in resourceSpans.GetProperty("scopeSpans").EnumerateArray()
                from span in scopeSpans.GetProperty("spans").EnumerateArray()
                select (Service: service, Span: span)).ToList();
            var clientSpanIds = spans.Where(s => s.Service == "pingaspire-client").Select(s => s.Span.GetProperty("spanId").GetString()).ToHashSet();
            return spans.Any(s => s.Service == "pingaspire-server"
                && s.Span.TryGetProperty("parentSpanId", out var parent) && clientSpanIds.Contains(parent.GetString()));
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return false; // not up yet
        }
    }

    private static string? ServiceName(JsonElement resourceSpans) =>
        resourceSpans.TryGetProperty("resource", out var resource)
            ? resource.GetProperty("attributes").EnumerateArray()
                .Where(a => a.GetProperty("key").GetString() == "service.name")
                .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString())
                .FirstOrDefault()
            : null;

    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PingAspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the PingAspire repository.");
    }
}
