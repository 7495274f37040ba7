using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PingAspire.Benchmarks;

// Errors: answers that were not 2xx/3xx (a dependency failing under the load) and socket errors, reported, not hidden.
// Server and harness CPU: what the server process and this one (the OTLP sink, and Garnet for /ping) used over the
// window, per request: the sink's work is visible, and never charged to the server.
// Server core busy: the server's CPU over the window's wall time, on the core it has to itself (1 = the core was full).
public sealed record WrkResult(double RequestsPerSecond, double P99Milliseconds, int Errors, double ServerCpuUsPerRequest, double SinkCpuUsPerRequest,
    double ServerCoreBusy);

// Debian's wrk, in its own process: closed-loop load (a fixed number of connections, each sending its next request
// when the last is answered), every request carrying a traceparent as a traced caller's would.
public static partial class Wrk
{
    public const int Connections = 2;
    public const string Traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    public static async Task<WrkResult> RunAsync(Uri url, string? postBody, int seconds, int serverPid)
    {
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, postBody is null
            ? ""
            : $"wrk.method = \"POST\"\nwrk.body = \"{postBody}\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
        try
        {
            string[] wrkArgs =
            [
                "-t1", $"-c{Connections}", $"-d{seconds}s", "--latency", "-s", script,
                "-H", $"traceparent: {Traceparent}", url.ToString(),
            ];
            var start = ProcessCpu.OnCore(ProcessCpu.LoadCore, ["wrk", .. wrkArgs]);
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            var serverCpu = ProcessCpu.Of(serverPid);
            var sinkCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var window = Stopwatch.StartNew();
            using var wrk = Process.Start(start)!;
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            serverCpu = ProcessCpu.Of(serverPid) - serverCpu;
            window.Stop();
            sinkCpu = Process.GetCurrentProcess().TotalProcessorTime - sinkCpu;
            var rate = RequestsPerSecond().Match(output);
            var p99 = P99().Match(output);
            var requests = Requests().Match(output);
            if (wrk.ExitCode != 0 || !rate.Success || !p99.Success || !requests.Success)
            {
                throw new InvalidOperationException($"wrk against {url} failed:{Environment.NewLine}{output}{await wrk.StandardError.ReadToEndAsync()}");
            }

            var errors = ErrorCounts().Matches(output).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            var served = double.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture);
            return new WrkResult(double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), Milliseconds(p99), errors,
                serverCpu.TotalMicroseconds / served, sinkCpu.TotalMicroseconds / served, serverCpu / window.Elapsed);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static double Milliseconds(Match latency)
    {
        var value = double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture);
        return latency.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            var unit => throw new InvalidOperationException($"wrk latency unit '{unit}'"),
        };
    }

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(?:Non-2xx or 3xx responses:|connect|read|write|timeout)\s+(\d+)")]
    private static partial Regex ErrorCounts();

    [GeneratedRegex(@"\s99%\s+([0-9.]+)(us|ms|s)")]
    private static partial Regex P99();
}
