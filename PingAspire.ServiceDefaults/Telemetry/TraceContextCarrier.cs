using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace PingAspire.ServiceDefaults.Telemetry;

// The tutorial's TraceContextTextMapPropagator: inject into a carrier dict, copied into an outgoing request
// (PingAspire.Client/PingClient.cs), and extract from request headers (PingAspire.Server/Apis/ServerSpan.cs).
// W3C spec: https://www.w3.org/TR/trace-context/
public static class TraceContextCarrier
{
    // A baggage entry the client sets and the server shows on its span: proof that baggage crossed too.
    public const string ClientRunIdKey = "pingaspire.client.run_id";

    // Built here rather than taken from Propagators.DefaultTextMapPropagator, which stays a no-op until the SDK
    // has initialised and so can silently propagate nothing.
    private static readonly TextMapPropagator Propagator =
        new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]);

    public static void Inject(ActivityContext context, Baggage baggage, IDictionary<string, string> carrier) =>
        Propagator.Inject(new PropagationContext(context, baggage), carrier, SetHeader);

    // One policy for every outgoing request (the client's /ping, the server's W3C test calls): send the context of the
    // span that stands for the call or, where none was recorded (an unsampled caller: the SDK starts no child span),
    // the current one, so that the trace id and the "not sampled" decision still travel on. No context, no headers.
    public static void InjectInto(HttpRequestHeaders headers, Activity? span, Baggage baggage) =>
        InjectInto(headers, (span ?? Activity.Current)?.Context ?? default, baggage);

    // The tutorial's two steps for an outgoing request: inject into a carrier dictionary, then copy the carrier into
    // the request's headers.
    public static void InjectInto(HttpRequestHeaders headers, ActivityContext context, Baggage baggage)
    {
        var carrier = new Dictionary<string, string>();
        Inject(context, baggage, carrier);
        foreach (var (name, value) in carrier)
        {
            headers.TryAddWithoutValidation(name, value);
        }
    }

    // Extract returns the context it is given whenever the headers hold no valid one, so give it default:
    // missing, malformed or duplicated traceparent headers then mean "no parent", never a stale one.
    public static PropagationContext Extract(IHeaderDictionary headers) =>
        Propagator.Extract(default, headers, GetHeaderValues);

    private static void SetHeader(IDictionary<string, string> carrier, string name, string value) =>
        carrier[name] = value;

    // Every value of the header: a repeated traceparent must reach the propagator as two values (then invalid).
    // A single value costs one small array, no enumerator.
    private static IEnumerable<string> GetHeaderValues(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) ? values.Count == 1 ? [values[0] ?? ""] : [.. values.OfType<string>()] : [];
}
