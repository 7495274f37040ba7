using System.Net;
using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The dashboard's other two signals and the fault commands, through the OTLP the processes really export: log records
// carry the trace and span they were written in, RED metrics have semantic-convention names and attributes, and a
// fault switched on from the dashboard shows on the span as such.
public sealed class DashboardSignalsTests(DashboardSignalsTests.SignalsAppHost fixture) : IClassFixture<DashboardSignalsTests.SignalsAppHost>
{
    private const string InjectedFault = "PingAspire.Server.Integrations.InjectedFaultException";
    private static readonly TimeSpan Slowdown = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan TimerResolution = TimeSpan.FromMilliseconds(1);

    private SpanStore Telemetry => fixture.AppHost.Dashboard.Spans;

    [Fact]
    public async Task AFailedRequestsWarningCarriesTheTraceAndSpanItWasWrittenIn()
    {
        await fixture.AppHost.ExecuteCommandAsync(ServiceNames.Server, "failing-redis");
        try
        {
            var failed = await FirstFailingRequestAsync();
            var server = await failed.ServerSpanAsync(Telemetry);
            var trace = await Telemetry.WaitForTraceAsync(server.TraceId, 3, "the failed request's three spans");
            var operation = trace.SingleChild(trace.SingleChild(server, "redis_integration"), "server redis operation");
            Assert.Equal("failure", operation.Attributes["pingaspire.fault"]);
            Assert.Equal(InjectedFault, operation.Attributes["error.type"]);

            // The warning of some failed request (the log is throttled), always inside that request's operation span.
            var warning = await Telemetry.WaitUntilAsync(
                () => Telemetry.Logs.FirstOrDefault(l => l.Body.Contains("redis failed", StringComparison.Ordinal)),
                Timeouts.SpansArrive, "a 'redis failed' log record");
            Assert.Equal("Warning", warning.SeverityText);
            Assert.Equal(ServiceNames.Server, warning.Resource["service.name"]);
            var loggedIn = await Telemetry.WaitForAsync(spans => spans.FirstOrDefault(s => s.SpanId == warning.SpanId),
                Timeouts.SpansArrive, "the span the warning was written in");
            Assert.Equal(warning.TraceId, loggedIn.TraceId);
            Assert.Equal("server redis operation", loggedIn.Name);
            Assert.Equal("failure", loggedIn.Attributes["pingaspire.fault"]);
        }
        finally
        {
            await fixture.AppHost.ExecuteCommandAsync(ServiceNames.Server, "clear-faults");
        }
    }

    [Fact]
    public async Task SlowRedisDelaysEveryRedisOperationUntilFaultsAreCleared()
    {
        await fixture.AppHost.ExecuteCommandAsync(ServiceNames.Server, "slow-redis");
        var slow = await OperationOfAsync(await SendAsync("/redis/4"));
        await fixture.AppHost.ExecuteCommandAsync(ServiceNames.Server, "clear-faults");
        var normal = await OperationOfAsync(await SendAsync("/redis/4"));

        // Task.Delay's timer counts whole milliseconds and can fire a fraction of one early by the span's precise
        // clock (a run here measured 499.6 ms).
        Assert.True(slow.Duration >= Slowdown - TimerResolution, $"with slow-redis the operation took {slow.Duration}");
        Assert.Equal("latency", slow.Attributes["pingaspire.fault"]);
        Assert.True(normal.Duration < Slowdown, $"after clear-faults the operation took {normal.Duration}");
        Assert.False(normal.Attributes.ContainsKey("pingaspire.fault"));
    }

    [Fact]
    public async Task RedMetricsArriveWithSemanticConventionNamesAndAttributes()
    {
        await SendAsync("/sql/3");

        var server = await MetricAsync("http.server.request.duration", p => p.Attributes.GetValueOrDefault("http.route") == "/ping");
        Assert.Equal(("s", "GET", "200"), (server.Unit, server.Attributes["http.request.method"], server.Attributes["http.response.status_code"]));
        var client = await MetricAsync("http.client.request.duration", p => p.Resource["service.name"] == ServiceNames.Client);
        Assert.Equal(("s", "200", ServiceNames.Server), (client.Unit, client.Attributes["http.response.status_code"], client.Attributes["server.address"]));
        var sql = await MetricAsync("db.client.operation.duration", p => p.Attributes.GetValueOrDefault("db.system.name") == "sqlite");
        Assert.Equal("BATCH", sql.Attributes["db.operation.name"]);
        Assert.True(sql.Value >= 1, "at least one SQLite operation counted");
        Assert.All(Telemetry.MetricPoints, p => Assert.Contains(p.Scope, new[] { "PingAspire.Client", "PingAspire.Server" }));
    }

    [Fact]
    public async Task FaultEndpointsRefuseAnUnknownDependency()
    {
        using var response = await fixture.AppHost.CreateServerClient().PostAsync("/faults/kafka/slow", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Unknown dependency", (await response.ReadProblemAsync()).Title);
    }

    private async Task<DirectRequest> FirstFailingRequestAsync()
    {
        // Half of the calls fail: 40 requests without one failure would happen once in a trillion runs.
        for (var i = 0; i < 40; i++)
        {
            var request = new DirectRequest();
            using var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), "/redis/2");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return request;
            }
        }

        throw new InvalidOperationException("failing-redis made no request fail");
    }

    private async Task<DirectRequest> SendAsync(string path)
    {
        var request = new DirectRequest();
        using var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return request;
    }

    private async Task<ReceivedSpan> OperationOfAsync(DirectRequest request)
    {
        var server = await request.ServerSpanAsync(Telemetry);
        var trace = await Telemetry.WaitForTraceAsync(server.TraceId, 3, "server, integration and operation spans");
        return Assert.Single(trace, s => s.Name == "server redis operation");
    }

    private Task<ReceivedMetricPoint> MetricAsync(string name, Func<ReceivedMetricPoint, bool> match) =>
        Telemetry.WaitUntilAsync(() => Telemetry.MetricPoints.FirstOrDefault(p => p.Name == name && match(p)),
            Timeouts.SpansArrive, $"a {name} point");

    public sealed class SignalsAppHost : IAsyncLifetime
    {
        public PingAppHost AppHost { get; private set; } = null!;

        // The client's one /ping must be over before a test switches a fault on, or it may fail with it (and the
        // RED test would read that 503).
        public async ValueTask InitializeAsync()
        {
            AppHost = await PingAppHost.StartAsync("Client:Count=1");
            await AppHost.WaitForClientToFinishAsync();
        }

        public async ValueTask DisposeAsync() => await AppHost.DisposeAsync();
    }
}
