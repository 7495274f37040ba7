using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.TestSupport.Otlp;

namespace PingAspire.Tests.Infrastructure;

// Names the tests look for, and the shapes of trace they expect, in one place.
public static class TraceQueries
{
    public const string ClientSpan = "GET /ping";

    public static IEnumerable<ReceivedSpan> ClientPings(this IEnumerable<ReceivedSpan> spans) =>
        spans.Where(s => s.ServiceName == ServiceNames.Client && s.Name == ClientSpan && s.Kind == Span.Types.SpanKind.Client);

    public static IEnumerable<ReceivedSpan> ServerPings(this IEnumerable<ReceivedSpan> spans, string route = "/ping") =>
        spans.Where(s => s.ServiceName == ServiceNames.Server && s.Name == $"GET {route}" && s.Kind == Span.Types.SpanKind.Server);

    // The markers of the direct requests (DirectRequest) whose SERVER spans arrived.
    public static IEnumerable<string> ServerSpansMarked(this IEnumerable<ReceivedSpan> spans) =>
        spans.Where(s => s.Kind == Span.Types.SpanKind.Server)
            .Select(s => s.Attributes.GetValueOrDefault(DirectRequest.MarkerKey))
            .OfType<string>();

    public static IEnumerable<ReceivedSpan> ChildrenOf(this IEnumerable<ReceivedSpan> spans, ReceivedSpan parent) =>
        spans.Where(s => s.TraceId == parent.TraceId && s.ParentSpanId == parent.SpanId);

    public static ReceivedSpan SingleChild(this IEnumerable<ReceivedSpan> spans, ReceivedSpan parent, string name) =>
        Assert.Single(spans.ChildrenOf(parent), s => s.Name == name);

    // The server's span for one direct request, found by the trace id the test sent or, for a new root, by the
    // request's unique baggage marker (DirectRequest).
    public static Task<ReceivedSpan> WaitForServerSpanAsync(this TelemetryStore store, Func<ReceivedSpan, bool> match, string waitingFor) =>
        store.WaitForAsync(spans => spans.FirstOrDefault(s => s.Kind == Span.Types.SpanKind.Server && match(s)),
            Timeouts.SpansArrive, waitingFor);

    // All spans of one trace, once `count` of them have arrived; more than `count` fails the test. A span more would
    // come from the server, whose spans of the trace may still sit in its batch queue: so the count is checked only
    // after the server has exported twice more (any signal; every 500 ms at least), when such a span would be here.
    public static async Task<IReadOnlyList<ReceivedSpan>> WaitForTraceAsync(this TelemetryStore store, string traceId, int count, string waitingFor)
    {
        await store.WaitForAsync(spans => spans.Count(s => s.TraceId == traceId) >= count ? spans : null, Timeouts.SpansArrive, waitingFor);
        await store.WaitForTwoMoreExportsAsync(ServiceNames.Server, waitingFor);
        var trace = store.Spans.Where(s => s.TraceId == traceId).ToList();
        Assert.Equal(count, trace.Count);
        return trace;
    }

    // What a running process has ended by now reaches the receiver within two more of its exports (metrics leave every
    // 500 ms, spans and logs every 200 ms): the moment from which an absence can be asserted.
    public static Task WaitForTwoMoreExportsAsync(this TelemetryStore store, string service, string after)
    {
        var exports = store.ExportsFrom(service);
        return store.WaitUntilAsync(() => store.ExportsFrom(service) >= exports + 2 ? store : null,
            Timeouts.SpansArrive, $"two more exports from {service} after {after}");
    }
}
