using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;

namespace PingAspire.Tests;

// The hand-built setup of PingAspire.ServiceDefaults/Telemetry/ManualTelemetry.cs: the resource (the SDK's rules,
// https://opentelemetry.io/docs/specs/otel/resource/sdk/#specifying-resource-information-via-an-environment-variable,
// plus the tutorial's default service name), the standard off switch, and a shutdown that flushes each exporter.
public sealed class ManualTelemetryTests
{
    private const string SourceName = "PingAspire.Tests.ManualTelemetry";

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
    public void ValuesArePercentDecoded()
    {
        var attributes = ResourceOf(("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=dev%2Cqa , team=a%20b"));

        Assert.Equal("dev,qa", attributes["deployment.environment.name"]);
        Assert.Equal("a b", attributes["team"]);
    }

    // The spec says a malformed value SHOULD be discarded whole; the .NET SDK skips only the malformed member. We use
    // the SDK's rule rather than re-implement the parser, and pin it here so that a change in the SDK is noticed.
    [Fact]
    public void AMalformedMemberIsSkippedByTheSdk()
    {
        var attributes = ResourceOf(("OTEL_RESOURCE_ATTRIBUTES", "service.name=kept,no-equals-sign"));

        Assert.Equal("kept", attributes["service.name"]);
        Assert.False(attributes.ContainsKey("no-equals-sign"));
    }

    [Fact]
    public void OtelSdkDisabledBuildsNoPipeline()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("OTEL_SDK_DISABLED", "true")]);
        builder.AddServiceDefaults(SourceName);
        using var host = builder.Build();

        Assert.Null(host.Services.GetService<TelemetryPipeline>());
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
            var pipeline = ManualTelemetry.Build(Configuration(
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
            Assert.Equal(Spans, slowLightstep.Spans.All.Count);
            Assert.True(hungDashboard.Accepted > 0, "the dashboard exporter tried its hung endpoint");
            Assert.InRange(shutdown.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6));
        }
        finally
        {
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", null);
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", null);
        }
    }

    private static Dictionary<string, object> ResourceOf(params (string Key, string Value)[] settings)
    {
        using var pipeline = ManualTelemetry.Build(Configuration(settings), NullLogger.Instance, SourceName);
        return pipeline.TracerProvider.GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
}
