using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Benchmarks;

// The per-request cost of the hand-written propagation: the client's inject into a carrier dictionary plus the copy
// into request headers (TraceContextCarrier.Inject), and the server's extract from request headers.
[MemoryDiagnoser]
public class PropagationBenchmarks
{
    private readonly HttpRequestMessage _request = new(HttpMethod.Get, "http://pingaspire-server/ping");
    private Activity? _span;
    private Baggage _baggage;
    private HeaderDictionary _headers = [];

    [Params(false, true)]
    public bool WithTracestateAndBaggage { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _span = new Activity("call").SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        _span.TraceStateString = WithTracestateAndBaggage ? "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE" : null;
        _span.Start().Stop();
        _baggage = WithTracestateAndBaggage
            ? Baggage.Create(new Dictionary<string, string> { [ClientRunId.BaggageKey] = Guid.NewGuid().ToString("N") })
            : default;
        TraceContextCarrier.Inject(_span, _baggage, _request.Headers);
        _headers = new HeaderDictionary(_request.Headers.NonValidated.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues([.. h.Value])));
    }

    [Benchmark]
    public int InjectAndCopyIntoHeaders()
    {
        _request.Headers.Clear();
        TraceContextCarrier.Inject(_span, _baggage, _request.Headers);
        return _request.Headers.NonValidated.Count;
    }

    [Benchmark]
    public PropagationContext ExtractFromHeaders() => TraceContextCarrier.Extract(_headers);
}
