using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PingAspire.ServiceDefaults.Telemetry;

// .NET propagates W3C context on its own in two places. Left on, client and server would share a trace even if the
// hand-written inject/extract did nothing, so both are switched off here, in plain sight.
public static class BuiltInPropagation
{
    public static IHostApplicationBuilder DisableBuiltInPropagation(this IHostApplicationBuilder builder)
    {
        // ASP.NET Core starts a hidden Activity per request and parents it on the incoming traceparent through the
        // DistributedContextPropagator in DI. CreateNoOutputPropagator() would still extract, so register one that
        // extracts nothing.
        builder.Services.AddSingleton<DistributedContextPropagator>(new NoPropagation());

        // HttpClient's DiagnosticsHandler writes traceparent whenever Activity.Current is set.
        builder.Services.ConfigureHttpClientDefaults(http =>
            http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ActivityHeadersPropagator = null }));
        return builder;
    }

    private sealed class NoPropagation : DistributedContextPropagator
    {
        public override IReadOnlyCollection<string> Fields { get; } = [];

        public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
        {
        }

        public override void ExtractTraceIdAndState(
            object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
        {
            traceId = null;
            traceState = null;
        }

        public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(
            object? carrier, PropagatorGetterCallback? getter) => null;
    }
}
