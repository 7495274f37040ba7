using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Server.Apis;

// The server half of the tutorial: extract the client's context from the request headers and start the SERVER span
// as its child (mirror of PingAspire.Client/PingClient.cs). Applied per endpoint with .WithServerSpan(), the C#
// counterpart of the tutorial's @tracer.start_as_current_span decorator around a whole handler.
// Names and attributes: https://opentelemetry.io/docs/specs/semconv/http/http-spans/
public static class ServerSpan
{
    // "GET /ping": method and route template, built once per endpoint rather than once per request.
    private static readonly ConcurrentDictionary<(string Method, string Route), string> SpanNames = new();

    public static RouteHandlerBuilder WithServerSpan(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(InvokeAsync);

    private static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var parent = TraceContextCarrier.Extract(http.Request.Headers);
        if (parent.Baggage.Count > 0)
        {
            Baggage.Current = parent.Baggage;
        }

        // With no valid traceparent, parentContext is default, and default means "parent = Activity.Current":
        // ASP.NET Core's own (unexported) request Activity. Clearing it makes the span a real root instead.
        if (Activity.Current is not null)
        {
            Activity.Current = null;
        }

        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown";
        using var span = ServerTelemetry.Source.StartActivity(
            SpanNames.GetOrAdd((http.Request.Method, route), static key => $"{key.Method} {key.Route}"),
            ActivityKind.Server,
            parent.ActivityContext);

        span?.SetTag("http.request.method", http.Request.Method)
            .SetTag("http.route", route)
            .SetTag("url.path", http.Request.Path.Value)
            .SetTag("url.scheme", http.Request.Scheme)
            .SetTag("server.address", http.Request.Host.Host)
            .SetTag("server.port", http.Request.Host.Port)
            .SetTag(TraceContextCarrier.ClientRunIdKey, parent.Baggage.GetBaggage(TraceContextCarrier.ClientRunIdKey));

        try
        {
            var result = await next(context);
            var statusCode = StatusCodeOf(result) ?? http.Response.StatusCode;
            SetResponseStatus(span, statusCode);
            if (statusCode >= 400)
            {
                http.Items[typeof(ServerSpan)] = span;
            }

            return result;
        }
        catch (Exception exception)
        {
            http.Items[typeof(ServerSpan)] = span;
            span?.AddException(exception)
                .SetTag("error.type", exception.GetType().FullName)
                .SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }

    // Problem details carry a traceId. By default it is ASP.NET Core's hidden request Activity, which is in no exported
    // trace; point it at the server span (kept in Items for failed requests only) so that a user can find the failed
    // request in the trace view.
    public static void AddTraceId(ProblemDetailsContext context)
    {
        if (context.HttpContext.Items[typeof(ServerSpan)] is Activity span)
        {
            context.ProblemDetails.Extensions["traceId"] = span.Id;
        }
    }

    // The handler's result has not been written yet, so its status code is read from the result itself
    // (unwrapping Results<T1, T2>).
    private static int? StatusCodeOf(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return (result as IStatusCodeHttpResult)?.StatusCode;
    }

    // Only 5xx marks a SERVER span as failed; a 4xx is the caller's error, not ours.
    private static void SetResponseStatus(Activity? span, int statusCode)
    {
        span?.SetTag("http.response.status_code", statusCode);
        if (statusCode >= 500)
        {
            span?.SetTag("error.type", statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .SetStatus(ActivityStatusCode.Error);
        }
    }
}
