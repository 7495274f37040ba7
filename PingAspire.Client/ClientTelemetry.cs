using System.Diagnostics;
using System.Diagnostics.Metrics;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Client;

// One ActivitySource and one Meter for the whole client, named after the assembly (the tutorial's
// trace.get_tracer(__name__)). https://opentelemetry.io/docs/specs/semconv/http/http-metrics/
public static class ClientTelemetry
{
    public const string SourceName = "PingAspire.Client";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(SourceName);

    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram(
        "http.client.request.duration", "s", "Duration of HTTP client requests.", advice: DurationBuckets.Seconds);
}
