using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using PingAspire.Server;
using PingAspire.Server.Apis;
using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// Where the manual variant's time goes on the dependency-free endpoint, piece by piece, each as the server does it per
// request (ServerSpan.cs), through the server's hand-built pipeline (TelemetrySetup.Start) exporting over OTLP/gRPC to a
// loopback sink in this process. Calling thread only: the whole of it, all threads, is the request harness's.
[MemoryDiagnoser]
public class BreakdownBenchmarks
{
    private static readonly HeaderDictionary Headers = new() { ["traceparent"] = Wrk.Traceparent };
    private static readonly ActivityContext Parent = ActivityContext.Parse(Wrk.Traceparent, null);
    private static readonly IncomingTraceContext Continue = new(Restart: false);
    private static readonly System.Diagnostics.Metrics.Histogram<double> RequestDuration =
        ServerTelemetry.Meter.CreateHistogram<double>("http.server.request.duration", "s");

    private OtlpReceiver _sink = null!;
    private TelemetryLifetime _telemetry = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sink = OtlpReceiver.StartAsync(keepTelemetry: false).GetAwaiter().GetResult();
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", _sink.Endpoint.ToString());
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        _telemetry = TelemetrySetup.Start(new ConfigurationBuilder().Build(), NullLogger.Instance, ServerTelemetry.SourceName);
    }

    // TraceContextCarrier.Extract of the traceparent wrk sends, the continue decision, its baggage made current.
    [Benchmark]
    public void ExtractAndDecide() => Baggage.Current = Continue.Apply(TraceContextCarrier.Extract(Headers)).Baggage;

    // The limit for any request overhead (the request harness's "limit" row): one recorded SERVER span under a remote
    // parent, with the server span's tags given at creation as ServerSpan.cs does, no HTTP around it.
    [Benchmark]
    public void OneRecordedServerSpan()
    {
        KeyValuePair<string, object?>[] tags =
        [
            new("http.request.method", "POST"), new("http.route", "/test"), new("url.path", "/test"),
            new("url.scheme", "http"), new("server.address", "127.0.0.1"), new("server.port", 5000),
        ];
        using var span = ServerTelemetry.Source.StartActivity("POST /test", ActivityKind.Server, Parent, tags);
        span?.SetTag("http.response.status_code", 200);
    }

    // The RED metric: one http.server.request.duration record with its tags.
    [Benchmark]
    public void OneRequestDuration() =>
        RequestDuration.Record(0.001, new TagList
        {
            { "http.request.method", "POST" },
            { "http.route", "/test" },
            { "http.response.status_code", 200 },
        });

    // /ping's spans are current across awaits (Integration.cs), and Activity.Current is an AsyncLocal with a change
    // handler, run whenever the execution context switches to or from one where a span is current. What that adds:
    // SpanAcrossAwait against SpanNoAwait + AwaitNoSpan.
    [Benchmark]
    public void SpanNoAwait()
    {
        using var span = ServerTelemetry.Source.StartActivity("server redis operation", ActivityKind.Client);
    }

    [Benchmark]
    public async Task AwaitNoSpan() => await Task.Yield();

    [Benchmark]
    public async Task SpanAcrossAwait()
    {
        using var span = ServerTelemetry.Source.StartActivity("server redis operation", ActivityKind.Client);
        await Task.Yield();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _telemetry.Dispose();
        _sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
