using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PingAspire.Client;

// One ActivitySource and one Meter for the whole client, named after the assembly (the tutorial's
// trace.get_tracer(__name__)). The request metric lives with what records it (RequestMetricsHandler.cs).
public static class ClientTelemetry
{
    public const string SourceName = "PingAspire.Client";

    public static readonly ActivitySource Source = new(SourceName);

    public static readonly Meter Meter = new(SourceName);
}
