using System.Globalization;
using System.Text.Json;
using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// The Release PingAspire.Server as its own process, one telemetry variant per process, selected by configuration
// only: "off" is OpenTelemetry's standard OTEL_SDK_DISABLED=true; "manual-no-export" the SDK on with no destination
// (spans made, nothing exported, no metric reader); "auto" Aspire's default instrumentation (AutoServer.cs).
public sealed class ServerProcess(ChildProcess process, Uri url) : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    public Uri Url => url;

    public int Pid => process.Pid;

    // What its batch queues dropped, from its last telemetry log record (read once it has stopped); null for "off",
    // which builds no telemetry and writes no such record.
    public long? DroppedSpans { get; private set; }

    // The Release server's path, where wrk and that build are there to load and run it; null, and what to run, where not.
    public static string? ReleaseServer()
    {
        var serverDll = Path.Combine(Repository.Root(), "PingAspire.Server", "bin", "Release", "net10.0", "PingAspire.Server.dll");
        if (ProcessCpu.OnPath("wrk") && File.Exists(serverDll))
        {
            return serverDll;
        }

        Console.WriteLine("Needs wrk and a Release build: run PingAspire.Benchmarks/run-requests.sh");
        return null;
    }

    public static async Task<ServerProcess> StartAsync(string variant, string serverDll, Uri otlpSink, Dependencies dependencies)
    {
        var url = new Uri($"http://127.0.0.1:{LoopbackPorts.Unused()}");
        var start = ProcessCpu.OnServerCore(variant == "auto" ? ["dotnet", typeof(ServerProcess).Assembly.Location, "serve-auto"] : ["dotnet", serverDll]);
        start.Environment["ASPNETCORE_URLS"] = url.ToString();
        // Development: the dependency-free endpoint is the W3C test endpoint, which answers in Development only.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Its last telemetry record, read by its structured Dropped value (the console's JSON), not by its wording.
        start.Environment[$"Logging__LogLevel__{TelemetrySetup.LoggerName}"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "json";
        start.Environment["ConnectionStrings__redis"] = dependencies.RedisConnectionString;
        start.Environment["ConnectionStrings__sql"] = dependencies.SqlConnectionString(variant);
        start.Environment["TraceContextTest__Enabled"] = "true";
        start.Environment["OTEL_SERVICE_NAME"] = "pingaspire-server";
        start.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        if (variant.StartsWith("off", StringComparison.Ordinal))
        {
            start.Environment["OTEL_SDK_DISABLED"] = "true";
        }
        else if (variant != "manual-no-export")
        {
            start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpSink.ToString();
        }

        // SIGTERM, as an orchestrator stops it.
        var server = new ServerProcess(new ChildProcess(start, "-TERM"), url);
        await server.WaitUntilHealthyAsync(variant);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        DroppedSpans = process.Lines.Select(l => Dropped(l.Line)).LastOrDefault(dropped => dropped is not null);
    }

    // The current RSS (VmRSS in /proc/<pid>/status), in bytes.
    public long ResidentBytes() =>
        long.Parse(File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture) * 1024;

    private async Task WaitUntilHealthyAsync(string variant)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (!await IsHealthyAsync(http))
        {
            if (process.HasExited || process.Elapsed > StartDeadline)
            {
                await DisposeAsync();
                throw new InvalidOperationException($"the {variant} server did not become healthy on {url}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private async Task<bool> IsHealthyAsync(HttpClient http)
    {
        try
        {
            using var health = await http.GetAsync(new Uri(url, "/health"));
            return health.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static long? Dropped(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        using var record = JsonDocument.Parse(line);
        return record.RootElement.GetProperty("Category").GetString() == TelemetrySetup.LoggerName
            && record.RootElement.GetProperty("State").TryGetProperty("Dropped", out var dropped)
            ? dropped.GetInt64()
            : null;
    }
}
