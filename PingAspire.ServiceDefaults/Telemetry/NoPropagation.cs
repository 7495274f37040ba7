using System.Diagnostics;

namespace PingAspire.ServiceDefaults.Telemetry;

// ASP.NET Core starts a hidden Activity per request and parents it on the incoming traceparent through the
// DistributedContextPropagator in DI: left on, client and server would share a trace even if the hand-written
// extract did nothing. CreateNoOutputPropagator() would still extract, so this one extracts (and injects) nothing.
public sealed class NoPropagation : DistributedContextPropagator
{
    public override IReadOnlyCollection<string> Fields { get; } = [];

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) { }

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        (traceId, traceState) = (null, null);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
}
