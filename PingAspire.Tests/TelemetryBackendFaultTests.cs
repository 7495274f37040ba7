using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// A telemetry backend failing must not cost the other one anything: the healthy backend still gets every span, and
// the loss is reported in the log, never silent. The hand-built pipeline (ManualTelemetry.Build) in-process, with
// real OTLP receivers and real dead ends. What it costs the requests (latency, memory) is the benchmark's to measure
// (docs/performance.md, exporter back-pressure), not a test's.
public sealed class TelemetryBackendFaultTests
{
    private const string SourceName = "PingAspire.Tests.BackendFaults";
    private const int Rounds = 8;
    private const int SpansPerRound = 100;
    private const string DashboardKeyHeader = "x-otlp-api-key";

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

    public enum Fault
    {
        None,
        LightstepRefuses,
        LightstepNeverAnswers,
        LightstepAnswersIn3Seconds,
        DashboardDown,
    }

    [Theory]
    [InlineData(Fault.None)]
    [InlineData(Fault.LightstepRefuses)]
    [InlineData(Fault.LightstepNeverAnswers)]
    [InlineData(Fault.LightstepAnswersIn3Seconds)]
    [InlineData(Fault.DashboardDown)]
    public async Task TheHealthyBackendGetsEverySpanAndTheLossIsLogged(Fault fault)
    {
        using var blackHole = new BlackHoleListener();
        await using var dashboard = await OtlpReceiver.StartAsync();
        await using var lightstep = await OtlpReceiver.StartAsync(
            responseDelay: fault == Fault.LightstepAnswersIn3Seconds ? TimeSpan.FromSeconds(3) : default);
        var closed = new Uri($"http://127.0.0.1:{LoopbackPorts.Unused()}");
        var failing = fault switch
        {
            Fault.LightstepRefuses or Fault.DashboardDown => closed,
            Fault.LightstepNeverAnswers => blackHole.Endpoint,
            _ => null,
        };
        var healthy = fault == Fault.DashboardDown ? lightstep : dashboard;
        var logger = new ListLogger();
        foreach (var (name, value) in ExporterLimits)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_TIMEOUT", fault == Fault.None ? null : "1000");
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", (fault == Fault.DashboardDown ? closed : dashboard.Endpoint).ToString());
        try
        {
            var lightstepUrl = fault is Fault.LightstepRefuses or Fault.LightstepNeverAnswers ? failing! : lightstep.Endpoint;
            var pipeline = TelemetrySetup.Start(new ConfigurationBuilder().AddInMemoryCollection(
            [
                new("LS_ACCESS_TOKEN", "fault-test-token"),
                new("LS_SATELLITE_URL", lightstepUrl.ToString()),
            ]).Build(), logger, SourceName);
            using (pipeline)
            {
                using var source = new ActivitySource(SourceName);
                // Round by round, each delivered to every healthy backend before the next: a healthy backend's queue
                // never overflows, whatever the other one does.
                for (var round = 1; round <= Rounds; round++)
                {
                    for (var i = 0; i < SpansPerRound; i++)
                    {
                        source.StartActivity("fault-test span")?.Dispose();
                    }

                    foreach (var backend in fault == Fault.None ? [dashboard, lightstep] : new[] { healthy })
                    {
                        await backend.Spans.WaitForAsync(spans => spans.Count >= round * SpansPerRound ? spans : null,
                            Timeouts.SpansArrive, $"{fault}: round {round} at a healthy backend");
                    }
                }

                if (failing is not null)
                {
                    // Logged, at most once every 10 s: the failure of the other exporter, naming the SDK's source.
                    await WaitForLineAsync(logger, "OpenTelemetry OpenTelemetry-Exporter-OpenTelemetryProtocol:", fault);
                }

                if (fault == Fault.LightstepNeverAnswers)
                {
                    // Its queue filled while the export hung: the spans it had to drop are counted in the log.
                    await WaitForLineAsync(logger, "Dropped ", fault);
                }
            }

            Assert.Equal(Rounds * SpansPerRound, healthy.Spans.All.Count);
            Assert.Contains(logger.Lines, line => line.Contains("Telemetry shut down;", StringComparison.Ordinal));
            if (fault == Fault.None)
            {
                // Both healthy: every span at both, each with its own header only, and not one warning.
                Assert.Equal(Rounds * SpansPerRound, lightstep.Spans.All.Count);
                Assert.All(lightstep.Spans.ExportHeaders, h => Assert.Equal(("fault-test-token", false), (h["lightstep-access-token"], h.ContainsKey(DashboardKeyHeader))));
                Assert.All(dashboard.Spans.ExportHeaders, h => Assert.Equal(("dashboard-key", false), (h[DashboardKeyHeader], h.ContainsKey("lightstep-access-token"))));
                Assert.DoesNotContain(logger.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal));
                Assert.Contains("Information: Telemetry shut down; 0 spans dropped in all", logger.Lines);
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
    }

    private static async Task WaitForLineAsync(ListLogger logger, string text, Fault fault)
    {
        using var deadline = new CancellationTokenSource(Timeouts.SpansArrive);
        while (!logger.Lines.Any(line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal)))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{fault}: no warning with '{text}' in {Timeouts.SpansArrive.TotalSeconds} s; the log: {string.Join(" | ", logger.Lines)}");
            }
        }
    }
}
