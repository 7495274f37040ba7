using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Client;

// The client's RED metric, as a handler on its HttpClient: http.client.request.duration by status, or by error.type
// when the request failed (a 4xx too, for a client). https://opentelemetry.io/docs/specs/semconv/http/http-metrics/
public sealed class RequestMetricsHandler : DelegatingHandler
{
    private static readonly Histogram<double> Duration = ClientTelemetry.Meter.CreateHistogram(
        "http.client.request.duration", "s", "Duration of HTTP client requests.", advice: DurationBuckets.Seconds);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var url = request.RequestUri!;
        var tags = new TagList { { "http.request.method", request.Method.Method }, { "server.address", url.Host }, { "server.port", url.Port } };
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var statusCode = (int)response.StatusCode;
            tags.Add("http.response.status_code", statusCode);
            if (statusCode >= 400)
            {
                tags.Add("error.type", statusCode.ToString(CultureInfo.InvariantCulture));
            }

            return response;
        }
        catch (Exception exception)
        {
            tags.Add("error.type", exception.GetType().FullName);
            throw;
        }
        finally
        {
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }
}
