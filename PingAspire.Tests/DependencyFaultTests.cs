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
public sealed class DependencyFaultTests
{
    private static readonly TimeSpan FailFastBound = TimeSpan.FromSeconds(2.5);
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RedisStoppedFailsFastAndRecoversWhenItReturns()
    {
        await using var app = await PingAppHost.StartAsync("Client:Count=1");
        using var http = app.CreateServerClient();
        using (var warm = await new DirectRequest().SendAsync(http, "/ping"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await app.ExecuteCommandAsync("redis", KnownResourceCommands.StopCommand);
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

        await app.ExecuteCommandAsync("redis", KnownResourceCommands.StartCommand);
        await PollUntilOkAsync(http, "/ping");
    }

    // Garnet's port is chosen free but bound only at start, so another process can take it first. The resource must
    // say so (FailedToStart, the reason in its log and the command's answer), and Start must really retry, on a new port.
    [Fact]
    public async Task GarnetWhosePortIsTakenFailsVisiblyAndStartRetriesOnANewPort()
    {
        await using var app = await PingAppHost.StartAsync("Client:Count=1");
        var garnet = app.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<GarnetResource>().Single();
        await app.ExecuteCommandAsync("redis", KnownResourceCommands.StopCommand);
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
        const int Failing = 1000;
        await using var app = await PingAppHost.StartAsync("Client:Count=1");
        using var http = app.CreateServerClient();
        await app.ExecuteCommandAsync("redis", KnownResourceCommands.StopCommand);
        for (var i = 0; i < Failing; i++)
        {
            using var response = await new DirectRequest().SendAsync(http, "/redis/1");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        // The burst's count is written with the first failure of the next interval: keep failing, slowly, until it is.
        // That line comes after every line of the burst, so from then on the log holds all it will hold of it.
        var deadline = Stopwatch.StartNew();
        string? summary;
        while ((summary = app.LogLinesOf(ServiceNames.Server).FirstOrDefault(line =>
            line.Contains("more times", StringComparison.Ordinal))) is null)
        {
            Assert.True(deadline.Elapsed < Timeouts.SpansArrive, $"no failure count in the log after {deadline.Elapsed}");
            using var response = await new DirectRequest().SendAsync(http, "/redis/1");
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        }

        var serverLines = app.LogLinesOf(ServiceNames.Server).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"{serverLines.Count} server log lines; {summary}");
        var counted = int.Parse(System.Text.RegularExpressions.Regex.Match(summary, @"failed (\d+) more times").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(counted, Failing - 1, Failing + 100);
        Assert.InRange(serverLines.Count(line => line.Contains("redis failed", StringComparison.Ordinal)), 2, 4);
        // One stack trace per 10 s instead of one per request (about 20 lines each: 20,000 lines for this burst).
        Assert.InRange(serverLines.Count, 1, 200);
    }

    [Fact]
    public async Task UnwritableSqliteFileFailsTheSqlIntegrationOnly()
    {
        // An empty file opened read-only: a valid, empty SQLite database that refuses every write.
        var file = Path.Combine(Path.GetTempPath(), $"pingaspire-readonly-{Guid.NewGuid():N}.db");
        await File.WriteAllBytesAsync(file, [], TestContext.Current.CancellationToken);
        try
        {
            await using var app = await PingAppHost.StartAsync($"ConnectionStrings:sql=Data Source={file};Mode=ReadOnly", "Client:Count=1");
            var request = new DirectRequest();
            using var response = await request.SendAsync(app.CreateServerClient(), "/ping");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Failed: sql.", (await response.ReadProblemAsync()).Detail);
            var trace = await TraceOfAsync(app, request, expectedSpans: 5);
            var server = Assert.Single(trace, s => s.Kind == Span.Types.SpanKind.Server);
            var operation = trace.SingleChild(trace.SingleChild(server, "sql_integration"), "server sql operation");
            Assert.Equal(Status.Types.StatusCode.Error, operation.StatusCode);
            Assert.Equal("Microsoft.Data.Sqlite.SqliteException", operation.Attributes["error.type"]);
            Assert.Contains("readonly", operation.StatusMessage, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(Status.Types.StatusCode.Unset, trace.SingleChild(server, "redis_integration").StatusCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<IReadOnlyList<ReceivedSpan>> TraceOfAsync(PingAppHost app, DirectRequest request, int expectedSpans)
    {
        var server = await request.ServerSpanAsync(app.Dashboard.Spans);
        return await app.Dashboard.Spans.WaitForTraceAsync(server.TraceId, expectedSpans, $"{expectedSpans} spans of the failed request");
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
