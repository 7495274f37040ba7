using System.Net;
using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The dashboard's other two signals and the fault commands, through the OTLP the processes really export: log records
// carry the trace and span they were written in, RED metrics have semantic-convention names and attributes, and a
// fault switched on from the dashboard shows on the span as such.
// On the shared AppHost: every test first waits for its clients to finish (a fault must not fail their requests),
// and clears the faults it switched on whatever happens.
public sealed class DashboardSignalsTests(AppHostFixture fixture)
{
    private const string InjectedFault = "PingAspire.Server.Integrations.InjectedFaultException";
    private static readonly TimeSpan Slowdown = TimeSpan.FromMilliseconds(500);
    // Task.Delay's timer and the span's wall clock are different clocks: runs here measured a 500 ms fault as 499.6
    // and 498.6 ms. A normal operation takes a few milliseconds, so this still tells a slowed one apart.
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMilliseconds(10);

    private TelemetryStore Telemetry => fixture.AppHost.DashboardReceiver.Telemetry;

    [Theory]
    [InlineData("redis")]
    [InlineData("sql")]
    public async Task AFailedRequestsWarningCarriesTheTraceAndSpanItWasWrittenIn(string dependency)
    {
        await fixture.AppHost.WaitForClientToFinishAsync();
        await fixture.AppHost.ExecuteCommandAsync(ServiceNames.Server, $"failing-{dependency}");
        try
        {
            var logsBefore = Telemetry.Logs.Count;
            var failed = await FirstFailingRequestAsync(dependency);
            var server = await failed.ServerSpanAsync(Telemetry);
            var trace = await Telemetry.WaitForTraceAsync(server.TraceId, 3, "the failed request's three spans");
            var operation = trace.SingleChild(trace.SingleChild(server, $"{dependency}_integration"), $"server {dependency} operation");
            Assert.Equal("failure", operation.Attributes["pingaspire.fault"]);
            Assert.Equal(InjectedFault, operation.Attributes["error.type"]);

            // The warning of some failed request (the log is throttled), always inside that request's operation span.
            var warning = await Telemetry.WaitUntilAsync(
                () => Telemetry.Logs.Skip(logsBefore).FirstOrDefault(l => l.Body.Contains($"{dependency} failed", StringComparison.Ordinal)),
                Timeouts.SpansArrive, $"a '{dependency} failed' log record");
            Assert.Equal("Warning", warning.SeverityText);
            Assert.Equal(ServiceNames.Server, warning.Resource["service.name"]);
            var loggedIn = await Telemetry.WaitForAsync(spans => spans.FirstOrDefault(s => s.SpanId == warning.SpanId),
                Timeouts.SpansArrive, "the span the warning was written in");
            Assert.Equal(warning.TraceId, loggedIn.TraceId);
            Assert.Equal($"server {dependency} operation", loggedIn.Name);
            Assert.Equal("failure", loggedIn.Attributes["pingaspire.fault"]);
        }
        finally
        {
            await fixture.AppHost.ExecuteCommandAsync(ServiceNames.Server, "clear-faults");
        }
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("sql")]
    public async Task ASlowDependencyDelaysEveryOperationUntilFaultsAreCleared(string dependency)
    {
        await fixture.AppHost.WaitForClientToFinishAsync();
        await fixture.AppHost.ExecuteCommandAsync(ServiceNames.Server, $"slow-{dependency}");
        ReceivedSpan slow;
        try
        {
            slow = await OperationOfAsync(await SendAsync($"/{dependency}/4"), dependency);
        }
        finally
        {
            await fixture.AppHost.ExecuteCommandAsync(ServiceNames.Server, "clear-faults");
        }

        var normal = await OperationOfAsync(await SendAsync($"/{dependency}/4"), dependency);

        Assert.True(slow.Duration >= Slowdown - ClockTolerance, $"with slow-{dependency} the operation took {slow.Duration}");
        Assert.Equal("latency", slow.Attributes["pingaspire.fault"]);
        Assert.True(normal.Duration < Slowdown, $"after clear-faults the operation took {normal.Duration}");
        Assert.False(normal.Attributes.ContainsKey("pingaspire.fault"));
    }

