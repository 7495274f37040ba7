using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OpenTelemetry;
using PingAspire.ServiceDefaults.Layers;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Server.Apis;

// The W3C Trace Context test harness protocol (https://github.com/w3c/trace-context/tree/main/test): the harness
// POSTs [{ "url": ..., "arguments": [...] }] to /test; for each element the server POSTs "arguments" to "url",
// propagating the incoming context with the same hand-written extract (WithServerSpan) and inject as /ping.
// The server calls URLs taken from a request body, so the endpoint exists only with TraceContextTest:Enabled=true
// (the AppHost never sets it) and answers only in Development, only a loopback caller, only for loopback targets.
public static class TraceContextTestApi
{
    // The harness sends a handful of cases per request; more is not a test but a request amplifier.
    public const int MaxCases = 32;

    public static WebApplication MapTraceContextTestApi(this WebApplication app)
    {
        if (app.Configuration.Get("TraceContextTest:Enabled", false, "true or false"))
        {
            app.MapPost("/test", TestAsync).WithServerSpan();
        }

        return app;
    }

    public static async Task<IResult> TestAsync(
        TestCase[] cases, HttpContext context, IHttpClientFactory httpClientFactory, CancellationToken cancellationToken)
    {
        var environment = context.RequestServices.GetRequiredService<IHostEnvironment>();
        if (Refusal(environment.IsDevelopment(), context.Connection.RemoteIpAddress, cases) is { } rule)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid test cases", detail: rule);
        }

        var http = httpClientFactory.CreateClient(nameof(TraceContextTestApi));
        foreach (var testCase in cases)
        {
            await CallAsync(http, testCase.Url!, testCase.Arguments, cancellationToken);
        }

        return TypedResults.Ok();
    }

    // The rule a request breaks, or null. Checked before any call, so a refused body makes none.
    public static string? Refusal(bool isDevelopment, IPAddress? caller, IReadOnlyCollection<TestCase?> cases)
    {
        if (!isDevelopment)
        {
            return "The W3C test endpoint answers only in Development.";
        }

        if (!Loopback.IsCaller(caller))
        {
            return "The W3C test endpoint answers only callers on this machine (loopback).";
        }

        if (cases.Count > MaxCases)
        {
            return $"Send 0 to {MaxCases} cases; got {cases.Count}.";
        }

        return cases.Any(c => c?.Url is not { IsAbsoluteUri: true, Scheme: "http" or "https", IsLoopback: true })
            ? "Each case needs an absolute http(s) \"url\" on this machine (localhost or a loopback address)."
            : null;
    }

    private static async Task CallAsync(HttpClient http, Uri url, JsonElement arguments, CancellationToken cancellationToken)
    {
        using var span = ServerTelemetry.Source.StartActivity("POST", ActivityKind.Client);
        span?.SetTag("http.request.method", "POST").SetTag("url.full", url.ToString());

        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(arguments),
        };
        TraceContextCarrier.Inject(span, Baggage.Current, request.Headers);

        using var response = await http.SendAsync(request, cancellationToken);
        span?.SetTag("http.response.status_code", (int)response.StatusCode);
    }

    public sealed record TestCase(Uri? Url, JsonElement Arguments);
}
