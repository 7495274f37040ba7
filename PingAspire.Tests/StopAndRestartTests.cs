using System.Collections.Concurrent;
using System.Net;
using Aspire.Hosting.ApplicationModel;
using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.TestSupport.Otlp;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// Processes stopped the way the dashboard (and an orchestrator) stops them: in-flight work finishes or fails
// cleanly, every span that was ended still reaches the exporter, and a client outlives its server's outage.
// On the faults AppHost: each test starts again what it stopped.
[Collection(nameof(FaultsAppHost))]
public sealed class StopAndRestartTests(FaultsAppHost fixture)
{
    private const int BurstConcurrency = 4;
    private const int RequestsBeforeStop = 150;
    // A bound, not a goal: the burst ends when the server has stopped. Its spans (four a request) fit the fixture's queue.
    private const int MaxBurst = FaultsAppHost.MaxQueueSpans / 8;

    [Fact]
    public async Task ClientRecordsTheOutageKeepsLoopingAndRecovers()
    {
        var app = fixture.AppHost;
        var spans = app.DashboardReceiver.Telemetry;
        var earlier = spans.Spans.ClientPings().Count();
        await spans.WaitForAsync(all => all.ClientPings().Skip(earlier).FirstOrDefault(IsOk), Timeouts.SpansArrive, "a successful client request");

        var beforeStop = spans.Spans.ClientPings().Count();
        var failedLines = app.LogLinesOf(ServiceNames.Client).Count(line => line.Contains("failed:", StringComparison.Ordinal));
        await app.ExecuteCommandAsync(ServiceNames.Server, KnownResourceCommands.StopCommand);
        try
        {
            var failed = await spans.WaitForAsync(all => all.ClientPings().Skip(beforeStop).FirstOrDefault(s => s.StatusCode == Status.Types.StatusCode.Error),
                Timeouts.SpansArrive, "a failed client request while the server is down");
            Assert.Contains("exception", failed.EventNames);
            // Refused, or timed out on the orchestrator's proxy, depending on how far the server got in stopping.
            Assert.Contains(failed.Attributes["error.type"], new[] { "System.Net.Http.HttpRequestException", "System.Threading.Tasks.TaskCanceledException" });
            await app.WaitForLogLinesAsync(ServiceNames.Client, "failed:", atLeast: failedLines + 1);
        }
        finally
        {
            await StartAsync(app, ServiceNames.Server);
        }

        var failuresSoFar = spans.Spans.ClientPings().Count();
        await spans.WaitForAsync(all => all.ClientPings().Skip(failuresSoFar).FirstOrDefault(IsOk),
            Timeouts.ClientFinishes, "a successful client request after the server came back");
    }