    [Fact]
    public async Task RedMetricsArriveWithSemanticConventionNamesAndAttributes()
    {
        await fixture.AppHost.WaitForClientToFinishAsync();
        await SendAsync("/sql/3");

        var server = await MetricAsync("http.server.request.duration", p => p.Attributes.GetValueOrDefault("http.route") == "/ping");
        Assert.Equal(("s", "GET", "200"), (server.Unit, server.Attributes["http.request.method"], server.Attributes["http.response.status_code"]));
        var client = await MetricAsync("http.client.request.duration", p => p.Resource["service.name"] == ServiceNames.Client);
        Assert.Equal(("s", "200", ServiceNames.Server), (client.Unit, client.Attributes["http.response.status_code"], client.Attributes["server.address"]));
        var sql = await MetricAsync("db.client.operation.duration", p => p.Attributes.GetValueOrDefault("db.system.name") == "sqlite");
        Assert.Equal("BATCH", sql.Attributes["db.operation.name"]);
        Assert.All(Telemetry.MetricPoints, p => Assert.Contains(p.Scope, new[] { "PingAspire.Client", "PingAspire.Server" }));
    }

    // The recorded duration is the request's: one more request to a route moves its cumulative histogram by one
    // measurement, whose value lies between the time its database operation took (measured inside it) and the time
    // the test waited for the answer (measured around it).
    [Fact]
    public async Task TheRequestDurationRecordedIsTheRequestsOwn()
    {
        await fixture.AppHost.WaitForClientToFinishAsync();
        // One series: the route's successful requests (failures of other tests are a series of their own).
        static bool Series(ReceivedMetricPoint p) =>
            p.Attributes.GetValueOrDefault("http.route") == "/sql/{length}" && p.Attributes.GetValueOrDefault("http.response.status_code") == "200";
        await SendAsync("/sql/6");
        await MetricAsync("http.server.request.duration", Series);
        await Telemetry.WaitForTwoMoreExportsAsync(ServiceNames.Server, "the first /sql request");
        var before = Telemetry.MetricPoints.Last(p => p.Name == "http.server.request.duration" && Series(p));

        var request = new DirectRequest();
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        using (var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), "/sql/7"))
        {
            elapsed.Stop();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var after = await MetricAsync("http.server.request.duration", p => Series(p) && p.Value == before.Value + 1);
        var server = await request.ServerSpanAsync(Telemetry);
        var trace = await Telemetry.WaitForTraceAsync(server.TraceId, 3, "server, integration and operation spans");
        var operation = Assert.Single(trace, s => s.Name == "server sql operation");
        var recorded = TimeSpan.FromSeconds(after.Sum - before.Sum);
        Assert.InRange(recorded, operation.Duration, elapsed.Elapsed);
    }

    [Fact]
    public async Task FaultEndpointsRefuseAnUnknownDependency()
    {
        using var response = await fixture.AppHost.CreateServerClient().PostAsync("/faults/kafka/slow", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Unknown dependency", (await response.ReadProblemAsync()).Title);
    }

    private async Task<DirectRequest> FirstFailingRequestAsync(string dependency)
    {
        // Half of the calls fail: 40 requests without one failure would happen once in a trillion runs.
        for (var i = 0; i < 40; i++)
        {
            var request = new DirectRequest();
            using var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), $"/{dependency}/2");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return request;
            }
        }

        throw new InvalidOperationException($"failing-{dependency} made no request fail");
    }

    private async Task<DirectRequest> SendAsync(string path)
    {
        var request = new DirectRequest();
        using var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return request;
    }

    private async Task<ReceivedSpan> OperationOfAsync(DirectRequest request, string dependency)
    {
        var server = await request.ServerSpanAsync(Telemetry);
        var trace = await Telemetry.WaitForTraceAsync(server.TraceId, 3, "server, integration and operation spans");
        return Assert.Single(trace, s => s.Name == $"server {dependency} operation");
    }

    private Task<ReceivedMetricPoint> MetricAsync(string name, Func<ReceivedMetricPoint, bool> match) =>
        Telemetry.WaitUntilAsync(() => Telemetry.MetricPoints.LastOrDefault(p => p.Name == name && match(p)),
            Timeouts.SpansArrive, $"a {name} point");
}
