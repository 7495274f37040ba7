using System.Diagnostics;
using System.Text.Json;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// From `dotnet run --project PingAspire.AppHost` (already built) to the first connected client -> server trace that
// the dashboard's telemetry API returns: what a new user waits for. Median of a few runs.
public static class TimeToFirstTraceHarness
{
    // The AppHost's "http" launch profile.
    private static readonly Uri Dashboard = new("http://localhost:15180");
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(int runs = 3)
    {
        var repository = FindRepositoryRoot();
        var times = new List<TimeSpan>();
        using var http = new HttpClient { BaseAddress = Dashboard, Timeout = TimeSpan.FromSeconds(5) };
        // Hermetic like the tests: nothing of the shell's Lightstep, OTLP or connection settings, nor the AppHost's
        // user secrets, reaches the AppHost started below.
        HermeticEnvironment.Clear();
        for (var run = 1; run <= runs; run++)
        {
            if (await IsListeningAsync(http))
            {
                Console.WriteLine($"run {run}: {Dashboard} is already in use (another AppHost?): its traces would not be ours");
                return 1;
            }

            // In a process group of its own (setsid), so that stopping it is a terminal's Ctrl+C: SIGINT to the group.
            var start = new ProcessStartInfo("setsid", ["dotnet", "run", "--project", "PingAspire.AppHost", "--no-build"])
            {
                WorkingDirectory = repository,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };

            // Lets the harness read the telemetry API without the login token (loopback only).
            start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";

            var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var elapsed = Stopwatch.StartNew();
            using var appHost = Process.Start(start)!;
            appHost.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
            appHost.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
            appHost.BeginOutputReadLine();
            appHost.BeginErrorReadLine();
            try
            {
                while (!await HasConnectedTraceAsync(http))
                {
                    if (elapsed.Elapsed > Deadline || appHost.HasExited)
                    {
                        Console.WriteLine($"run {run}: no connected trace within {Deadline.TotalSeconds} s; the AppHost wrote:");
                        Console.WriteLine(string.Join(Environment.NewLine, output));
                        return 1;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(250));
                }

                // The trace came from the AppHost started here only if it is still the one serving the dashboard.
                if (appHost.HasExited)
                {
                    Console.WriteLine($"run {run}: a trace was found, but the AppHost had exited; it wrote:");
                    Console.WriteLine(string.Join(Environment.NewLine, output));
                    return 1;
                }

                times.Add(elapsed.Elapsed);
                Console.WriteLine($"run {run}: first connected trace after {elapsed.Elapsed.TotalSeconds:0.0} s");
            }
            finally
            {
                await StopAsync(appHost, http);
            }
        }

        var median = times.Order().ElementAt(times.Count / 2);
        Console.WriteLine($"Time to first trace: median {median.TotalSeconds:0.0} s over {runs} runs ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})");
        return 0;
    }

    // Ctrl+C as a terminal sends it, to the whole process group; SIGKILL to the group only if that hangs. The next
    // run starts once the dashboard's port is closed again.
    private static async Task StopAsync(Process appHost, HttpClient http)
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

        while (!stopping.IsCancellationRequested)
        {
            try
            {
                using var _ = await http.GetAsync("/", stopping.Token);
                await Task.Delay(TimeSpan.FromMilliseconds(250), stopping.Token);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<bool> IsListeningAsync(HttpClient http)
    {
        try
        {
            using var _ = await http.GetAsync("/");
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task SignalGroupAsync(Process leader, string signal)
    {
        using var kill = Process.Start("kill", [signal, "--", $"-{leader.Id}"]);
        await kill.WaitForExitAsync();
    }

    // A server span whose parent is a client span of the same trace, from the resources "pingaspire-server" and "pingaspire-client" (PingAspire.AppHost/ServiceNames.cs).
    private static async Task<bool> HasConnectedTraceAsync(HttpClient http)
    {
        try
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync("/api/telemetry/traces"));
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
