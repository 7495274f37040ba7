using System.Net;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// Server:IncomingTraceContext=restart (PingAspire.Server/Apis/IncomingTraceContext.cs): a server at the edge lets no
// caller choose its trace id, its sampled flag or its baggage. Its SERVER span starts a new trace with a link to the
// caller's span; with the default (continue), TraceConnectionTests hold the tutorial's behaviour.
[Collection(nameof(OutsideSettingsAppHost))]
public sealed class IncomingTraceContextTests(OutsideSettingsAppHost fixture)
{
    private const string CallerTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string CallerSpanId = "00f067aa0ba902b7";

    private TelemetryStore Telemetry => fixture.Lightstep.Telemetry;

    [Fact]
    public async Task TheServerSpanIsANewRootLinkedToTheClientsSpanWithoutItsBaggage()
    {
        var client = await Telemetry.WaitForAsync(spans => spans.ClientPings().FirstOrDefault(), Timeouts.SpansArrive, "the client's span");
        var server = await Telemetry.WaitForServerSpanAsync(s => s.Links.Contains((client.TraceId, client.SpanId)), "the server span linked to the client's");

        Assert.Equal("", server.ParentSpanId);
        Assert.NotEqual(client.TraceId, server.TraceId);
        Assert.Equal((client.TraceId, client.SpanId), Assert.Single(server.Links));
        // The client sent its run id as baggage: a restarted context applies none of it.
        Assert.False(server.Attributes.ContainsKey(DirectRequest.MarkerKey));
        var trace = await Telemetry.WaitForTraceAsync(server.TraceId, 5, "the restarted trace: server span, two integrations, two operations");
        Assert.Equal(2, trace.ChildrenOf(server).Count());
    }

    // The caller said "not sampled" (under continue, ParentBased would record nothing: no span would arrive); this
    // server's own sampler decides, a root is sampled, and the link still points to the caller's span.
    [Fact]
    public async Task TheCallersSampledFlagDoesNotDecide()
    {
        var server = await SendAsync("/sql/977", $"00-{CallerTraceId}-{CallerSpanId}-00");

        Assert.Equal("", server.ParentSpanId);
        Assert.NotEqual(CallerTraceId, server.TraceId);
        Assert.Equal((CallerTraceId, CallerSpanId), Assert.Single(server.Links));
    }

    [Fact]
    public async Task AMalformedTraceparentGivesARootWithNoLink()
    {
        var server = await SendAsync("/sql/978", $"00-{CallerTraceId.ToUpperInvariant()}-{CallerSpanId}-01");

        Assert.Equal("", server.ParentSpanId);
        Assert.Empty(server.Links);
    }

    // Baggage is not applied, so the request is found by its path: a length no other request of this AppHost uses.
    private async Task<ReceivedSpan> SendAsync(string path, string traceparent)
    {
        using var response = await new DirectRequest().With("traceparent", traceparent).With("baggage", "k=v")
            .SendAsync(fixture.AppHost.CreateServerClient(), path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Telemetry.WaitForServerSpanAsync(s => s.Attributes.GetValueOrDefault("url.path") == path, $"the server span of {path}");
    }
}
