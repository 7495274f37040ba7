using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.TestSupport.Otlp;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// W3C Trace Context across languages: the tutorial's client ported to JavaScript on OpenTelemetry JS
// (PingAspire.JsClient/client.js), an implementation of the propagator nobody on this project wrote, calls the C#
// server. One trace when it injects; two when it does not.
public sealed class JsClientTests
{
    private const int Requests = 2;

    [Fact]
    public async Task AJsClientSpanIsTheParentOfTheCSharpServerSpanAndItsBaggageArrives()
    {
        SkipWithoutNode();
        await using var app = await StartAsync(propagate: true);

        var (client, server) = await app.Dashboard.Spans.WaitForAsync(spans =>
            (from c in JsPings(spans)
             from s in spans.ServerPings()
             where s.ParentSpanId == c.SpanId && s.TraceId == c.TraceId
             select Tuple.Create(c, s)).FirstOrDefault(), Timeouts.SpansArrive, "a JavaScript client span with its C# server span");

        Assert.Equal(Span.Types.SpanKind.Client, client.Kind);
        Assert.Equal(("nodejs", "10.10.11"), (client.Resource["telemetry.sdk.language"], client.Resource["service.version"]));
        Assert.Equal("dotnet", server.Resource["telemetry.sdk.language"]);
        Assert.True(server.HasRemoteParent);
        Assert.Matches("^[0-9a-f]{32}$", server.Attributes["pingaspire.client.run_id"]);
        Assert.Equal("200", client.Attributes["http.response.status_code"]);
    }

    [Fact]
    public async Task WithTheJsClientsInjectOffItsRequestsStartNewTraces()
    {
        SkipWithoutNode();
        await using var app = await StartAsync(propagate: false);

        // The JavaScript client's spans, and as many parentless server spans: its requests, arrived without context.
        var clientSpans = await app.Dashboard.Spans.WaitForAsync(spans => JsPings(spans).Count() == Requests ? JsPings(spans).ToList() : null,
            Timeouts.ClientFinishes, $"{Requests} JavaScript client spans");
        var roots = await app.Dashboard.Spans.WaitForAsync(spans =>
            spans.ServerPings().Count(s => s.ParentSpanId == "") >= Requests ? spans.ServerPings().ToList() : null,
            Timeouts.SpansArrive, "the server spans of the JavaScript client's requests");

        Assert.DoesNotContain(roots, s => clientSpans.Any(c => c.TraceId == s.TraceId));
    }

    private static IEnumerable<ReceivedSpan> JsPings(IEnumerable<ReceivedSpan> spans) =>
        spans.Where(s => s.ServiceName == ServiceNames.JsClient && s.Name == "GET /ping");

    private static Task<PingAppHost> StartAsync(bool propagate) =>
        PingAppHost.StartAsync(
            "JsClient:Enabled=true",
            $"JsClient:Count={Requests}",
            "JsClient:IntervalSeconds=0.2",
            $"JsClient:PropagateTraceContext={propagate}",
            "Client:Count=1");

    // Where Node.js is missing the AppHost leaves the JavaScript client out; on CI (.ci/run installs it) that is a failure.
    private static void SkipWithoutNode() =>
        Assert.SkipWhen(
            !ProgramsOnPath.Contains("node") && Environment.GetEnvironmentVariable("CI") != "true",
            "Node.js is not installed (apt-get install nodejs npm; .ci/run does).");
}
