using System.Net;
using System.Net.Http.Json;
using PingAspire.Server.Apis;
using PingAspire.TestSupport;
using PingAspire.TestSupport.Otlp;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The test plays the W3C Trace Context test harness (https://github.com/w3c/trace-context/tree/main/test): it sends
// a request to the server's POST /test with the headers of a case and a callback URL, and checks what the server
// propagated to that callback. Rules: https://www.w3.org/TR/trace-context/#traceparent-header and #tracestate-header
// Runs on the shared AppHost, whose server has the endpoint on (AppHostFixture).
public sealed class TraceContextHarnessTests(AppHostFixture fixture)
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string ParentId = "00f067aa0ba902b7";
    private const string Valid = $"00-{TraceId}-{ParentId}-01";
    private const string ValidState = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

    public static TheoryData<string, string?, string[], bool, string?> Cases => new()
    {
        // case, traceparent, tracestate headers, trace id kept?, tracestate expected at the callback
        { "valid with tracestate", Valid, [ValidState], true, ValidState },
        { "valid without tracestate", Valid, [], true, null },
        { "future version with more fields", $"cc-{TraceId}-{ParentId}-01-future", [ValidState], true, ValidState },
        { "32 list members", Valid, [Members(32)], true, Members(32) },
        { "tracestate over two headers", Valid, ["rojo=1", "congo=2"], true, "rojo=1,congo=2" },
        { "33 list members dropped", Valid, [Members(33)], true, null },
        { "upper-case key dropped", Valid, ["Rojo=1"], true, null },
        { "value with = dropped", Valid, ["rojo=a=b"], true, null },
        // The harness accepts duplicated keys kept as they are or with all but one discarded.
        { "duplicate key deduplicated", Valid, ["rojo=1,rojo=2"], true, "rojo=1" },
        { "no traceparent restarts", null, [ValidState], false, null },
        { "version ff restarts", $"ff-{TraceId}-{ParentId}-01", [ValidState], false, null },
        { "version 00 with more fields restarts", $"{Valid}-extra", [ValidState], false, null },
        { "all-zero trace id restarts", $"00-{new string('0', 32)}-{ParentId}-01", [ValidState], false, null },
        { "upper-case hex restarts", $"00-{TraceId.ToUpperInvariant()}-{ParentId}-01", [ValidState], false, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ServerPropagatesAsTheSpecRequires(
        string @case, string? traceparent, string[] tracestates, bool traceIdKept, string? expectedTracestate)
    {
        var callbackPath = $"/callback/{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test")
        {
            Content = JsonContent.Create(new[] { new { url = new Uri(fixture.Harness.Url, callbackPath), arguments = Array.Empty<object>() } }),
        };
        if (traceparent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceparent);
        }

        foreach (var tracestate in tracestates)
        {
            request.Headers.TryAddWithoutValidation("tracestate", tracestate);
        }

        using var response = await fixture.AppHost.CreateServerClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{@case}: {response.StatusCode}");
        var callback = Assert.Single(fixture.Harness.Requests, r => r.Path == callbackPath).Headers;
        var propagated = callback["traceparent"].ToString().Split('-');
        Assert.Equal(4, propagated.Length);
        Assert.Equal("00", propagated[0]);
        Assert.Equal(traceIdKept, propagated[1] == TraceId);
        Assert.NotEqual(ParentId, propagated[2]);
        Assert.Equal(expectedTracestate, callback.TryGetValue("tracestate", out var state) ? state.ToString() : null);
    }

    [Fact]
    public async Task UnsampledFlagIsPropagated()
    {
        var callbackPath = $"/callback/{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test")
        {
            Content = JsonContent.Create(new[] { new { url = new Uri(fixture.Harness.Url, callbackPath), arguments = Array.Empty<object>() } }),
        };
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{TraceId}-{ParentId}-00");

        using var response = await fixture.AppHost.CreateServerClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var callback = Assert.Single(fixture.Harness.Requests, r => r.Path == callbackPath).Headers;
        Assert.Matches($"^00-{TraceId}-[0-9a-f]{{16}}-00$", callback["traceparent"].ToString());
    }

    // Each refused body also holds a good case calling the harness back: refused means no call at all, not "the
    // good cases ran and the bad one failed".
    public static TheoryData<string, string> BadCases => new()
    {
        { "a case without url", """{ "arguments": [] }""" },
        { "a relative url", """{ "url": "/callback", "arguments": [] }""" },
        // Not a loopback address, yet a connection to it (were the rule broken) stays on this machine.
        { "a url on no loopback address", """{ "url": "http://0.0.0.0:1/callback", "arguments": [] }""" },
        { "too many cases", string.Join(",", Enumerable.Repeat("""{ "url": "http://127.0.0.1:1/", "arguments": [] }""", TraceContextTestApi.MaxCases)) },
    };

    [Theory]
    [MemberData(nameof(BadCases))]
    public async Task ARefusedBodyIsABadRequestProblemAndCallsNothing(string @case, string badCases)
    {
        var callbackPath = $"/callback/{Guid.NewGuid():N}";
        var goodCase = $$"""{ "url": "{{new Uri(fixture.Harness.Url, callbackPath)}}", "arguments": [] }""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test")
        {
            Content = new StringContent($"[{goodCase},{badCases}]", System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await fixture.AppHost.CreateServerClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{@case}: {response.StatusCode}");
        var problem = await response.ReadProblemAsync();
        Assert.Equal("Invalid test cases", problem?.Title);
        Assert.False(string.IsNullOrEmpty(problem?.Detail));
        // The server span of the refused request has ended (it carries the 400): had any call been made, it was before.
        var span = await fixture.AppHost.DashboardReceiver.Telemetry.WaitForServerSpanAsync(s => s.TraceId == problem!.TraceId, "the refused request's span");
        Assert.Equal("400", span.Attributes["http.response.status_code"]);
        Assert.DoesNotContain(fixture.Harness.Requests, r => r.Path == callbackPath);
    }

    // The rules that need a caller or an environment no loopback test can be: checked on the rule itself.
    [Theory]
    [InlineData(false, "127.0.0.1", "Development")]
    [InlineData(true, "192.0.2.7", "loopback")]
    [InlineData(true, null, "loopback")]
    public void OutsideDevelopmentOrFromAnotherMachineTheEndpointRefuses(bool isDevelopment, string? caller, string rule)
    {
        TraceContextTestApi.TestCase[] cases = [new(new Uri("http://127.0.0.1:9/"), default)];

        var refusal = TraceContextTestApi.Refusal(isDevelopment, caller is null ? null : IPAddress.Parse(caller), cases);

        Assert.Contains(rule, refusal, StringComparison.Ordinal);
        Assert.Null(TraceContextTestApi.Refusal(true, IPAddress.IPv6Loopback, cases));
    }

    // Targets are only parsed here, never called.
    [Theory]
    [InlineData("http://192.0.2.1/callback", false)]
    [InlineData("http://example.com/callback", false)]
    [InlineData("ftp://127.0.0.1/callback", false)]
    [InlineData("http://localhost:8080/callback", true)]
    [InlineData("http://127.0.0.2/callback", true)]
    [InlineData("http://[::1]:8080/callback", true)]
    public void OnlyLoopbackTargetsAreCalled(string target, bool allowed)
    {
        var refusal = TraceContextTestApi.Refusal(true, IPAddress.Loopback, [new TraceContextTestApi.TestCase(new Uri(target), default)]);

        Assert.Equal(allowed, refusal is null);
    }

    // A call that fails is an exception in the endpoint: the SERVER span records it and carries the 500 the caller
    // gets, and the problem's traceId finds that span.
    [Fact]
    public async Task AFailedCallIsA500OnTheServerSpanWithItsException()
    {
        var closedPort = LoopbackPorts.Unused();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test")
        {
            Content = JsonContent.Create(new[] { new { url = new Uri($"http://127.0.0.1:{closedPort}/callback"), arguments = Array.Empty<object>() } }),
        };

        using var response = await fixture.AppHost.CreateServerClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        var span = await fixture.AppHost.DashboardReceiver.Telemetry.WaitForServerSpanAsync(s => s.TraceId == problem!.TraceId, "the failed request's span");
        Assert.Equal(("POST /test", "500"), (span.Name, span.Attributes["http.response.status_code"]));
        Assert.Equal("System.Net.Http.HttpRequestException", span.Attributes["error.type"]);
        Assert.Equal(Status.Types.StatusCode.Error, span.StatusCode);
        Assert.Contains("exception", span.EventNames);
    }

    private static string Members(int count) => string.Join(",", Enumerable.Range(0, count).Select(i => $"k{i}=v{i}"));
}
