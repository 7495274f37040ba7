using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using PingAspire.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The hand-built setup of PingAspire.ServiceDefaults/Telemetry/ManualTelemetry.cs: the resource (the SDK's rules,
// https://opentelemetry.io/docs/specs/otel/resource/sdk/#specifying-resource-information-via-an-environment-variable,
// plus the tutorial's default service name), the standard off switch, and a shutdown that flushes each exporter.
public sealed class ManualTelemetryTests
{
    private const string SourceName = "PingAspire.Tests.ManualTelemetry";

    // Each export stage's own flush budget (TelemetryLifetime).
    private static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(5);

    [Fact]
    public void DefaultServiceNameWhenNothingNamesAService()
    {
        var attributes = ResourceOf(("OTEL_RESOURCE_ATTRIBUTES", "service.version=1.2.3"));

        Assert.Equal(ManualTelemetry.DefaultServiceName, attributes["service.name"]);
        Assert.Equal("1.2.3", attributes["service.version"]);
    }

    [Fact]
    public void ServiceNameFromResourceAttributes()
    {
        var attributes = ResourceOf(("OTEL_RESOURCE_ATTRIBUTES", "service.name=py-opentelemetry-manual-otlp-server,service.version=10.10.9"));

        Assert.Equal("py-opentelemetry-manual-otlp-server", attributes["service.name"]);
    }

    [Fact]
    public void OtelServiceNameWinsOverResourceAttributes()
    {
        var attributes = ResourceOf(
            ("OTEL_SERVICE_NAME", "server"),
            ("OTEL_RESOURCE_ATTRIBUTES", "service.name=ignored,service.instance.id=abc"));

        Assert.Equal("server", attributes["service.name"]);
        Assert.Equal("abc", attributes["service.instance.id"]);
    }

    [Fact]
    public void OtelSdkDisabledBuildsNoTelemetry()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("OTEL_SDK_DISABLED", "true")]);
        builder.AddServiceDefaults(SourceName);
        using var host = builder.Build();

        Assert.Null(host.Services.GetService<TelemetryLifetime>());
    }

    // The SDK shuts a provider's processors down one after another out of one 5 s budget: with the dashboard's
    // endpoint hung, Lightstep's processor would get none. Each has its own budget, in parallel, so every span that
    // ended reaches Lightstep (answering in 1 s) before Dispose returns — which is what SIGTERM leads to — in ~5 s.
    [Fact]
    public async Task EachExporterFlushesWithinItsOwnBudgetAtShutdown()
    {
        const int Spans = 50;
        using var hungDashboard = new BlackHoleListener();
        await using var slowLightstep = await OtlpReceiver.StartAsync(responseDelay: TimeSpan.FromSeconds(1));
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", hungDashboard.Endpoint.ToString());
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        try
        {
            var pipeline = TelemetrySetup.Start(Configuration(
                ("LS_ACCESS_TOKEN", "shutdown-test"), ("LS_SATELLITE_URL", slowLightstep.Endpoint.ToString())),
                NullLogger.Instance, SourceName);
            using var source = new ActivitySource(SourceName);
            for (var i = 0; i < Spans; i++)
            {
                source.StartActivity($"span {i}")?.Dispose();
            }

            var shutdown = Stopwatch.StartNew();
            pipeline.Dispose();
            shutdown.Stop();

            TestContext.Current.TestOutputHelper?.WriteLine($"shutdown took {shutdown.Elapsed.TotalSeconds:0.00} s");
            Assert.Equal(Spans, slowLightstep.Telemetry.Spans.Count);
            Assert.True(hungDashboard.Accepted > 0, "the dashboard exporter tried its hung endpoint");
            // At least Lightstep's 1 s answer; at most one budget (they run side by side, not one after another).
            Assert.InRange(shutdown.Elapsed, TimeSpan.FromSeconds(1), ShutdownBudget + Timeouts.BusyMachineMargin);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", null);
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", null);
        }
    }

    // The tutorial's print, "Using default service name", as a log line: only when nothing named the service.
    [Theory]
    [InlineData(null, true)]
    [InlineData("service.name=named", false)]
    public void TheDefaultServiceNameIsSaidInTheLog(string? resourceAttributes, bool said)
    {
        var logger = new ListLogger();
        using (TelemetrySetup.Start(Configuration(resourceAttributes is null ? [] : [("OTEL_RESOURCE_ATTRIBUTES", resourceAttributes)]), logger, SourceName))
        {
        }

        Assert.Equal(said, logger.Lines.Contains($"Information: Using default service name {ManualTelemetry.DefaultServiceName}"));
    }

    // Stopping the host (what SIGTERM leads to) flushes every signal: the log record and the measurement made just
    // before the stop reach the backend, although neither would leave on its own for ten minutes.
    [Fact]
    public async Task StoppingTheHostFlushesLogsAndMetrics()
    {
        await using var dashboard = await OtlpReceiver.StartAsync();
        (string Name, string Value)[] environment =
        [
            ("OTEL_EXPORTER_OTLP_ENDPOINT", dashboard.Endpoint.ToString()),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_BLRP_SCHEDULE_DELAY", "600000"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "600000"),
        ];
        foreach (var (name, value) in environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.AddServiceDefaults(SourceName);
            using var meter = new System.Diagnostics.Metrics.Meter(SourceName);
            var counter = meter.CreateCounter<long>("pingaspire.test.flushed");
            using (var host = builder.Build())
            {
                await host.StartAsync(TestContext.Current.CancellationToken);
                host.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("FlushTest")
                    .LogWarning("written just before the stop");
                counter.Add(3);
                await host.StopAsync(TestContext.Current.CancellationToken);
            }

            Assert.Contains(dashboard.Telemetry.Logs, l => l.Body == "written just before the stop");
            Assert.Contains(dashboard.Telemetry.MetricPoints, p => p is { Name: "pingaspire.test.flushed", Value: 3 });
        }
        finally
        {
            foreach (var (name, _) in environment)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    private static Dictionary<string, object> ResourceOf(params (string Key, string Value)[] settings)
    {
        using var pipeline = TelemetrySetup.Start(Configuration(settings), NullLogger.Instance, SourceName);
        return pipeline.TracerProvider.GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
}
