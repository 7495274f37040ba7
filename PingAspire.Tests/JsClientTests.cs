using System.Diagnostics;
using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.TestSupport.Otlp;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// W3C Trace Context across languages: the tutorial's client ported to JavaScript on OpenTelemetry JS
// (PingAspire.JsClient/client.js), an implementation of the propagator nobody on this project wrote, calls the C#
// server. One trace when it injects; two when it does not.
[Collection(nameof(InjectionOffAppHost))]
public sealed class JsClientTests(AppHostFixture shared, InjectionOffAppHost injectionOff)
{
    private const int Requests = InjectionOffAppHost.RequestCount;

    [Fact]
    public async Task AJsClientSpanIsTheParentOfTheCSharpServerSpanAndItsBaggageArrives()
    {
        NodeJs.SkipWithoutNode();
        var app = shared.AppHost;

        var (client, server) = await app.DashboardReceiver.Telemetry.WaitForAsync(spans =>
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
        NodeJs.SkipWithoutNode();
        var app = injectionOff.AppHost;

        // The JavaScript client's spans, and as many parentless server spans: its requests, arrived without context.
        var clientSpans = await app.DashboardReceiver.Telemetry.WaitForAsync(spans => JsPings(spans).Count() == Requests ? JsPings(spans).ToList() : null,
            Timeouts.ClientFinishes, $"{Requests} JavaScript client spans");
        var roots = await app.DashboardReceiver.Telemetry.WaitForAsync(spans =>
            spans.ServerPings().Count(s => s.ParentSpanId == "") >= Requests ? spans.ServerPings().ToList() : null,
            Timeouts.SpansArrive, "the server spans of the JavaScript client's requests");

        Assert.DoesNotContain(roots, s => clientSpans.Any(c => c.TraceId == s.TraceId));
    }

    private static IEnumerable<ReceivedSpan> JsPings(IEnumerable<ReceivedSpan> spans) =>
        spans.Where(s => s.ServiceName == ServiceNames.JsClient && s.Name == "GET /ping");

    // client.js run directly, as the AppHost runs it, with its dashboard settings as Aspire injects them (including
    // the dashboard's API key header) and a Lightstep token: each destination gets its own header and only its own.
    [Fact]
    public async Task EachDestinationGetsOnlyItsOwnHeaderFromTheJavaScriptClient()
    {
        NodeJs.SkipWithoutNode();
        await using var dashboard = await OtlpReceiver.StartAsync();
        await using var lightstep = await OtlpReceiver.StartAsync();
        await using var server = await HeaderRecordingServer.StartAsync();
        var start = NodeJs.Client(dashboard, server);
        start.Environment["OTEL_EXPORTER_OTLP_HEADERS"] = "x-otlp-api-key=dashboard-key";
        start.Environment["LS_ACCESS_TOKEN"] = "js-token";
        start.Environment["LS_SATELLITE_URL"] = lightstep.Endpoint.ToString();
        start.Environment["JsClient__Count"] = "1";

        using var client = Process.Start(start)!;
        await client.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Timeouts.ClientFinishes, TestContext.Current.CancellationToken);

        Assert.Equal(0, client.ExitCode);
        Assert.Single(lightstep.Telemetry.Spans, s => s.Name == "GET /ping");
        Assert.Single(dashboard.Telemetry.Spans, s => s.Name == "GET /ping");
        Assert.All(lightstep.Telemetry.ExportHeaders, h => Assert.Equal(("js-token", false), (h["lightstep-access-token"], h.ContainsKey("x-otlp-api-key"))));
        Assert.All(dashboard.Telemetry.ExportHeaders, h => Assert.Equal(("dashboard-key", false), (h["x-otlp-api-key"], h.ContainsKey("lightstep-access-token"))));
    }

    // The C# client's new traces carry W3C Level 2's random flag (flags 03: ClientInjectionTests); OpenTelemetry JS
    // does not set it (01). Both trace ids are random all the same: the server and consistent sampling read only the id.
    [Fact]
    public async Task TheJavaScriptClientSendsTheSampledFlagWithoutTheRandomOne()
    {
        NodeJs.SkipWithoutNode();
        await using var server = await HeaderRecordingServer.StartAsync();
        var start = NodeJs.Client(server: server);
        start.Environment["JsClient__Count"] = "1";

        using var client = Process.Start(start)!;
        await client.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Timeouts.ClientFinishes, TestContext.Current.CancellationToken);

        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", Assert.Single(server.Requests).Headers["traceparent"].ToString());
    }

    // SIGTERM (the orchestrator's stop) ends the wait at once and flushes what was ended, within the 5 s budget.
    [Fact]
    public async Task OnSigtermTheJavaScriptClientStopsWaitingAndFlushesAtOnce()
    {
        NodeJs.SkipWithoutNode();
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "SIGTERM is sent with kill(1)");
        await using var dashboard = await OtlpReceiver.StartAsync();
        await using var server = await HeaderRecordingServer.StartAsync();
        var start = NodeJs.Client(dashboard, server);
        start.Environment["JsClient__IntervalSeconds"] = "600";
        start.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "600000"; // nothing leaves before the final flush
        start.RedirectStandardOutput = true;
        using var client = Process.Start(start)!;
        var firstLine = client.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask();
        await WaitForAsync(() => server.Requests.Count == 1, "the JavaScript client's first request");

        var stopped = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", client.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await client.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Timeouts.Request, TestContext.Current.CancellationToken);
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(5) + StopMargin, $"stopped after {stopped.Elapsed.TotalSeconds:0.0} s of a 600 s wait");
        Assert.Equal(0, client.ExitCode);
        Assert.Single(dashboard.Telemetry.Spans, s => s.Name == "GET /ping");
        Assert.NotNull(await firstLine);
    }

    // A busy 2-core machine starts and stops a Node.js process in well under this.
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(2);

    private static async Task WaitForAsync(Func<bool> condition, string waitingFor)
    {
        using var deadline = new CancellationTokenSource(Timeouts.SpansArrive);
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"waited {Timeouts.SpansArrive.TotalSeconds} s for {waitingFor}");
            }
        }
    }
}
