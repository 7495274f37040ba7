using System.Diagnostics;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// The Release PingAspire.Server as its own process, one telemetry variant per process, selected by configuration
// only: "off" is OpenTelemetry's standard OTEL_SDK_DISABLED=true; "auto" is the benchmark's own server with Aspire's
// default instrumentation (BenchmarkServer.ServeAutoAsync).
public sealed class ServerProcess(Process process, Uri url) : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    public Uri Url => url;

    public static async Task<ServerProcess> StartAsync(string variant, string serverDll, Uri otlpSink, Dependencies dependencies)
    {
        var url = new Uri($"http://127.0.0.1:{LoopbackPorts.Unused()}");
        var start = variant == "auto"
            ? new ProcessStartInfo("dotnet", [typeof(ServerProcess).Assembly.Location, "serve-auto"])
            : new ProcessStartInfo("dotnet", [serverDll]);
        foreach (var name in HermeticEnvironment.OutsideSettings())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_URLS"] = url.ToString();
        // Development: the dependency-free endpoint is the W3C test endpoint, which answers in Development only.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ConnectionStrings__redis"] = dependencies.RedisConnectionString;
        start.Environment["ConnectionStrings__sql"] = dependencies.SqlConnectionString;
        start.Environment["TraceContextTest__Enabled"] = "true";
        start.Environment["OTEL_SERVICE_NAME"] = "pingaspire-server";
        start.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        if (variant.StartsWith("off", StringComparison.Ordinal))
        {
            start.Environment["OTEL_SDK_DISABLED"] = "true";
        }
        else
        {
            start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpSink.ToString();
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var health = await http.GetAsync(new Uri(url, "/health"));
                if (health.IsSuccessStatusCode)
                {
                    return new ServerProcess(process, url);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            if (process.HasExited || waited.Elapsed > StartDeadline)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"the {variant} server did not become healthy on {url}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
