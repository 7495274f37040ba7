using PingAspire.AppHost;
using PingAspire.Tests.Infrastructure;
using static PingAspire.Tests.Infrastructure.DashboardBrowser;

namespace PingAspire.Tests;

// Server:IncomingTraceContext=restart: the server's trace is a new root, and the real dashboard (DashboardBrowser) shows
// its link to the client's span. On the AppHost that restarts every caller's trace; its Lightstep receiver (named in the
// user secrets) says which trace to open.
[Collection(nameof(OutsideSettingsAppHost))]
public sealed class RestartedTraceBrowserTests(OutsideSettingsAppHost fixture)
{
    [Fact]
    public async Task TraceViewShowsTheLinkOfARestartedTrace()
    {
        SkipWithoutChromium();
        var app = fixture.AppHost;
        var server = await fixture.Lightstep.Telemetry.WaitForAsync(all =>
            all.ServerPings().FirstOrDefault(s => s.Links.Count == 1 && all.Count(t => t.TraceId == s.TraceId) == 5),
            Timeouts.SpansArrive, "a restarted server trace, complete, with its link");

        await using var browser = await BrowserSession.LoginAsync(app);
        var page = browser.Page;
        // The server span selected: its details, with the link, open beside the waterfall.
        await OpenTraceAsync(page, app, server.TraceId, server.SpanId,
            "redis_integration", "server redis operation", "sql_integration", "server sql operation");
        await Expect(page.GetByText(server.SpanId).First);
        // The linked span: the client's, by its short id, named as the dashboard names client HTTP spans.
        var linked = page.GetByText(server.Links[0].SpanId[..7], new() { Exact = true }).First;
        await linked.ScrollIntoViewIfNeededAsync();
        await Expect(page.GetByText("Links", new() { Exact = true }).First);
        await Expect(page.GetByText($"{ServiceNames.Client}: HTTP GET 200").First);
        await SaveScreenshotAsync(page, "trace-restart-link.png");
    }
}
