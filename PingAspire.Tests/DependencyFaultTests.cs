using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.TestSupport.Otlp;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// Dependencies failing under a running server: answered honestly (503 problem+json naming the dependency), recorded
// honestly (exception event and Error status on its span), and recovered from without restarting anything.
// On the faults AppHost: each test starts again what it stopped.
[Collection(nameof(FaultsAppHost))]
public sealed class DependencyFaultTests(FaultsAppHost fixture)
{
    // Failing fast means: without waiting out the command timeout, on a busy machine too.
    private static readonly TimeSpan FailFastBound =
        TimeSpan.FromMilliseconds(Server.Integrations.RedisIntegration.CommandTimeoutMilliseconds) + Timeouts.BusyMachineMargin;
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(30);

    private PingAppHost App => fixture.AppHost;

    [Fact]
    public async Task RedisStoppedFailsFastAndRecoversWhenItReturns()
    {
        var app = App;
        using var http = app.CreateServerClient();
        using (var warm = await new DirectRequest().SendAsync(http, "/ping"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await WhileRedisIsStoppedAsync(app, () => AssertRedisDownAsync(app, http));

        await PollUntilOkAsync(http, "/ping");
    }

    // Redis stopped from the dashboard for the time of the check, and started again whatever the check found.
    private static async Task WhileRedisIsStoppedAsync(PingAppHost app, Func<Task> check)
    {
        await app.ExecuteCommandAsync("redis", KnownResourceCommands.StopCommand);
        try
        {
            await check();
        }
        finally
        {
            await app.ExecuteCommandAsync("redis", KnownResourceCommands.StartCommand);
        }
    }

    private static async Task AssertRedisDownAsync(PingAppHost app, HttpClient http)
    {
        var request = new DirectRequest();
        var elapsed = Stopwatch.StartNew();
        using var response = await request.SendAsync(http, "/ping");
        elapsed.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Failed: redis.", (await response.ReadProblemAsync()).Detail);
        Assert.True(elapsed.Elapsed < FailFastBound, $"/ping took {elapsed.Elapsed} with Redis down");
        var trace = await TraceOfAsync(app, request, expectedSpans: 5);
        var server = Assert.Single(trace, s => s.Kind == Span.Types.SpanKind.Server);
        var redis = trace.SingleChild(server, "redis_integration");
        var operation = trace.SingleChild(redis, "server redis operation");
        Assert.Equal(Status.Types.StatusCode.Error, redis.StatusCode);
        Assert.Equal(Status.Types.StatusCode.Error, operation.StatusCode);
        Assert.Contains("exception", operation.EventNames);
        Assert.StartsWith("StackExchange.Redis.", operation.Attributes["error.type"], StringComparison.Ordinal);
        Assert.Equal(Status.Types.StatusCode.Unset, trace.SingleChild(server, "sql_integration").StatusCode);
    }

    // Garnet's port is chosen free but bound only at start, so another process can take it first. The resource must
    // say so (FailedToStart, the reason in its log and the command's answer), and Start must really retry, on a new port.
    // The server reads Redis's address when it starts: restarting it afterwards leaves the AppHost as it was.
    [Fact]
    public async Task GarnetWhosePortIsTakenFailsVisiblyAndStartRetriesOnANewPort()
    {
        var app = App;
        var garnet = app.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<GarnetResource>().Single();
        await app.ExecuteCommandAsync("redis", KnownResourceCommands.StopCommand);
        try
        {
            await AssertStartRetriesOnANewPortAsync(app, garnet);
        }
        finally
        {
            // Redis running again (if the test did not get that far), then the server, which reads its address at start.
            if (app.App.ResourceNotifications.TryGetCurrentState("redis", out var redis)
                && redis.Snapshot.State?.Text != KnownResourceStates.Running)
            {
                await app.ExecuteCommandAsync("redis", KnownResourceCommands.StartCommand);
            }

            await app.ExecuteCommandAsync(ServiceNames.Server, KnownResourceCommands.StopCommand);
            await app.ExecuteCommandAsync(ServiceNames.Server, KnownResourceCommands.StartCommand);
            using var healthy = new CancellationTokenSource(Timeouts.AppHostStart);
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync(ServiceNames.Server, healthy.Token);
        }

        await PollUntilOkAsync(app.CreateServerClient(), "/redis/1");
    }

    private static async Task AssertStartRetriesOnANewPortAsync(PingAppHost app, GarnetResource garnet)
    {
        var taken = garnet.Port;
        using var squatter = new TcpListener(IPAddress.Loopback, taken);
        squatter.Start();

        using var timeout = new CancellationTokenSource(Timeouts.Request);
        var failed = await app.App.ResourceCommands.ExecuteCommandAsync("redis", KnownResourceCommands.StartCommand, timeout.Token);
        Assert.False(failed.Success);
        Assert.Contains("Garnet failed to start", failed.Message, StringComparison.Ordinal);
        await app.App.ResourceNotifications.WaitForResourceAsync("redis", KnownResourceStates.FailedToStart, timeout.Token);

        await app.ExecuteCommandAsync("redis", KnownResourceCommands.StartCommand);
        await app.App.ResourceNotifications.WaitForResourceAsync("redis", KnownResourceStates.Running, timeout.Token);
        Assert.NotEqual(taken, garnet.Port);
        using var redis = new TcpClient();
        await redis.ConnectAsync(IPAddress.Loopback, garnet.Port, timeout.Token);
        var stream = redis.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
        var reply = new byte[7];
        await stream.ReadExactlyAsync(reply, timeout.Token);
        Assert.Equal("+PONG\r\n", System.Text.Encoding.ASCII.GetString(reply));
    }

    // An outage under load must not flood the log: the first failure with its exception, then a count per interval.
    [Fact]
    public async Task AThousandFailingRequestsWriteABoundedLog()
    {
        var app = App;
        using var http = app.CreateServerClient();
        await WhileRedisIsStoppedAsync(app, () => AssertBoundedLogAsync(app, http));

        await PollUntilOkAsync(http, "/redis/1");
    }

    private static async Task AssertBoundedLogAsync(PingAppHost app, HttpClient http)
    {
        const int Failing = 1000;
        // Only this test's lines count: the log holds what earlier tests made the server write.
        var before = app.LogLinesOf(ServiceNames.Server).Count();
        var whole = Stopwatch.StartNew();
        for (var i = 0; i < Failing; i++)
        {
            using var response = await new DirectRequest().SendAsync(http, "/redis/1");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        var burst = whole.Elapsed;
        var burstEnd = DateTime.UtcNow;
        // What an interval swallowed is counted with the first failure of the next one: keep failing, slowly, until
        // a count written after the burst arrives. From then on the log holds all it will hold of the burst.
        // "Written after" by the time the orchestrator captured the line, not by when it reached this process: on a
        // busy machine a count written during the burst arrives seconds later (a second copy of the app running:
        // 994 of 1000 counted, the rest still in the open interval).
        var slow = 0;
        List<string> lines;
        while (!(lines = [.. app.LogLinesOf(ServiceNames.Server).Skip(before)]).Any(line => IsCount(line) && WrittenAt(line) > burstEnd))
        {
            Assert.True(whole.Elapsed - burst < Timeouts.SpansArrive, $"no failure count in the log {whole.Elapsed - burst} after the burst");
            using var response = await new DirectRequest().SendAsync(http, "/redis/1");
            slow++;
            await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        }

        // Every Redis failure up to the last count is in a warning (one per interval) or in a count.
        var window = lines[..(lines.FindLastIndex(IsCount) + 1)].Where(line => line.Contains("redis failed", StringComparison.Ordinal)).ToList();
        var warnings = window.Count(line => !IsCount(line));
        var counted = window.Where(IsCount).Sum(line => int.Parse(
            System.Text.RegularExpressions.Regex.Match(line, @"failed (\d+) more times").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        var intervals = (int)Math.Ceiling(whole.Elapsed / FaultsAppHost.FailureLogInterval) + 1;
        // Besides this test's own requests, the looping client's /ping fails once per interval of its loop, from the
        // start of the interval the first count closes (up to one log interval before the burst) to the last count.
        var client = (int)Math.Ceiling((whole.Elapsed + FaultsAppHost.FailureLogInterval) / FaultsAppHost.ClientInterval) + 1;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{lines.Count} server log lines, {warnings} warnings and {counted} counted failures over {intervals} intervals; "
            + $"{Failing} + {slow} own requests, up to {client} of the client's");
        // The last slow request may be the failure that wrote the last count: its own warning follows the window.
        Assert.InRange(warnings + counted, Failing + slow - 1, Failing + slow + client);
        // One warning with its stack trace per interval (about 20 lines), not one per request (20,000 lines). None at
        // all when the burst fits in the interval whose warning the looping client's /ping wrote before the test began.
        Assert.InRange(warnings, 0, intervals);
        Assert.InRange(lines.Count, 1, 40 * intervals);
    }

    private static bool IsCount(string line) => line.Contains("more times", StringComparison.Ordinal);

    // The AppHost forwards each line as "<line number>: <capture time, UTC> <text>".
    private static DateTime WrittenAt(string line) => DateTime.Parse(
        System.Text.RegularExpressions.Regex.Match(line, @"^[^:]+: \d+: (\S+Z) ").Groups[1].Value,
        System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

    private static async Task<IReadOnlyList<ReceivedSpan>> TraceOfAsync(PingAppHost app, DirectRequest request, int expectedSpans)
    {
        var server = await request.ServerSpanAsync(app.DashboardReceiver.Telemetry);
        return await app.DashboardReceiver.Telemetry.WaitForTraceAsync(server.TraceId, expectedSpans, $"{expectedSpans} spans of the failed request");
    }

    // Recovery is the multiplexer reconnecting in the background: poll with a deadline.
    private static async Task PollUntilOkAsync(HttpClient http, string path)
    {
        var deadline = Stopwatch.StartNew();
        HttpStatusCode last;
        do
        {
            using var response = await new DirectRequest().SendAsync(http, path);
            last = response.StatusCode;
            if (last == HttpStatusCode.OK)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"{path} recovered after {deadline.Elapsed.TotalSeconds:0.0} s");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        }
        while (deadline.Elapsed < RecoveryDeadline);

        Assert.Fail($"{path} still answers {last} {RecoveryDeadline.TotalSeconds} s after the dependency returned");
    }
}
