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

    // The harness sends a handful of cases per request; more is not a test but a request amplifier.
    public const int MaxCases = 32;

    public static async Task<IResult> TestAsync(
        TestCase[] cases, IHttpClientFactory httpClientFactory, CancellationToken cancellationToken)
    {
        if (cases.Length > MaxCases || cases.Any(c => c?.Url is not { IsAbsoluteUri: true, Scheme: "http" or "https" }))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid test cases",
                detail: $"Send 0 to {MaxCases} cases, each with an absolute http(s) \"url\".");
        }

        var http = httpClientFactory.CreateClient(nameof(TraceContextTestApi));
        foreach (var testCase in cases)
        {
            await CallAsync(http, testCase.Url!, testCase.Arguments, cancellationToken);
        }

        return TypedResults.Ok();
    }

    private static async Task CallAsync(HttpClient http, Uri url, JsonElement arguments, CancellationToken cancellationToken)
    {
        using var span = ServerTelemetry.Source.StartActivity("POST", ActivityKind.Client);
        span?.SetTag("http.request.method", "POST").SetTag("url.full", url.ToString());

        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(arguments),
        };
        // Under an unsampled parent the SDK starts no child span; the (unrecorded) server span still carries the
        // trace id and the unsampled flag downstream.
        TraceContextCarrier.InjectInto(request.Headers, span?.Context ?? Activity.Current?.Context ?? default, Baggage.Current);

        using var response = await http.SendAsync(request, cancellationToken);
        span?.SetTag("http.response.status_code", (int)response.StatusCode);
    }

    public sealed record TestCase(Uri? Url, JsonElement Arguments);
}
