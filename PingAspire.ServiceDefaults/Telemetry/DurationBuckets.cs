using System.Diagnostics.Metrics;

namespace PingAspire.ServiceDefaults.Telemetry;

public static class DurationBuckets
{
    // The semantic conventions' boundaries for durations in seconds. Without them the SDK's defaults (0, 5, 10, 25 ...,
    // meant for milliseconds) put every request into the first bucket, and every percentile reads "5 s".
    // https://opentelemetry.io/docs/specs/semconv/http/http-metrics/#metric-httpserverrequestduration
    public static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };
}
