using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Client;

// The client half of the tutorial: open a CLIENT span, inject its context into a carrier dictionary, copy the carrier
// into the request headers, GET /ping (mirror of PingAspire.Server/Apis/ServerSpan.cs).
// Names and attributes: https://opentelemetry.io/docs/specs/semconv/http/http-spans/
public sealed class PingClient(HttpClient http, IOptions<ClientOptions> options)
{
    public async Task<PingResult> PingAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(options.Value.ServerUrl, "/ping");
        using var span = ClientTelemetry.Source.StartActivity("GET /ping", ActivityKind.Client);
        span?.SetTag("http.request.method", "GET")
            .SetTag("url.full", url.ToString())
            .SetTag("server.address", url.Host)
            .SetTag("server.port", url.Port);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (span is not null && options.Value.PropagateTraceContext)
        {
            TraceContextCarrier.InjectInto(request.Headers, span.Context, Baggage.Current);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var statusCode = (int)response.StatusCode;
            span?.SetTag("http.response.status_code", statusCode);
            // A 4xx is an error for a CLIENT span (unlike for a SERVER span).
            if (statusCode >= 400)
            {
                span?.SetTag("error.type", statusCode.ToString(CultureInfo.InvariantCulture))
                    .SetStatus(ActivityStatusCode.Error);
            }

            return new PingResult(url, statusCode, body.Length, null);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            span.RecordFailure(exception);
            return new PingResult(url, null, 0, exception.Message);
        }
    }
}

public sealed record PingResult(Uri Url, int? StatusCode, int Bytes, string? Error);
