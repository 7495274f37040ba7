using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Server.Apis;

// The W3C Trace Context test harness protocol (https://github.com/w3c/trace-context/tree/main/test): the harness
// POSTs [{ "url": ..., "arguments": [...] }] to /test; for each element the server POSTs "arguments" to "url",
// propagating the incoming context with the same hand-written extract (WithServerSpan) and inject as /ping.
// Off unless TraceContextTest:Enabled=true: it makes the server call any URL it is given.
public static class TraceContextTestApi
{
    public static IEndpointRouteBuilder MapTraceContextTestApi(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (configuration.GetValue("TraceContextTest:Enabled", false))
        {
            app.MapPost("/test", TestAsync).WithServerSpan();
        }

        return app;
    }

    public static async Task<IResult> TestAsync(
        TestCase[] cases, IHttpClientFactory httpClientFactory, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(nameof(TraceContextTestApi));
        foreach (var testCase in cases)
        {
            await CallAsync(http, testCase, cancellationToken);
        }

        return TypedResults.Ok();
    }

    private static async Task CallAsync(HttpClient http, TestCase testCase, CancellationToken cancellationToken)
    {
        using var span = ServerTelemetry.Source.StartActivity("POST", ActivityKind.Client);
        span?.SetTag("http.request.method", "POST").SetTag("url.full", testCase.Url.ToString());

        using var request = new HttpRequestMessage(HttpMethod.Post, testCase.Url)
        {
            Content = JsonContent.Create(testCase.Arguments),
        };
        // Under an unsampled parent the SDK starts no child span; the (unrecorded) server span still carries the
        // trace id and the unsampled flag downstream.
        TraceContextCarrier.InjectInto(request.Headers, span?.Context ?? Activity.Current?.Context ?? default, Baggage.Current);

        using var response = await http.SendAsync(request, cancellationToken);
        span?.SetTag("http.response.status_code", (int)response.StatusCode);
    }

    public sealed record TestCase(Uri Url, JsonElement Arguments);
}
