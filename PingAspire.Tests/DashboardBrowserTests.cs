using Aspire.Hosting.ApplicationModel;
using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.TestSupport.Otlp;
using PingAspire.Tests.Infrastructure;
using static PingAspire.Tests.Infrastructure.DashboardBrowser;

namespace PingAspire.Tests;

// What the README shows is what a user sees: the real Aspire dashboard, fed by the projects' own dashboard exporter,
// opened in headless Chromium (DashboardBrowser). The trace ids to open come from the Lightstep exporter, pointed at a
// receiver of the test. The restarted trace's link: RestartedTraceBrowserTests.
public sealed class DashboardBrowserTests
{
    [Fact]
    public async Task TraceViewShowsTheConnectedTraceAndTheFailedSpan()
    {
        SkipWithoutChromium();
        await using var lightstep = await OtlpReceiver.StartAsync();
        await using var app = await PingAppHost.StartAsync(
            ["Client:IntervalSeconds=1", "JsClient:Enabled=true", "JsClient:IntervalSeconds=1",
                "LS_ACCESS_TOKEN=browser-test", $"LS_SATELLITE_URL={lightstep.Endpoint}"],
            configure: null,
            realDashboard: true);

        await using var browser = await BrowserSession.LoginAsync(app);
        var page = browser.Page;

        var trace = await CompleteTraceAsync(lightstep.Telemetry, s => s.StatusCode == Status.Types.StatusCode.Unset);
        await page.GotoAsync(new Uri(app.DashboardLoginUrl, "/traces").ToString());
        await Expect(page.GetByText("GET /ping").First);
        await SaveScreenshotAsync(page, "trace-list.png");

        // The dashboard names client HTTP spans by method and status.
        await OpenTraceAsync(page, app, trace, spanId: null, "HTTP GET 200", "redis_integration", "server redis operation",
            "sql_integration", "server sql operation", ServiceNames.Client, ServiceNames.Server);
        await SaveScreenshotAsync(page, "trace-detail.png");

        // One trace across two languages: the JavaScript client's span above the C# server's.
        var mixed = await CompleteTraceAsync(lightstep.Telemetry, s => s.StatusCode == Status.Types.StatusCode.Unset, client: ServiceNames.JsClient);
        await OpenTraceAsync(page, app, mixed, spanId: null, ServiceNames.JsClient, ServiceNames.Server, "server redis operation");
        await SaveScreenshotAsync(page, "trace-js-client.png");

        await app.ExecuteCommandAsync("redis", KnownResourceCommands.StopCommand);
        // The failed request whose warning was logged (the log is throttled: not every failure writes one), once its
        // six spans have arrived. Lightstep's receiver gets the log records too.
        var warning = await lightstep.Telemetry.WaitUntilAsync(
            () => lightstep.Telemetry.Logs.FirstOrDefault(l => l.Body.Contains("redis failed", StringComparison.Ordinal)),
            Timeouts.SpansArrive, "the 'redis failed' warning");
        var failed = await lightstep.Telemetry.WaitForAsync(all => all.Count(s => s.TraceId == warning.TraceId) == 6 ? warning.TraceId : null,
            Timeouts.SpansArrive, "the six spans of the failed request");
        await OpenTraceAsync(page, app, failed, spanId: null, "HTTP GET 503", "server redis operation");
        await page.GetByText("server redis operation", new() { Exact = true }).First.ClickAsync();
        await Expect(page.GetByText("StackExchange.Redis.RedisConnectionException").First);
        await SaveScreenshotAsync(page, "trace-redis-down.png");

        // From the failed trace to its warning: the structured logs of that trace id.
        await page.GotoAsync(new Uri(app.DashboardLoginUrl, $"/structuredlogs?traceId={failed}").ToString());
        await Expect(page.GetByText("redis failed").First);
        await SaveScreenshotAsync(page, "logs-of-failed-trace.png");

        // The RED metrics, recorded by hand: the server's request duration by route and status.
        await page.GotoAsync(new Uri(app.DashboardLoginUrl,
            $"/metrics/resource/{ServiceNames.Server}?meter=PingAspire.Server&instrument=http.server.request.duration&duration=5&view=Graph").ToString());
        await Expect(page.GetByText("http.server.request.duration").First);
        await Expect(page.GetByText("db.client.operation.duration").First);
        // The histogram is drawn with its percentiles once the page has loaded the data points.
        await Expect(page.GetByText("P99").First);
        await SaveScreenshotAsync(page, "metrics-server.png");
    }

    // A client trace whose six spans (client, server, two integrations, two operations) have all been exported.
    private static async Task<string> CompleteTraceAsync(TelemetryStore spans, Func<ReceivedSpan, bool> clientSpan, string client = ServiceNames.Client) =>
        await spans.WaitForAsync(all => all.Where(s => s.ServiceName == client && s.Name == TraceQueries.ClientSpan).Where(clientSpan)
            .Select(c => c.TraceId)
            .FirstOrDefault(id => all.Count(s => s.TraceId == id) == 6), Timeouts.SpansArrive, "a complete client trace");
}
