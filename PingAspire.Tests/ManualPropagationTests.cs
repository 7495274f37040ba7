using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The point of PingAspire: the traces connect because of the hand-written inject/extract and nothing else. With the
// client's injection switched off (Client:PropagateTraceContext=false given to the AppHost), they must fall apart;
// if HttpClient or ASP.NET Core propagated on their own, they would not.
public sealed class ManualPropagationTests(ManualPropagationTests.NoPropagationAppHost fixture)
    : IClassFixture<ManualPropagationTests.NoPropagationAppHost>
{
    private const int RequestCount = 2;

    [Fact]
    public async Task WithoutInjectionClientAndServerSpansLandInDifferentTraces()
    {
        var app = fixture.AppHost;
        await app.WaitForClientToFinishAsync();
        var clientSpans = app.Dashboard.Spans.All.ClientPings().ToList();
        Assert.Equal(RequestCount, clientSpans.Count);

        var serverSpans = await app.Dashboard.Spans.WaitForAsync(spans =>
            spans.ServerPings().Count() == RequestCount ? spans.ServerPings().ToList() : null,
            Timeouts.SpansArrive, "the server spans of both requests");

        Assert.All(serverSpans, server =>
        {
            Assert.Equal("", server.ParentSpanId);
            Assert.DoesNotContain(clientSpans, client => client.TraceId == server.TraceId);
        });
    }

    [Fact]
    public async Task WithoutATokenNothingIsSentToLightstep()
    {
        var app = fixture.AppHost;
        await app.WaitForClientToFinishAsync();
        await app.Dashboard.Spans.WaitForAsync(spans => spans.ServerPings().Any() ? spans : null,
            Timeouts.SpansArrive, "spans at the dashboard endpoint");

        await app.WaitForLogLinesAsync(ServiceNames.Server, "Lightstep export is off");
        await app.WaitForLogLinesAsync(ServiceNames.Client, "Lightstep export is off");
        Assert.Empty(fixture.Lightstep.Spans.ExportHeaders);
    }

    public sealed class NoPropagationAppHost : IAsyncLifetime
    {
        public PingAppHost AppHost { get; private set; } = null!;

        public OtlpReceiver Lightstep { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Lightstep = await OtlpReceiver.StartAsync();
            AppHost = await PingAppHost.StartAsync(
                "Client:PropagateTraceContext=false",
                $"Client:Count={RequestCount}",
                "Client:IntervalSeconds=0.2",
                $"LS_SATELLITE_URL={Lightstep.Endpoint}");
        }

        public async ValueTask DisposeAsync()
        {
            await AppHost.DisposeAsync();
            await Lightstep.DisposeAsync();
        }
    }
}
