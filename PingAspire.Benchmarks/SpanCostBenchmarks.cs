using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using PingAspire.Server;
using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// The limit for any request overhead: one recorded SERVER span with the server span's tags, under a remote parent,
// through the same hand-built provider and batch processor (exporting to a loopback sink), no HTTP around it.
[MemoryDiagnoser]
public class SpanCostBenchmarks
{
    private static readonly ActivityContext Parent = ActivityContext.Parse(Wrk.Traceparent, null);
    private OtlpReceiver _sink = null!;
    private TelemetryPipeline _pipeline = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sink = OtlpReceiver.StartAsync(keepSpans: false).GetAwaiter().GetResult();
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", _sink.Endpoint.ToString());
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        _pipeline = ManualTelemetry.Build(new ConfigurationBuilder().Build(), NullLogger.Instance, ServerTelemetry.SourceName);
    }

    [Benchmark]
    public void OneRecordedServerSpan() => RecordServerSpan();

    // Also what ExportedSpanCpu records, span after span.
    public static void RecordServerSpan()
    {
        using var span = ServerTelemetry.Source.StartActivity("POST /test", ActivityKind.Server, Parent);
        span?.SetTag("http.request.method", "POST")
            .SetTag("http.route", "/test")
            .SetTag("url.path", "/test")
            .SetTag("url.scheme", "http")
            .SetTag("server.address", "127.0.0.1")
            .SetTag("server.port", 5000)
            .SetTag("pingaspire.client.run_id", null)
            .SetTag("http.response.status_code", 200);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline.Dispose();
        _sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
