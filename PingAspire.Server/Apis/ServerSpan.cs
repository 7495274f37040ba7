using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Server.Apis;

// The server half of the tutorial: extract the client's context from the request headers and start the SERVER span
// as its child (mirror of PingAspire.Client/PingClient.cs). Applied per endpoint with .WithServerSpan(), the C#
// counterpart of the tutorial's @tracer.start_as_current_span decorator around a whole handler. Whether the caller's
// context is continued or restarted is IncomingTraceContext.cs's decision.
// Names and attributes: https://opentelemetry.io/docs/specs/semconv/http/http-spans/
public static class ServerSpan
{
    public static RouteHandlerBuilder WithServerSpan(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilterFactory((factory, next) =>
        {
            // Once per endpoint, not per request; where nothing registered it (the benchmarks), the tutorial's way.
            var incoming = factory.ApplicationServices.GetService<IncomingTraceContext>() ?? new(Restart: false);
            return context => InvokeAsync(context, next, incoming);
        });

    private static async ValueTask<object?> InvokeAsync(
        EndpointFilterInvocationContext context, EndpointFilterDelegate next, IncomingTraceContext incoming)
    {
        var http = context.HttpContext;
        var (parent, links, baggage) = incoming.Apply(TraceContextCarrier.Extract(http.Request.Headers));
        Baggage.Current = baggage;

        // With no valid traceparent, parentContext is default, and default means "parent = Activity.Current":
        // ASP.NET Core's own (unexported) request Activity. Clearing it makes the span a real root instead.
        Activity.Current = null;
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown";
        var started = Stopwatch.GetTimestamp();
        // Given at creation, as the conventions ask, so that a sampler can see them; and cheaper than a SetTag each,
        // which first looks for the key among the tags already set (BreakdownBenchmarks.OneSpanTaggedOneByOne).
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
        http.Items[typeof(ServerSpan)] = span;
        span?.SetTag(TraceContextCarrier.ClientRunIdKey, baggage.GetBaggage(TraceContextCarrier.ClientRunIdKey));

        try
        {
            var result = await next(context);
            // The result has not been written yet: its status code is on the result (inside Results<T1, T2>).
            var statusCode = ((result as INestedHttpResult)?.Result ?? result) is IStatusCodeHttpResult { StatusCode: { } code }
                ? code
                : http.Response.StatusCode;
            span?.SetTag("http.response.status_code", statusCode);
            // Only 5xx marks a SERVER span as failed; a 4xx is the caller's error, not ours.
            var errorType = statusCode >= 500 ? statusCode.ToString(CultureInfo.InvariantCulture) : null;
            if (errorType is not null)
            {
                span?.SetTag("error.type", errorType).SetStatus(ActivityStatusCode.Error);
            }

            RecordDuration(http.Request.Method, route, statusCode, errorType, started);
            return result;
        }
        catch (Exception exception)
        {
            // The exception handler answers 500: the status the client sees.
            span.RecordFailure(exception)?.SetTag("http.response.status_code", StatusCodes.Status500InternalServerError);
            RecordDuration(http.Request.Method, route, 500, exception.GetType().FullName, started);
            throw;
        }
    }

    // The RED metric of the endpoint: http.server.request.duration by route and status (errors by error.type).
    private static void RecordDuration(string method, string route, int statusCode, string? errorType, long started)
    {
        var tags = new TagList
        {
            { "http.request.method", method },
            { "http.route", route },
            { "http.response.status_code", statusCode },
        };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        ServerTelemetry.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }

    // Problem details carry a traceId, by default ASP.NET Core's hidden request Activity's, which is in no exported
    // trace. Make it the server span's 32-hex trace id, which the dashboard's and Lightstep's trace search accept.
    public static void AddTraceId(ProblemDetailsContext context)
    {
        if (context.HttpContext.Items[typeof(ServerSpan)] is Activity span)
        {
            context.ProblemDetails.Extensions["traceId"] = span.TraceId.ToHexString();
        }
    }
}
