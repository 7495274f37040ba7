using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Server.Apis;

// The server half of the tutorial: extract the caller's context from the request headers and start the SERVER span as
// its child (mirror of PingAspire.Client/PingClient.cs), per endpoint with .WithServerSpan(): the counterpart of the
// @tracer.start_as_current_span decorator. https://opentelemetry.io/docs/specs/semconv/http/http-spans/
public static class ServerSpan
{
    public static RouteHandlerBuilder WithServerSpan(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilterFactory((factory, next) =>
        {
            var incoming = factory.ApplicationServices.GetRequiredService<IncomingTraceContext>();
            return context => InvokeAsync(context, next, incoming);
        });

    private static async ValueTask<object?> InvokeAsync(
        EndpointFilterInvocationContext context, EndpointFilterDelegate next, IncomingTraceContext incoming)
    {
        var http = context.HttpContext;
        // Continue the caller's context, or restart it: IncomingTraceContext.cs decides.
        var (parent, links, baggage) = incoming.Apply(TraceContextCarrier.Extract(http.Request.Headers));
        Baggage.Current = baggage;

        // With no valid traceparent, parentContext is default, and default means "parent = Activity.Current":
        // ASP.NET Core's own (unexported) request Activity. Clearing it makes the span a real root instead.
        Activity.Current = null;
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown";
        // Given at creation, as the conventions ask, so that a sampler can see them.
        KeyValuePair<string, object?>[] tags =
        [
            new("http.request.method", http.Request.Method),
            new("http.route", route),
            new("url.path", http.Request.Path.Value),
            new("url.scheme", http.Request.Scheme),
            new("server.address", http.Request.Host.Host),
            new("server.port", http.Request.Host.Port ?? (http.Request.IsHttps ? 443 : 80)),
        ];
        using var span = ServerTelemetry.Source.StartActivity(
            $"{http.Request.Method} {route}", ActivityKind.Server, parent, tags, links);
        span?.SetTag(ClientRunId.BaggageKey, baggage.GetBaggage(ClientRunId.BaggageKey));
        http.Items[ProblemTraceId.Key] = span;
        try
        {
            var result = await next(context);
            // The result has not been written yet: its status code is on the result (inside Results<T1, T2>).
            var statusCode = ((result as INestedHttpResult)?.Result ?? result) is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
            span?.SetTag("http.response.status_code", statusCode);
            // Only 5xx marks a SERVER span as failed; a 4xx is the caller's error, not ours.
            if (statusCode >= 500)
            {
                span?.SetTag("error.type", statusCode.ToString(CultureInfo.InvariantCulture)).SetStatus(ActivityStatusCode.Error);
            }

            return result;
        }
        catch (Exception exception)
        {
            // The exception handler answers 500: the status the client sees.
            span.RecordFailure(exception)?.SetTag("http.response.status_code", StatusCodes.Status500InternalServerError);
            throw;
        }
    }
}
