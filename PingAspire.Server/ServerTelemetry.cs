using System.Diagnostics;
using System.Diagnostics.Metrics;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Server;

// One ActivitySource and one Meter for the whole server, named after the assembly (the tutorial's
// trace.get_tracer(__name__)), and the instruments an operator reads first: request and dependency durations,
// failures counted by their error.type. Names and units: https://opentelemetry.io/docs/specs/semconv/http/http-metrics/
// and https://opentelemetry.io/docs/specs/semconv/database/database-metrics/
public static class ServerTelemetry
{
    public const string SourceName = "PingAspire.Server";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(SourceName);

    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram(
        "http.server.request.duration", "s", "Duration of HTTP server requests.", advice: DurationBuckets.Seconds);

    public static readonly Histogram<double> DependencyDuration = Meter.CreateHistogram(
        "db.client.operation.duration", "s", "Duration of database client operations.", advice: DurationBuckets.Seconds);
}
