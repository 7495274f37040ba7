using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using PingAspire.Client;
using PingAspire.ServiceDefaults.Layers;
using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The inject side of W3C Trace Context, checked on the wire: the client's real DI wiring (AddServiceDefaults, typed
// HttpClient) sends to a loopback server that records the headers.
public sealed class ClientInjectionTests : IAsyncLifetime
{
    private readonly List<Activity> _clientSpans = [];
    private readonly ActivityListener _listener;
    private HeaderRecordingServer _server = null!;

    public ClientInjectionTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ClientTelemetry.SourceName or "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == ClientTelemetry.SourceName)
                {
                    lock (_clientSpans)
                    {
                        _clientSpans.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    // Flags 03: sampled, and (W3C Trace Context Level 2, since System.Diagnostics.DiagnosticSource 11) "random": a root's
    // trace id is random in its rightmost 7 bytes, what consistent sampling reads (ConsistentSampling.cs).
    // https://www.w3.org/TR/trace-context-2/#random-trace-id-flag
    [Fact]
    public async Task TraceparentCarriesTheClientSpanIdsTheSampledAndTheRandomFlag()
    {
        await PingAsync(propagate: true);

        var span = Assert.Single(_clientSpans);
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        var headers = Assert.Single(_server.Requests).Headers;
        Assert.Equal($"00-{span.TraceId}-{span.SpanId}-03", headers["traceparent"].ToString());
        Assert.False(headers.ContainsKey("tracestate"));
        Assert.False(headers.ContainsKey("baggage"));
    }

    [Fact]
    public async Task TracestateAndBaggageAreSentWhenPresent()
    {
        using var source = new ActivitySource("test");
        using var parent = source.StartActivity("parent")!;
        parent.TraceStateString = "vendor=opaque-value";
        Baggage.SetBaggage(ClientRunId.BaggageKey, "run-7");

        await PingAsync(propagate: true);

        var span = Assert.Single(_clientSpans);
        var headers = Assert.Single(_server.Requests).Headers;
        Assert.Equal(parent.TraceId, span.TraceId);
        Assert.Equal($"00-{parent.TraceId}-{span.SpanId}-03", headers["traceparent"].ToString());
        Assert.Equal("vendor=opaque-value", headers["tracestate"].ToString());
        Assert.Equal($"{ClientRunId.BaggageKey}=run-7", headers["baggage"].ToString());
    }

    // With the hand-written inject off, nothing else may write trace headers, although a span is current:
    // HttpClient's own propagation is switched off by AddServiceDefaults.
    [Fact]
    public async Task WithInjectionOffNoTraceHeadersAreSent()
    {
        Baggage.SetBaggage(ClientRunId.BaggageKey, "run-8");

        await PingAsync(propagate: false);

        Assert.Single(_clientSpans);
        var headers = Assert.Single(_server.Requests).Headers;
        Assert.False(headers.ContainsKey("traceparent"));
        Assert.False(headers.ContainsKey("tracestate"));
        Assert.False(headers.ContainsKey("baggage"));
    }

    private async Task PingAsync(bool propagate)
    {
        using var host = ClientHost.Builder(_server.Url, ("Client:PropagateTraceContext", propagate.ToString())).Build();

        await host.Services.GetRequiredService<PingClient>().PingAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask InitializeAsync() => _server = await HeaderRecordingServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _server.DisposeAsync();
    }
}
