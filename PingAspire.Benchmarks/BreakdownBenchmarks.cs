using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using OpenTelemetry;
using PingAspire.Server;
using PingAspire.Server.Apis;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Benchmarks;

// Where the manual variant's time goes on the dependency-free endpoint, piece by piece, each as the server does it
// per request (ServerSpan.cs), through the same hand-built pipeline exporting to a loopback sink. Calling thread only:
// the whole of it, all threads, is the request harness's (server CPU per request).
[MemoryDiagnoser]
public class BreakdownBenchmarks
{
    private static readonly HeaderDictionary Headers = new() { ["traceparent"] = Wrk.Traceparent };
    private static readonly IncomingTraceContext Continue = new(Restart: false);
    private LoopbackPipeline _telemetry = null!;

    [GlobalSetup]
    public void Setup() => _telemetry = LoopbackPipeline.Start();

    // TraceContextCarrier.Extract of the traceparent wrk sends, the continue decision, its baggage made current.
    [Benchmark]
    public void ExtractAndDecide() => ExtractAndDecideOnce();

    public static void ExtractAndDecideOnce() => Baggage.Current = Continue.Apply(TraceContextCarrier.Extract(Headers)).Baggage;

    // The SERVER span under that parent, started, tagged and stopped (SpanCostBenchmarks' span), its tags given at
    // creation as ServerSpan.cs does; against the same span tagged one SetTag at a time, as it was built before.
    [Benchmark]
    public void OneSpanWithItsTags() => SpanCostBenchmarks.RecordServerSpan();

    [Benchmark]
    public void OneSpanTaggedOneByOne() => SpanCostBenchmarks.RecordServerSpanTaggedOneByOne();

    // The RED metric: one http.server.request.duration record with its tags.
    [Benchmark]
    public void OneRequestDuration() => OneRequestDurationRecord();

    private static readonly System.Diagnostics.Metrics.Histogram<double> RequestDuration =
        ServerTelemetry.Meter.CreateHistogram<double>("http.server.request.duration", "s");

    public static void OneRequestDurationRecord() =>
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
    public void Cleanup() => _telemetry.Dispose();
}
