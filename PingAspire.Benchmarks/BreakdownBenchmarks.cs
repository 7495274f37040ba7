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
// the export's own CPU is ExportedSpanCpu's figure less OneSpanWithItsTags.
[MemoryDiagnoser]
public class BreakdownBenchmarks
{
    private readonly HeaderDictionary _headers = new() { ["traceparent"] = Wrk.Traceparent };
    private readonly IncomingTraceContext _continue = new(Restart: false);
    private LoopbackPipeline _telemetry = null!;

    [GlobalSetup]
    public void Setup() => _telemetry = LoopbackPipeline.Start();

    // TraceContextCarrier.Extract of the traceparent wrk sends, and the continue decision with its baggage.
    [Benchmark]
    public ActivityContext ExtractAndDecide()
    {
        var (parent, _, baggage) = _continue.Apply(TraceContextCarrier.Extract(_headers));
        Baggage.Current = baggage;
        return parent;
    }

    // The SERVER span under that parent, started, tagged and stopped (SpanCostBenchmarks' span).
    [Benchmark]
    public void OneSpanWithItsTags() => SpanCostBenchmarks.RecordServerSpan();

    // The RED metric: one http.server.request.duration record with its tags.
    [Benchmark]
    public void OneRequestDurationRecord() =>
        ServerTelemetry.RequestDuration.Record(0.001, new TagList
        {
            { "http.request.method", "POST" },
            { "http.route", "/test" },
            { "http.response.status_code", 200 },
        });

    [GlobalCleanup]
    public void Cleanup() => _telemetry.Dispose();
}
