using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using PingAspire.Server;
using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// The server's hand-built pipeline (TelemetrySetup.Start) exporting over OTLP/gRPC to a loopback sink of its own in
// this process, as the dashboard destination: what the span micro-benchmarks record through.
public sealed class LoopbackPipeline(OtlpReceiver sink, TelemetryLifetime pipeline) : IDisposable
{
    public static LoopbackPipeline Start()
    {
        var sink = OtlpReceiver.StartAsync(keepTelemetry: false).GetAwaiter().GetResult();
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", sink.Endpoint.ToString());
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        return new LoopbackPipeline(sink, TelemetrySetup.Start(new ConfigurationBuilder().Build(), NullLogger.Instance, ServerTelemetry.SourceName));
    }

    public void Dispose()
    {
        pipeline.Dispose();
        sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
