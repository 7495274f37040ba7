using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Server.Apis;

// The request half of the server's RED metrics, as middleware: http.server.request.duration by route and status,
// failures by their error.type. https://opentelemetry.io/docs/specs/semconv/http/http-metrics/
public sealed class RequestMetrics(RequestDelegate next)
{
    private static readonly Histogram<double> Duration = ServerTelemetry.Meter.CreateHistogram(
        "http.server.request.duration", "s", "Duration of HTTP server requests.", advice: DurationBuckets.Seconds);

    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        string? errorType = null;
        var statusCode = StatusCodes.Status500InternalServerError;
        try
        {
            await next(http);
            statusCode = http.Response.StatusCode;
            errorType = statusCode >= 500 ? statusCode.ToString(CultureInfo.InvariantCulture) : null;
        }
        catch (Exception exception)
        {
            // The exception handler, outside this middleware, answers 500.
            errorType = exception.GetType().FullName;
            throw;
        }
        finally
        {
            var tags = new TagList
            {
                { "http.request.method", http.Request.Method },
                { "http.route", (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown" },
                { "http.response.status_code", statusCode },
            };
            if (errorType is not null)
            {
                tags.Add("error.type", errorType);
            }

            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }
}