    private static async Task StartAsync(PingAppHost app, string resource)
    {
        await app.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand);
        using var running = new CancellationTokenSource(Timeouts.AppHostStart);
        await app.App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.Running, running.Token);
    }

    [Fact]
    public async Task StoppingServerAndClientMidBurstLosesNoEndedSpan()
    {
        var app = fixture.AppHost;
        using var http = app.CreateServerClient();
        var clientSpansBefore = app.DashboardReceiver.Telemetry.Spans.ClientPings().Select(s => s.SpanId).ToHashSet();
        var shutdownLinesBefore = app.LogLinesOf(ServiceNames.Server).Count(line => line.Contains("Telemetry shut down;", StringComparison.Ordinal));
        var completed = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<string>();
        using var stopBurst = new CancellationTokenSource();

        var burst = Parallel.ForAsync(0, MaxBurst,
            new ParallelOptions { MaxDegreeOfParallelism = BurstConcurrency, CancellationToken = stopBurst.Token },
            async (_, cancellationToken) =>
            {
                var request = new DirectRequest();
                try
                {
                    using var response = await request.SendAsync(http, "/redis/8");
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    completed.Add(request.Marker);
                }
                catch (HttpRequestException exception)
                {
                    failures.Add(exception.Message); // refused or reset once the server is gone: a clean failure
                    await stopBurst.CancelAsync();
                }
            });

        await app.DashboardReceiver.Telemetry.WaitForAsync(_ => completed.Count >= RequestsBeforeStop ? completed : null,
            Timeouts.SpansArrive, $"{RequestsBeforeStop} completed requests");
        try
        {
            await app.ExecuteCommandAsync(ServiceNames.Client, KnownResourceCommands.StopCommand);
            await app.ExecuteCommandAsync(ServiceNames.Server, KnownResourceCommands.StopCommand);
            // Once the server has exited, a request still in flight is never answered: the orchestrator's proxy holds it
            // until the client's timeout. End the burst there rather than wait for that.
            using (var exited = new CancellationTokenSource(Timeouts.AppHostStop))
            {
                await app.App.ResourceNotifications.WaitForResourceAsync(ServiceNames.Server, KnownResourceStates.TerminalStates, exited.Token);
            }

            await stopBurst.CancelAsync();
            http.CancelPendingRequests();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => burst).WaitAsync(Timeouts.Request, TestContext.Current.CancellationToken);
            await AssertNothingEndedWasLostAsync(app, completed, failures, clientSpansBefore, shutdownLinesBefore);
        }
        finally
        {
            await stopBurst.CancelAsync();
            await StartAsync(app, ServiceNames.Server);
            await StartAsync(app, ServiceNames.Client);
        }
    }

    private static async Task AssertNothingEndedWasLostAsync(
        PingAppHost app, ConcurrentBag<string> completed, ConcurrentBag<string> failures, HashSet<string> clientSpansBefore, int shutdownLinesBefore)
    {
        // The server's last telemetry line says what its final flush could not deliver: nothing.
        await app.WaitForLogLinesAsync(ServiceNames.Server, "Telemetry shut down;", atLeast: shutdownLinesBefore + 1);
        var last = app.LogLinesOf(ServiceNames.Server).Last(line => line.Contains("Telemetry shut down;", StringComparison.Ordinal));
        Assert.Contains("Telemetry shut down; 0 spans dropped in all", last, StringComparison.Ordinal);

        // Every request that got its answer had its SERVER span ended first; each must have been flushed at shutdown.
        var markers = completed.ToHashSet();
        var telemetry = app.DashboardReceiver.Telemetry;
        await telemetry.WaitForAsync(spans =>
        {
            var seen = spans.ServerSpansMarked().Intersect(markers).Count();
            return seen == markers.Count ? spans : null;
        }, Timeouts.SpansArrive, $"server spans of all {markers.Count} completed requests");

        // The client writes each request's line inside its span, and its stop flushes both: every span it ended since
        // the burst began has its "Request to" record (matched by span id), but at most one (the request in flight
        // at the stop, ended without its line); and every record written has its span.
        var newSpans = telemetry.Spans.ClientPings().Select(s => s.SpanId).Where(id => !clientSpansBefore.Contains(id)).ToList();
        var records = await telemetry.WaitUntilAsync(() =>
        {
            var written = telemetry.Logs.Where(l => l.Resource["service.name"] == ServiceNames.Client && l.Body.StartsWith("Request to", StringComparison.Ordinal))
                .Select(l => l.SpanId).ToHashSet();
            return newSpans.Count(id => !written.Contains(id)) <= 1 ? written : null;
        }, Timeouts.SpansArrive, $"the 'Request to' records of {newSpans.Count} client spans");
        var allSpans = telemetry.Spans.ClientPings().Select(s => s.SpanId).ToHashSet();
        Assert.All(records, id => Assert.Contains(id, allSpans));
        TestContext.Current.TestOutputHelper?.WriteLine($"{markers.Count} completed, {failures.Count} failed cleanly, {newSpans.Count} client requests");
    }

    private static bool IsOk(ReceivedSpan span) => span.Attributes.GetValueOrDefault("http.response.status_code") == "200";
}
