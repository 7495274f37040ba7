using Aspire.Hosting.ApplicationModel;
using Microsoft.Playwright;
using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.TestSupport.Otlp;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// What the README shows is what a user sees: the real Aspire dashboard, fed by the projects' own dashboard exporter,
// opened in headless Chromium (Debian's, never a downloaded build). The trace ids to open come from the Lightstep
// exporter, pointed at a receiver of the test. Screenshots go next to the test binaries, and to
// $PINGASPIRE_SCREENSHOTS_DIR when set (README: regenerate docs/images).
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private static readonly float PageTimeout = 30_000;

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

        await OpenTraceAsync(page, app, trace);
        // The dashboard names client HTTP spans by method and status.
        await Expect(page.GetByText("HTTP GET 200", new() { Exact = true }).First);
        foreach (var span in new[] { "redis_integration", "server redis operation", "sql_integration", "server sql operation" })
        {
            await Expect(page.GetByText(span, new() { Exact = true }).First);
        }

        await Expect(page.GetByText(ServiceNames.Client, new() { Exact = true }).First);
        await Expect(page.GetByText(ServiceNames.Server, new() { Exact = true }).First);
        await SaveScreenshotAsync(page, "trace-detail.png");

        // One trace across two languages: the JavaScript client's span above the C# server's.
        var mixed = await CompleteTraceAsync(lightstep.Telemetry, s => s.StatusCode == Status.Types.StatusCode.Unset, client: ServiceNames.JsClient);
        await OpenTraceAsync(page, app, mixed);
        await Expect(page.GetByText(ServiceNames.JsClient, new() { Exact = true }).First);
        await Expect(page.GetByText(ServiceNames.Server, new() { Exact = true }).First);
        await SaveScreenshotAsync(page, "trace-js-client.png");

        await app.ExecuteCommandAsync("redis", KnownResourceCommands.StopCommand);
        // The failed request whose warning was logged (the log is throttled: not every failure writes one), once its
        // six spans have arrived. Lightstep's receiver gets the log records too.
        var warning = await lightstep.Telemetry.WaitUntilAsync(
            () => lightstep.Telemetry.Logs.FirstOrDefault(l => l.Body.Contains("redis failed", StringComparison.Ordinal)),
            Timeouts.SpansArrive, "the 'redis failed' warning");
        var failed = await lightstep.Telemetry.WaitForAsync(all => all.Count(s => s.TraceId == warning.TraceId) == 6 ? warning.TraceId : null,
            Timeouts.SpansArrive, "the six spans of the failed request");
        await OpenTraceAsync(page, app, failed);
        await page.GetByText("server redis operation", new() { Exact = true }).First.ClickAsync();
        await Expect(page.GetByText("HTTP GET 503", new() { Exact = true }).First);
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

    // Server:IncomingTraceContext=restart: the server's trace is a new root, and the dashboard shows its link to
    // the client's span.
    [Fact]
    public async Task TraceViewShowsTheLinkOfARestartedTrace()
    {
        SkipWithoutChromium();
        await using var lightstep = await OtlpReceiver.StartAsync();
        await using var app = await PingAppHost.StartAsync(
            ["Client:IntervalSeconds=1", "Server:IncomingTraceContext=restart", "LS_ACCESS_TOKEN=browser-test", $"LS_SATELLITE_URL={lightstep.Endpoint}"],
            configure: null,
            realDashboard: true);
        var server = await lightstep.Telemetry.WaitForAsync(all =>
            all.ServerPings().FirstOrDefault(s => s.Links.Count == 1 && all.Count(t => t.TraceId == s.TraceId) == 5),
            Timeouts.SpansArrive, "a restarted server trace, complete, with its link");

        await using var browser = await BrowserSession.LoginAsync(app);
        var page = browser.Page;
        // The server span selected: its details, with the link, open beside the waterfall.
        await page.GotoAsync(new Uri(app.DashboardLoginUrl, $"/traces/detail/{server.TraceId}?spanId={server.SpanId}").ToString());
        await Expect(page.GetByText("server redis operation", new() { Exact = true }).First);
        await Expect(page.GetByText(server.SpanId).First);
        // The linked span: the client's, by its short id, named as the dashboard names client HTTP spans.
        var linked = page.GetByText(server.Links[0].SpanId[..7], new() { Exact = true }).First;
        await linked.ScrollIntoViewIfNeededAsync();
        await Expect(page.GetByText("Links", new() { Exact = true }).First);
        await Expect(page.GetByText($"{ServiceNames.Client}: HTTP GET 200").First);
        await SaveScreenshotAsync(page, "trace-restart-link.png");
    }

    // A client trace whose six spans (client, server, two integrations, two operations) have all been exported.
    private static async Task<string> CompleteTraceAsync(TelemetryStore spans, Func<ReceivedSpan, bool> clientSpan, string client = ServiceNames.Client) =>
        await spans.WaitForAsync(all => all.Where(s => s.ServiceName == client && s.Name == TraceQueries.ClientSpan).Where(clientSpan)
            .Select(c => c.TraceId)
            .FirstOrDefault(id => all.Count(s => s.TraceId == id) == 6), Timeouts.SpansArrive, "a complete client trace");

    private static async Task OpenTraceAsync(IPage page, PingAppHost app, string traceId)
    {
        await page.GotoAsync(new Uri(app.DashboardLoginUrl, $"/traces/detail/{traceId}").ToString());
        await Expect(page.GetByText("server redis operation", new() { Exact = true }).First);
    }

    // On CI (.ci/run installs it) a missing browser is a failure; elsewhere the test says what to install.
    private static void SkipWithoutChromium() =>
        Assert.SkipWhen(!File.Exists(Chromium) && Environment.GetEnvironmentVariable("CI") != "true",
            $"{Chromium} is not installed (apt-get install chromium; .ci/run does).");

    // Debian's Chromium, headless, logged in to the AppHost's dashboard.
    private sealed class BrowserSession(IPlaywright playwright, IBrowser browser, IPage page) : IAsyncDisposable
    {
        public IPage Page => page;

        public static async Task<BrowserSession> LoginAsync(PingAppHost app)
        {
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ChromiumFlags });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 900 } });
            page.SetDefaultTimeout(PageTimeout);
            await page.GotoAsync(app.DashboardLoginUrl.ToString());
            await DismissCertificateWarningAsync(page);
            return new BrowserSession(playwright, browser, page);
        }

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    // Without a trusted development certificate (as here: plain http on loopback) the dashboard shows a banner
    // about it; it is not what the screenshots are about.
    private static async Task DismissCertificateWarningAsync(IPage page)
    {
        var banner = page.GetByText("No trusted development certificate").First;
        try
        {
            await banner.WaitForAsync(new() { Timeout = 5_000 });
            await page.GetByLabel("Dismiss notification").First.ClickAsync();
            await banner.WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
        }
    }

    private static Task Expect(ILocator locator) => Assertions.Expect(locator).ToBeVisibleAsync(new() { Timeout = PageTimeout });

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        if (Environment.GetEnvironmentVariable("PINGASPIRE_SCREENSHOTS_DIR") is { Length: > 0 } directory)
        {
            File.Copy(path, Path.Combine(directory, name), overwrite: true);
        }
    }
}
