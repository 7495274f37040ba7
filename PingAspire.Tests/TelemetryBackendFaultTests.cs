using System.Diagnostics;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// Telemetry backends failing must not hurt the application: requests keep being served, the other exporter keeps
// delivering, memory stays bounded by the batch queue, and the loss is reported in the log, not silent.
// Latency and memory figures are printed (side by side with a healthy run), never asserted.
public sealed class TelemetryBackendFaultTests
{
    private const int Warmup = 50;
    private const int Burst = 400;
    private const string BlackHoleVariant = "lightstep never answers";

    // Small limits make the effects show within a short burst: a 1 s export timeout, a 512-span queue.
    private static readonly (string Name, string Value)[] ExporterLimits =
    [
        ("OTEL_EXPORTER_OTLP_TIMEOUT", "1000"),
        ("OTEL_BSP_MAX_QUEUE_SIZE", "512"),
        ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "128"),
        // Spans are what this test measures; metrics exported every 500 ms under that 1 s timeout would add noise.
        ("OTEL_METRIC_EXPORT_INTERVAL", "60000"),
    ];

    [Fact]
    public async Task DeadSlowOrRefusingBackendsDoNotHurtServing()
    {
        var report = new List<string> { "variant                     p50 ms  p99 ms  p50×   p99×   RSS MiB  OTel warnings" };
        using var blackHole = new BlackHoleListener();
        await using var healthyLightstep = await OtlpReceiver.StartAsync();
        await using var slowLightstep = await OtlpReceiver.StartAsync(responseDelay: TimeSpan.FromSeconds(3));

        var healthy = await RunAsync("healthy", lightstep: healthyLightstep.Endpoint, dashboardDown: false, expectLoss: false);
        report.Add(healthy.Row(healthy));
        foreach (var (name, lightstep, dashboardDown) in new[]
        {
            ("lightstep refuses", new Uri($"http://127.0.0.1:{LoopbackPorts.Unused()}"), false),
            (BlackHoleVariant, blackHole.Endpoint, false),
            ("lightstep answers in 3 s", slowLightstep.Endpoint, false),
            ("dashboard endpoint down", healthyLightstep.Endpoint, true),
        })
        {
            var run = await RunAsync(name, lightstep, dashboardDown, expectLoss: true);
            report.Add(run.Row(healthy));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(Environment.NewLine, report));
        await File.WriteAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "telemetry-backend-faults.txt"), report,
            TestContext.Current.CancellationToken);
    }

    private static async Task<Measurement> RunAsync(string name, Uri lightstep, bool dashboardDown, bool expectLoss)
    {
        var closedDashboard = $"http://127.0.0.1:{LoopbackPorts.Unused()}";
        await using var app = await PingAppHost.StartAsync(
            ["Client:Count=1", "LS_ACCESS_TOKEN=fault-test-token", $"LS_SATELLITE_URL={lightstep}"],
            project =>
            {
                foreach (var (variable, value) in ExporterLimits)
                {
                    project.WithEnvironment(variable, value);
                }

                if (dashboardDown)
                {
                    project.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", closedDashboard);
                }
            });
        using var http = app.CreateServerClient();

        var latencies = new List<double>(Burst);
        var markers = new List<string>(Burst);
        for (var i = 0; i < Warmup + Burst; i++)
        {
            var request = new DirectRequest();
            var started = Stopwatch.GetTimestamp();
            using var response = await request.SendAsync(http, "/redis/1");
            var elapsed = Stopwatch.GetElapsedTime(started);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: request {i} answered {response.StatusCode}");
            if (i >= Warmup)
            {
                latencies.Add(elapsed.TotalMilliseconds);
                markers.Add(request.Marker);
            }
        }

        var rss = ProcessMemory.ResidentBytes("PingAspire.Server", dashboardDown ? closedDashboard : app.Dashboard.Endpoint.ToString());

        // The healthy exporter delivers everything although the other one is failing.
        if (!dashboardDown)
        {
            await app.Dashboard.Spans.WaitForAsync(spans => spans.ServerSpansMarked().Intersect(markers).Count() == Burst ? spans : null,
                Timeouts.SpansArrive, $"{name}: all {Burst} server spans at the dashboard endpoint");
        }

        if (expectLoss)
        {
            await app.WaitForLogLinesAsync(ServiceNames.Server, "OpenTelemetry");
        }

        if (name == BlackHoleVariant)
        {
            // The README's promise: spans the full queue could not take are counted in the log, not lost silently.
            await app.WaitForLogLinesAsync(ServiceNames.Server, "Dropped");
        }

        if (!expectLoss)
        {
            // Absence is only said of a complete log: stop the server and wait for the last line its telemetry writes.
            await app.ExecuteCommandAsync(ServiceNames.Server, KnownResourceCommands.StopCommand);
            await app.WaitForLogLinesAsync(ServiceNames.Server, "Telemetry shut down; 0 spans dropped");
            // The server's spans are what is measured. (The client, exporting for the first time while it exits, and
            // the server's final metric and log exports, all under a 1 s timeout on two cores busy with the burst, may
            // report a timeout of their own: a run here saw a metrics export time out.)
            var unexpected = app.LogLinesOf(ServiceNames.Server).Where(IsSpanExportWarning).ToList();
            Assert.True(unexpected.Count == 0, string.Join(Environment.NewLine, unexpected));
        }

        var warnings = app.LogLinesOf(ServiceNames.Server).Count(IsSpanExportWarning);
        return new Measurement(name, Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.99), rss, warnings);
    }

    private static bool IsSpanExportWarning(string line) =>
        (line.Contains("OpenTelemetry-", StringComparison.Ordinal)
            && !line.Contains("MetricsService", StringComparison.Ordinal) && !line.Contains("LogsService", StringComparison.Ordinal))
        || line.Contains("Dropped", StringComparison.Ordinal);

    private sealed record Measurement(string Name, double P50, double P99, long? Rss, int Warnings)
    {
        public string Row(Measurement healthy) =>
            $"{Name,-27} {P50,6:0.00}  {P99,6:0.00}  {P50 / healthy.P50,4:0.00}  {P99 / healthy.P99,5:0.00}  {(Rss ?? 0) / 1048576.0,7:0.0}  {Warnings}";
    }
}
