using System.Diagnostics;
using System.Text.Json;

namespace PingAspire.Benchmarks;

// Errors: answers that were not 2xx/3xx (a dependency failing under the load) and socket errors, reported, not hidden.
// Server CPU per request: what the server process used over the window, all threads, per request it served.
// Harness CPU per request: what this process (the OTLP sink, and Garnet for /ping) used over the window, per request
// of all the servers loaded in it: visible, and never charged to a server.
// Server core share: the server's CPU over the window's wall time (1 = the whole server core).
// JIT share: the part of the server's CPU that was its tiered compilation (TieredCompilationMeter), which is
// the runtime compiling, not the request's work.
public sealed record WrkResult(double RequestsPerSecond, double P99Milliseconds, int Errors, double ServerCpuUsPerRequest, double SinkCpuUsPerRequest,
    double ServerCoreShare, double JitShare);

// One server under load: where wrk sends, and whose CPU is counted.
public sealed record WrkTarget(Uri Url, string? PostBody, int ServerPid);

// Debian's wrk, in its own process: closed-loop load (a fixed number of connections, each sending its next request
// when the last is answered), every request carrying a traceparent as a traced caller's would. Its figures are read
// from one JSON line its Lua `done` hook writes (wrk's own counts), not from its report for people.
public static class Wrk
{
    // wrk's summary: duration and latency in microseconds; errors of every kind (connect, read, write, timeout, and
    // answers that were not 2xx/3xx).
    private const string Summary = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format('\n{"requests":%d,"duration_us":%d,"errors":%d,"p99_us":%f}\n', summary.requests,
            summary.duration, e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(99)))
        end
        """;

    private sealed record WrkSummary(int Requests, long DurationUs, int Errors, double P99Us);

    public const int Connections = 2;
    public const string Traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    // One wrk per target, all in the same seconds: what slows the machine in those seconds slows every server alike.
    public static async Task<IReadOnlyList<WrkResult>> RunAtOnceAsync(IReadOnlyList<WrkTarget> targets, int seconds)
    {
        var scripts = targets.Select(_ => Path.GetTempFileName()).ToList();
        List<Process> wrks = [];
        try
        {
            var starts = new List<ProcessStartInfo>();
            foreach (var (target, script) in targets.Zip(scripts))
            {
                await File.WriteAllTextAsync(script, (target.PostBody is null
                    ? ""
                    : $"wrk.method = \"POST\"\nwrk.body = \"{target.PostBody}\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n") + Summary);
                var start = ProcessCpu.OnCore(ProcessCpu.LoadCore,
                    "wrk", "-t1", $"-c{Connections}", $"-d{seconds}s", "-s", script, "-H", $"traceparent: {Traceparent}", target.Url.ToString());
                start.RedirectStandardOutput = start.RedirectStandardError = true;
                starts.Add(start);
            }

            var serverCpu = targets.Select(t => ProcessCpu.Of(t.ServerPid)).ToList();
            var jit = targets.Select(t => new TieredCompilationMeter(t.ServerPid)).ToList();
            var sinkCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var window = Stopwatch.StartNew();
            wrks.AddRange(starts.Select(s => Process.Start(s)!));
            var running = Task.WhenAll(wrks.Select(async wrk =>
            {
                var output = await wrk.StandardOutput.ReadToEndAsync();
                await wrk.WaitForExitAsync();
                return output;
            }));
            while (await Task.WhenAny(running, Task.Delay(TieredCompilationMeter.ReadEvery)) != running)
            {
                jit.ForEach(meter => meter.Read());
            }

            jit.ForEach(meter => meter.Read());
            var outputs = await running;
            serverCpu = [.. targets.Select((t, i) => ProcessCpu.Of(t.ServerPid) - serverCpu[i])];
            window.Stop();
            sinkCpu = Process.GetCurrentProcess().TotalProcessorTime - sinkCpu;
            var parsed = new List<WrkSummary>();
            for (var i = 0; i < targets.Count; i++)
            {
                var line = outputs[i].Split('\n').LastOrDefault(l => l.StartsWith("{\"requests\"", StringComparison.Ordinal));
                parsed.Add(wrks[i].ExitCode == 0 && line is not null
                    ? JsonSerializer.Deserialize<WrkSummary>(line, SnakeCase)!
                    : throw new InvalidOperationException(
                        $"wrk against {targets[i].Url} failed:{Environment.NewLine}{outputs[i]}{await wrks[i].StandardError.ReadToEndAsync()}"));
            }

            var sinkPerRequest = sinkCpu.TotalMicroseconds / parsed.Sum(p => p.Requests);
            return [.. parsed.Select((p, i) => new WrkResult(p.Requests / (p.DurationUs / 1e6), p.P99Us / 1000.0, p.Errors, serverCpu[i].TotalMicroseconds / p.Requests, sinkPerRequest,
                serverCpu[i] / window.Elapsed, serverCpu[i] > TimeSpan.Zero ? jit[i].Since() / serverCpu[i] : 0))];
        }
        finally
        {
            scripts.ForEach(File.Delete);
            wrks.ForEach(wrk => wrk.Dispose());
        }
    }

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
