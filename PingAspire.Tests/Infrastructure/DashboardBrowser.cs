using Microsoft.Playwright;

namespace PingAspire.Tests.Infrastructure;

// Debian's Chromium (never a downloaded build), headless, through Playwright: the dashboard as a user sees it.
// Screenshots go next to the test binaries, and to $PINGASPIRE_SCREENSHOTS_DIR when set (README: regenerate docs/images).
public static class DashboardBrowser
{
    public const string Chromium = "/usr/bin/chromium";
    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private static readonly float PageTimeout = 30_000;
    // One load of a trace view: short enough that OpenTraceAsync reloads a few times within PageTimeout.
    private static readonly float TraceLoadTimeout = 10_000;

    // On CI (.ci/run installs it) a missing browser is a failure; elsewhere the test says what to install.
    public static void SkipWithoutChromium() =>
        Assert.SkipWhen(!File.Exists(Chromium) && Environment.GetEnvironmentVariable("CI") != "true",
            $"{Chromium} is not installed (apt-get install chromium; .ci/run does).");

    // Debian's Chromium, headless, logged in to the AppHost's dashboard.
    public sealed class BrowserSession(IPlaywright playwright, IBrowser browser, IPage page) : IAsyncDisposable
    {
        public IPage Page => page;

        public static async Task<BrowserSession> LoginAsync(PingAppHost app)
        {
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ChromiumFlags });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 900 } });
            page.SetDefaultTimeout(PageTimeout);
            await page.GotoAsync(app.DashboardLoginUrl.ToString());
            return new BrowserSession(playwright, browser, page);
        }

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    public static Task Expect(ILocator locator) => Assertions.Expect(locator).ToBeVisibleAsync(new() { Timeout = PageTimeout });

    // The trace view draws what the dashboard holds when the page loads, and never redraws a trace it did not find
    // then. Each project exports to the dashboard on its own batch schedule, seconds apart from the receiver the test
    // waited on, so reload, as a user would, until each of the texts (exact) is drawn.
    // With a span id, that span's details open beside the waterfall.
    public static async Task OpenTraceAsync(IPage page, PingAppHost app, string traceId, string? spanId, params string[] texts)
    {
        var traceUrl = new Uri(app.DashboardLoginUrl, $"/traces/detail/{traceId}{(spanId is null ? "" : $"?spanId={spanId}")}");
        var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(PageTimeout);
        while (true)
        {
            await page.GotoAsync(traceUrl.ToString());
            try
            {
                foreach (var text in texts)
                {
                    await Assertions.Expect(page.GetByText(text, new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = TraceLoadTimeout });
                }

                return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                // Not all of the trace had reached the dashboard when the page loaded: load it again.
            }
        }
    }

    public static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        if (Environment.GetEnvironmentVariable("PINGASPIRE_SCREENSHOTS_DIR") is { Length: > 0 } directory)
        {
            File.Copy(path, Path.Combine(directory, name), overwrite: true);
        }
    }
}
