using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Client;

// The client half of the tutorial: open a CLIENT span, inject its context into the request headers, GET /ping (mirror
// of PingAspire.Server/Apis/ServerSpan.cs). https://opentelemetry.io/docs/specs/semconv/http/http-spans/
public sealed class PingClient(HttpClient http, ClientOptions options, ILogger<PingClient> logger)
{
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(options.ServerUrl, "/ping");
        using var span = ClientTelemetry.Source.StartActivity("GET /ping", ActivityKind.Client);
        span?.SetTag("http.request.method", "GET")
            .SetTag("url.full", url.ToString())
            .SetTag("server.address", url.Host)
            .SetTag("server.port", url.Port);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (options.PropagateTraceContext)
        {
            TraceContextCarrier.Inject(span, Baggage.Current, request.Headers);
        }

        // Both lines are written inside the span, as the tutorial's prints are: each record carries this span's
        // trace and span id, so the dashboard shows it one click from the trace.
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var statusCode = (int)response.StatusCode;
            span?.SetTag("http.response.status_code", statusCode);
            // A 4xx is an error for a CLIENT span (unlike for a SERVER span).
            if (statusCode >= 400)
            {
                span?.SetTag("error.type", statusCode.ToString(CultureInfo.InvariantCulture)).SetStatus(ActivityStatusCode.Error);
            }

            logger.LogInformation("Request to {Url}, got {Bytes} bytes (status {StatusCode})", url, body.Length, statusCode);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            span.RecordFailure(exception);
            logger.LogWarning("Request to {Url} failed: {Error}", url, exception.Message);
        }
    }
}
