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
public sealed class StopAndRestartTests
{
    private const int BurstConcurrency = 4;
    private const int RequestsBeforeStop = 150;
    // A bound, not a goal: the burst ends when the server stops.
    private const int MaxBurst = 1_000_000;

    [Fact]
    public async Task ClientRecordsTheOutageKeepsLoopingAndRecovers()
    {
        await using var app = await PingAppHost.StartAsync("Client:IntervalSeconds=0.2", "Client:TimeoutSeconds=1");
        var spans = app.Dashboard.Spans;
        await spans.WaitForAsync(all => all.ClientPings().FirstOrDefault(IsOk), Timeouts.SpansArrive, "a successful client request");

        await app.ExecuteCommandAsync(ServiceNames.Server, KnownResourceCommands.StopCommand);
        var failed = await spans.WaitForAsync(all => all.ClientPings().FirstOrDefault(s => s.StatusCode == Status.Types.StatusCode.Error),
            Timeouts.SpansArrive, "a failed client request while the server is down");
        Assert.Contains("exception", failed.EventNames);
        // Refused, or timed out on the orchestrator's proxy, depending on how far the server got in stopping.
        Assert.Contains(failed.Attributes["error.type"], new[] { "System.Net.Http.HttpRequestException", "System.Threading.Tasks.TaskCanceledException" });
        await app.WaitForLogLinesAsync(ServiceNames.Client, "failed:");

        var failuresSoFar = spans.All.ClientPings().Count();
        await app.ExecuteCommandAsync(ServiceNames.Server, KnownResourceCommands.StartCommand);
        await spans.WaitForAsync(all => all.ClientPings().Skip(failuresSoFar).FirstOrDefault(IsOk),
            Timeouts.ClientFinishes, "a successful client request after the server came back");
    }

    [Fact]
    public async Task StoppingServerAndClientMidBurstLosesNoEndedSpan()
    {
        await using var app = await PingAppHost.StartAsync("Client:IntervalSeconds=0.05");
        using var http = app.CreateServerClient();
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

        await app.Dashboard.Spans.WaitForAsync(_ => completed.Count >= RequestsBeforeStop ? completed : null,
            Timeouts.SpansArrive, $"{RequestsBeforeStop} completed requests");
        await app.ExecuteCommandAsync(ServiceNames.Client, KnownResourceCommands.StopCommand);
        await app.ExecuteCommandAsync(ServiceNames.Server, KnownResourceCommands.StopCommand);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => burst).WaitAsync(Timeouts.Request, TestContext.Current.CancellationToken);

        // Every request that got its answer had its SERVER span ended first; each must have been flushed at shutdown.
        var markers = completed.ToHashSet();
        await app.Dashboard.Spans.WaitForAsync(spans =>
        {
            var seen = spans.ServerSpansMarked().Intersect(markers).Count();
            return seen == markers.Count ? spans : null;
        }, Timeouts.SpansArrive, $"server spans of all {markers.Count} completed requests");

        // The client logs each request after its span has ended: at least as many client spans as log lines, and at
        // most one more (the request in flight at the stop). The log stream may trail the spans, so wait for it.
        var clientSpans = app.Dashboard.Spans.All.ClientPings().Count();
        var logged = await app.WaitForLogLinesAsync(ServiceNames.Client, "Request to", atLeast: clientSpans - 1);
        Assert.InRange(clientSpans, logged, logged + 1);
        TestContext.Current.TestOutputHelper?.WriteLine($"{markers.Count} completed, {failures.Count} failed cleanly, {logged} client requests");
    }

    private static bool IsOk(ReceivedSpan span) => span.Attributes.GetValueOrDefault("http.response.status_code") == "200";
}
