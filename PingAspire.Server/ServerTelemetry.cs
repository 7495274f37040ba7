using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PingAspire.Server;

// One ActivitySource and one Meter for the whole server, named after the assembly (the tutorial's
// trace.get_tracer(__name__)). The instruments live with what records them (Apis/RequestMetrics.cs,
// Integrations/DependencyMetrics.cs).
public static class ServerTelemetry
{
    public const string SourceName = "PingAspire.Server";

    public static readonly ActivitySource Source = new(SourceName);

    public static readonly Meter Meter = new(SourceName);
}
