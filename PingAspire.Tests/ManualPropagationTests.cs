using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The point of PingAspire: the traces connect because of the hand-written inject/extract and nothing else. With the
// client's injection switched off (Client:PropagateTraceContext=false given to the AppHost), they must fall apart;
// if HttpClient or ASP.NET Core propagated on their own, they would not.
[Collection(nameof(InjectionOffAppHost))]
public sealed class ManualPropagationTests(InjectionOffAppHost fixture)
{
    private const int RequestCount = InjectionOffAppHost.RequestCount;

    [Fact]
    public async Task WithoutInjectionClientAndServerSpansLandInDifferentTraces()
    {
        var app = fixture.AppHost;
        await app.WaitForClientToFinishAsync();
        var clientSpans = app.DashboardReceiver.Telemetry.Spans.ClientPings().ToList();
        Assert.Equal(RequestCount, clientSpans.Count);

        // The JavaScript client (its inject off too, where Node.js runs) calls /ping as often.
        var requests = app.HasResource(ServiceNames.JsClient) ? 2 * RequestCount : RequestCount;
        var serverSpans = await app.DashboardReceiver.Telemetry.WaitForAsync(spans =>
            spans.ServerPings().Count() >= requests ? spans.ServerPings().ToList() : null,
            Timeouts.SpansArrive, $"the server spans of all {requests} requests");
        Assert.Equal(requests, serverSpans.Count);

        Assert.All(serverSpans, server =>
        {
            Assert.Equal("", server.ParentSpanId);
            Assert.DoesNotContain(clientSpans, client => client.TraceId == server.TraceId);
        });
    }

    // Every signal of both processes has been exported (to the dashboard endpoint) at least once: had any exporter
    // been pointed at Lightstep, it would have sent something by now.
    [Fact]
    public async Task WithoutATokenNothingIsSentToLightstep()
    {
        var app = fixture.AppHost;
        await app.WaitForClientToFinishAsync();
        var dashboard = app.DashboardReceiver.Telemetry;
        await dashboard.WaitUntilAsync(() =>
            new[] { ServiceNames.Client, ServiceNames.Server }.All(service =>
                dashboard.Spans.Any(s => s.ServiceName == service)
                && dashboard.Logs.Any(l => l.Resource["service.name"] == service)
                && dashboard.MetricPoints.Any(p => p.Resource["service.name"] == service)) ? dashboard : null,
            Timeouts.SpansArrive, "spans, logs and metrics of client and server at the dashboard endpoint");

        await app.WaitForLogLinesAsync(ServiceNames.Server, "Lightstep export is off");
        await app.WaitForLogLinesAsync(ServiceNames.Client, "Lightstep export is off");
        Assert.Empty(fixture.Lightstep.Telemetry.ExportedText);
    }
}
