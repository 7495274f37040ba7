using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using PingAspire.ServiceDefaults.Layers;
using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// A telemetry backend failing must not cost the other one anything: the healthy backend still gets every span, and
// the loss is reported in the log, never silent. The hand-built telemetry (TelemetrySetup.Start) in-process, with real
// OTLP receivers and real dead ends. What it costs the requests (latency, memory) is the benchmark's to measure
// (docs/performance.md, exporter back-pressure), not a test's.
public sealed class TelemetryBackendFaultTests
{
    private const string SourceName = "PingAspire.Tests.BackendFaults";
    private const int Rounds = 8;
    private const int SpansPerRound = 100;
    private const string DashboardKeyHeader = "x-otlp-api-key";
    private const string ExportWarning = "OpenTelemetry OpenTelemetry-Exporter-OpenTelemetryProtocol:";

    // Small limits make the effects show within a short run: a 256-span queue and, where a backend fails, a 1 s
    // export timeout (with both healthy, the default 10 s: a busy machine can take over 1 s to answer an export).
    private static readonly (string Name, string Value)[] ExporterLimits =
    [
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        ("OTEL_EXPORTER_OTLP_HEADERS", $"{DashboardKeyHeader}=dashboard-key"),
        ("OTEL_BSP_MAX_QUEUE_SIZE", "256"),
        ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "64"),
        ("OTEL_BSP_SCHEDULE_DELAY", "50"),
        ("OTEL_METRIC_EXPORT_INTERVAL", "600000"),
    ];

    [Fact]
    public async Task BothBackendsHealthyGetEverySpanEachWithItsOwnHeaderAndNoWarning()
    {
        await using var dashboard = await OtlpReceiver.StartAsync();
        await using var lightstep = await OtlpReceiver.StartAsync();

        var log = await SendRoundsAsync(dashboard.Endpoint, lightstep.Endpoint, exportTimeout: null, [dashboard, lightstep], warning: null);

        Assert.Equal(Rounds * SpansPerRound, dashboard.Telemetry.Spans.Count);
        Assert.Equal(Rounds * SpansPerRound, lightstep.Telemetry.Spans.Count);
        Assert.All(lightstep.Telemetry.ExportHeaders, h => Assert.Equal(("fault-test-token", false), (h["lightstep-access-token"], h.ContainsKey(DashboardKeyHeader))));
        Assert.All(dashboard.Telemetry.ExportHeaders, h => Assert.Equal(("dashboard-key", false), (h[DashboardKeyHeader], h.ContainsKey("lightstep-access-token"))));
        Assert.DoesNotContain(log.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("Information: Telemetry shut down; 0 spans dropped in all", log.Lines);
    }

    [Fact]
    public async Task LightstepRefusingCostsTheDashboardNothingAndIsLogged()
    {
        await using var dashboard = await OtlpReceiver.StartAsync();

        var log = await SendRoundsAsync(dashboard.Endpoint, ClosedPort(), exportTimeout: 1000, [dashboard]);

        Assert.Equal(Rounds * SpansPerRound, dashboard.Telemetry.Spans.Count);
        Assert.Contains(log.Lines, IsWarning(ExportWarning));
    }

    [Fact]
    public async Task LightstepNeverAnsweringCostsTheDashboardNothingAndItsDropsAreCounted()
    {
        using var blackHole = new BlackHoleListener();
        await using var dashboard = await OtlpReceiver.StartAsync();

        var log = await SendRoundsAsync(dashboard.Endpoint, blackHole.Endpoint, exportTimeout: 1000, [dashboard]);

        Assert.Equal(Rounds * SpansPerRound, dashboard.Telemetry.Spans.Count);
        Assert.Contains(log.Lines, IsWarning(ExportWarning));
        // Its queue filled while the export hung: the spans it had to drop are counted in the log.
        Assert.Contains(log.Lines, IsWarning("Dropped "));
    }

    [Fact]
    public async Task LightstepAnsweringIn3SecondsCostsTheDashboardNothing()
    {
        await using var dashboard = await OtlpReceiver.StartAsync();
        await using var slowLightstep = await OtlpReceiver.StartAsync(responseDelay: TimeSpan.FromSeconds(3));

        var log = await SendRoundsAsync(dashboard.Endpoint, slowLightstep.Endpoint, exportTimeout: 1000, [dashboard], warning: null);

        Assert.Equal(Rounds * SpansPerRound, dashboard.Telemetry.Spans.Count);
        Assert.Contains(log.Lines, line => line.Contains("Telemetry shut down;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDashboardDownCostsLightstepNothingAndIsLogged()
    {
        await using var lightstep = await OtlpReceiver.StartAsync();

        var log = await SendRoundsAsync(ClosedPort(), lightstep.Endpoint, exportTimeout: 1000, [lightstep]);

        Assert.Equal(Rounds * SpansPerRound, lightstep.Telemetry.Spans.Count);
        Assert.Contains(log.Lines, IsWarning(ExportWarning));
    }

    // Round by round, each delivered to every healthy backend before the next, so that a healthy backend's queue never
    // overflows, whatever the other one does; then the warning the failing one causes, waited for; then the shutdown.
    private static async Task<ListLogger> SendRoundsAsync(
        Uri dashboardUrl, Uri lightstepUrl, int? exportTimeout, OtlpReceiver[] healthy, string? warning = ExportWarning)
    {
        var log = new ListLogger();
        foreach (var (name, value) in ExporterLimits)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_TIMEOUT", exportTimeout?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", dashboardUrl.ToString());
        try
        {
            using var telemetry = TelemetrySetup.Start(new ConfigurationBuilder().AddInMemoryCollection(
            [
                new("LS_ACCESS_TOKEN", "fault-test-token"),
                new("LS_SATELLITE_URL", lightstepUrl.ToString()),
            ]).Build(), log, SourceName);
            using var source = new ActivitySource(SourceName);
            for (var round = 1; round <= Rounds; round++)
            {
                for (var i = 0; i < SpansPerRound; i++)
                {
                    source.StartActivity("fault-test span")?.Dispose();
                }

                foreach (var backend in healthy)
                {
                    await backend.Telemetry.WaitForAsync(spans => spans.Count >= round * SpansPerRound ? spans : null,
                        Timeouts.SpansArrive, $"round {round} at a healthy backend");
                }
            }

            if (warning is not null)
            {
                await WaitForLineAsync(log, warning);
            }
        }
        finally
        {
            foreach (var (name, _) in ExporterLimits)
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", null);
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_TIMEOUT", null);
        }

        return log;
    }

    private static Uri ClosedPort() => new($"http://127.0.0.1:{LoopbackPorts.Unused()}");

    private static Predicate<string> IsWarning(string text) =>
        line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal);

    // The SDK's warnings come from its export threads; logged at most once every 10 s (SdkWarnings.cs).
    private static async Task WaitForLineAsync(ListLogger log, string text)
    {
        using var deadline = new CancellationTokenSource(Timeouts.SpansArrive);
        while (!log.Lines.Any(line => IsWarning(text)(line)))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no warning with '{text}' in {Timeouts.SpansArrive.TotalSeconds} s; the log: {string.Join(" | ", log.Lines)}");
            }
        }
    }
}
