using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace PingAspire.ServiceDefaults.Telemetry;

// The tutorial's TraceContextTextMapPropagator, inject and extract as mirror images: inject into a carrier dict copied
// into an outgoing request (PingAspire.Client/PingClient.cs), extract from request headers
// (PingAspire.Server/Apis/ServerSpan.cs). W3C spec: https://www.w3.org/TR/trace-context/
public static class TraceContextCarrier
{
    // Built here rather than taken from Propagators.DefaultTextMapPropagator, which stays a no-op until the SDK
    // has initialised and so can silently propagate nothing.
    private static readonly TextMapPropagator Propagator =
        new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]);

    // The span that stands for the call or, where none was recorded (an unsampled caller: the SDK starts no child
    // span), the current one, so that the trace id and the "not sampled" decision still travel on. No context, no headers.
    public static void Inject(Activity? span, Baggage baggage, HttpRequestHeaders headers)
    {
        var carrier = new Dictionary<string, string>();
        Propagator.Inject(new PropagationContext((span ?? Activity.Current)?.Context ?? default, baggage), carrier, SetHeader);
        foreach (var (name, value) in carrier)
        {
            headers.TryAddWithoutValidation(name, value);
        }
    }

    // Extract returns the context it is given whenever the headers hold no valid one, so give it default:
    // missing, malformed or duplicated traceparent headers then mean "no parent", never a stale one.
    public static PropagationContext Extract(IHeaderDictionary headers) =>
        Propagator.Extract(default, headers, GetHeaderValues);

    private static void SetHeader(Dictionary<string, string> carrier, string name, string value) =>
        carrier[name] = value;

    // Every value of the header: a repeated traceparent must reach the propagator as two values (then invalid).
    private static IEnumerable<string> GetHeaderValues(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) ? values.OfType<string>() : [];
}
