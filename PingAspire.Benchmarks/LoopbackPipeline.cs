using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using PingAspire.Server;
using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// The server's hand-built pipeline (ManualTelemetry.Build) exporting over OTLP/gRPC to a loopback sink, as the
// dashboard destination: what the span micro-benchmarks record through.
public sealed class LoopbackPipeline(OtlpReceiver sink, TelemetryLifetime pipeline) : IDisposable
{
    public TelemetryLifetime Pipeline => pipeline;

    // With a sink of its own, in this process (a sink that accepts and discards).
    public static LoopbackPipeline Start()
    {
        var sink = OtlpReceiver.StartAsync(keepTelemetry: false).GetAwaiter().GetResult();
        return new LoopbackPipeline(sink, Build(sink.Endpoint));
    }

    // Exporting to a sink elsewhere (the request harness's, from PieceCpu's process); with none, no destination, as the
    // manual-no-export server builds it (spans made, no processor).
    public static TelemetryLifetime Build(Uri? sink)
    {
        if (sink is not null)
        {
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", sink.ToString());
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        }

        return TelemetrySetup.Start(new ConfigurationBuilder().Build(), NullLogger.Instance, ServerTelemetry.SourceName);
    }

    public void Dispose()
    {
        pipeline.Dispose();
        sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
