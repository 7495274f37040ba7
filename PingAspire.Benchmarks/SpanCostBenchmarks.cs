using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using PingAspire.Server;

namespace PingAspire.Benchmarks;

// The limit for any request overhead: one recorded SERVER span with the server span's tags, under a remote parent,
// through the same hand-built provider and batch processor (exporting to a loopback sink), no HTTP around it.
[MemoryDiagnoser]
public class SpanCostBenchmarks
{
    private static readonly ActivityContext Parent = ActivityContext.Parse(Wrk.Traceparent, null);
    private LoopbackPipeline _telemetry = null!;

    [GlobalSetup]
    public void Setup() => _telemetry = LoopbackPipeline.Start();

    [Benchmark]
    public void OneRecordedServerSpan() => RecordServerSpan();

    public static void RecordServerSpan()
    {
        KeyValuePair<string, object?>[] tags =
        [
            new("http.request.method", "POST"), new("http.route", "/test"), new("url.path", "/test"),
            new("url.scheme", "http"), new("server.address", "127.0.0.1"), new("server.port", 5000),
        ];
        using var span = ServerTelemetry.Source.StartActivity("POST /test", ActivityKind.Server, Parent, tags);
        span?.SetTag("http.response.status_code", 200);
    }

    // The same span as ServerSpan.cs built it before 2026-12-01: each tag set after the start, one SetTag each.
    public static void RecordServerSpanTaggedOneByOne()
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
    public void Cleanup() => _telemetry.Dispose();
}
