using System.Net;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The extract side of W3C Trace Context (https://www.w3.org/TR/trace-context/), tested with requests whose headers
// the test writes itself.
public sealed class ServerTraceContextTests(AppHostFixture fixture)
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string ParentId = "b7ad6b7169203331";

    private TelemetryStore Telemetry => fixture.AppHost.DashboardReceiver.Telemetry;

    [Fact]
    public async Task ValidTraceparentMakesTheServerSpanItsChild()
    {
        var traceId = NewTraceId();
        var request = new DirectRequest().With("traceparent", $"00-{traceId}-{ParentId}-01");

        using var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), "/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await Telemetry.WaitForServerSpanAsync(s => s.TraceId == traceId, "the server span in the sent trace");
        Assert.Equal(ParentId, span.ParentSpanId);
        Assert.True(span.HasRemoteParent);
    }

    [Fact]
    public async Task TracestateIsKeptAndBaggageReachesTheSpan()
    {
        var traceId = NewTraceId();
        using var response = await new DirectRequest()
            .With("traceparent", $"00-{traceId}-{ParentId}-01")
            .With("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
            .With("baggage", $"{DirectRequest.MarkerKey}=run-42,other=ignored")
            .SendAsync(fixture.AppHost.CreateServerClient(), "/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await Telemetry.WaitForServerSpanAsync(s => s.TraceId == traceId, "the server span in the sent trace");
        Assert.Equal("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", span.TraceState);
        Assert.Equal("run-42", span.Attributes[DirectRequest.MarkerKey]);
    }

    public static TheoryData<string, string[]> InvalidTraceparents => new()
    {
        { "no traceparent", [] },
        { "version ff", [$"ff-{TraceId}-{ParentId}-01"] },
        { "all-zero trace id", [$"00-{new string('0', 32)}-{ParentId}-01"] },
        { "all-zero parent id", [$"00-{TraceId}-{new string('0', 16)}-01"] },
        { "upper-case hex", [$"00-{TraceId.ToUpperInvariant()}-{ParentId.ToUpperInvariant()}-01"] },
        { "short trace id", [$"00-{TraceId[..30]}-{ParentId}-01"] },
        { "long parent id", [$"00-{TraceId}-{ParentId}00-01"] },
        { "garbage", ["not a traceparent at all"] },
        { "two traceparent headers", [$"00-{TraceId}-{ParentId}-01", $"00-{TraceId}-{ParentId}-01"] },
        { "huge header", [$"00-{TraceId}-{ParentId}-01-" + new string('x', 6000)] },
    };

    [Theory]
    [MemberData(nameof(InvalidTraceparents))]
    public async Task InvalidTraceparentStartsANewRootTrace(string @case, string[] traceparents)
    {
        var request = new DirectRequest();
        foreach (var traceparent in traceparents)
        {
            request.With("traceparent", traceparent);
        }

        using var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), "/ping");

        Assert.True(HttpStatusCode.OK == response.StatusCode, $"{@case}: {response.StatusCode}");
        var span = await request.ServerSpanAsync(Telemetry);
        Assert.Equal("", span.ParentSpanId);
        Assert.NotEqual(TraceId, span.TraceId);
        Assert.False(span.HasRemoteParent);
    }

    private static string NewTraceId() => Guid.NewGuid().ToString("N");
}
