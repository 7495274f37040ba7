using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PingAspire.TestSupport.Otlp;

namespace PingAspire.TestSupport;

// A real OTLP/gRPC endpoint (traces, logs, metrics) on a free loopback port: the tests' oracle. The projects export to it exactly as
// they would to the Aspire dashboard or to Lightstep, so what the tests see is what went over the wire.
public sealed class OtlpReceiver(WebApplication app, TelemetryStore spans) : IAsyncDisposable
{
    public Uri Endpoint { get; } = app.ListeningAddress();

    public TelemetryStore Telemetry => spans;

    // responseDelay > 0 makes a slow backend: every export is answered only after that long.
    // keepTelemetry = false makes a sink that accepts and discards (for benchmarks: no memory of its own grows).
    public static async Task<OtlpReceiver> StartAsync(TimeSpan responseDelay = default, bool keepTelemetry = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // gRPC over http:// is HTTP/2 with prior knowledge (h2c): the listener must speak HTTP/2 only.
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var spans = new TelemetryStore();
        builder.Services.AddSingleton(spans);
        builder.Services.AddSingleton(new Behaviour(responseDelay, keepTelemetry));

        var app = builder.Build();
        app.MapGrpcService<TraceServiceEndpoint>();
        app.MapGrpcService<LogsServiceEndpoint>();
        app.MapGrpcService<MetricsServiceEndpoint>();
        await app.StartAsync();
        return new OtlpReceiver(app, spans);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private sealed record Behaviour(TimeSpan ResponseDelay, bool KeepSpans);

    private sealed class TraceServiceEndpoint(TelemetryStore spans, Behaviour behaviour) : TraceService.TraceServiceBase
    {
        public override async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            if (behaviour.ResponseDelay > TimeSpan.Zero)
            {
                await Task.Delay(behaviour.ResponseDelay, context.CancellationToken);
            }

            if (behaviour.KeepSpans)
            {
                spans.Add(request, context.RequestHeaders.Where(h => !h.IsBinary).ToDictionary(h => h.Key, h => h.Value));
            }

            return new ExportTraceServiceResponse();
        }
    }

    private sealed class LogsServiceEndpoint(TelemetryStore spans, Behaviour behaviour) : LogsService.LogsServiceBase
    {
        public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
        {
            if (behaviour.KeepSpans)
            {
                spans.Add(request);
            }

            return Task.FromResult(new ExportLogsServiceResponse());
        }
    }

    private sealed class MetricsServiceEndpoint(TelemetryStore spans, Behaviour behaviour) : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
        {
            if (behaviour.KeepSpans)
            {
                spans.Add(request);
            }

            return Task.FromResult(new ExportMetricsServiceResponse());
        }
    }
}
