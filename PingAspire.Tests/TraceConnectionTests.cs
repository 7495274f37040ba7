using PingAspire.AppHost;
using PingAspire.Client;
using PingAspire.TestSupport;
using PingAspire.TestSupport.Otlp;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// One client request, one trace: client CLIENT span -> server SERVER span -> integration spans -> operations,
// seen through the OTLP the processes really exported.
public sealed class TraceConnectionTests(AppHostFixture fixture)
{
    private TelemetryStore Telemetry => fixture.AppHost.DashboardReceiver.Telemetry;

    [Fact]
    public async Task ClientRequestAndServerSpansShareOneTrace()
    {
        var (client, server) = await Telemetry.WaitForAsync(spans =>
        {
            var pair = (from c in spans.ClientPings()
                        from s in spans.ServerPings()
                        where s.ParentSpanId == c.SpanId && s.TraceId == c.TraceId
                        select (c, s)).FirstOrDefault();
            return pair.c is null || spans.ChildrenOf(pair.s).Count() < 2 ? null : Tuple.Create(pair.c, pair.s);
        }, Timeouts.SpansArrive, "a client span with its server span and integrations");

        Assert.True(server.HasRemoteParent, "the server span's parent came from another process");
        Assert.Equal("", client.ParentSpanId);

        var trace = await Telemetry.WaitForTraceAsync(client.TraceId, 6, "all six spans of the trace");

        var redis = trace.SingleChild(server, "redis_integration");
        var sql = trace.SingleChild(server, "sql_integration");
        Assert.Equal(Span.Types.SpanKind.Internal, redis.Kind);
        var redisOperation = trace.SingleChild(redis, "server redis operation");
        var sqlOperation = trace.SingleChild(sql, "server sql operation");
        Assert.Equal(Span.Types.SpanKind.Client, redisOperation.Kind);
        Assert.Equal("redis", redisOperation.Attributes["db.system.name"]);
        Assert.Equal("sqlite", sqlOperation.Attributes["db.system.name"]);
        // Several commands in one call are a batch (semantic conventions for database spans): SET + GET, and the
        // four statements of the SQL command. The SQLite namespace is the file's name, never its local path.
        Assert.Equal(("BATCH", "2"), (redisOperation.Attributes["db.operation.name"], redisOperation.Attributes["db.operation.batch.size"]));
        Assert.Equal(("BATCH", "4"), (sqlOperation.Attributes["db.operation.name"], sqlOperation.Attributes["db.operation.batch.size"]));
        Assert.Equal("pingaspire.db", sqlOperation.Attributes["db.namespace"]);
        Assert.DoesNotContain(trace, s => s.Name.StartsWith("mongo", StringComparison.Ordinal));
        Assert.All(trace, s => Assert.Equal(Status.Types.StatusCode.Unset, s.StatusCode));
    }

    [Fact]
    public async Task SpansCarryHttpAttributesAndServiceVersions()
    {
        var (client, server) = await Telemetry.WaitForAsync(spans =>
            (from c in spans.ClientPings()
             from s in spans.ServerPings()
             where s.ParentSpanId == c.SpanId
             select Tuple.Create(c, s)).FirstOrDefault(), Timeouts.SpansArrive, "a connected client/server pair");

        Assert.Equal("GET", client.Attributes["http.request.method"]);
        Assert.Equal($"http://{ServiceNames.Server}/ping", client.Attributes["url.full"]);
        Assert.Equal("200", client.Attributes["http.response.status_code"]);
        Assert.Equal("/ping", server.Attributes["http.route"]);
        Assert.Equal("200", server.Attributes["http.response.status_code"]);

        Assert.Equal("10.10.10", client.Resource["service.version"]);
        Assert.Equal("10.10.9", server.Resource["service.version"]);
        // Appended to, not replaced: Aspire's own attribute survives.
        Assert.False(string.IsNullOrEmpty(client.Resource["service.instance.id"]));
        Assert.False(string.IsNullOrEmpty(server.Resource["service.instance.id"]));
        Assert.NotEqual(client.Resource["service.instance.id"], server.Resource["service.instance.id"]);
        Assert.Equal("development", server.Resource["deployment.environment.name"]);
    }

    [Fact]
    public async Task BaggageFromTheClientReachesTheServerSpan()
    {
        // A server span whose parent is the client's span: the tests' own direct requests have remote parents and
        // baggage of their own, so a remote parent alone does not say the span is the client's.
        var server = await Telemetry.WaitForAsync(spans =>
            (from c in spans.ClientPings()
             from s in spans.ServerPings()
             where s.ParentSpanId == c.SpanId && s.TraceId == c.TraceId
             select s).FirstOrDefault(), Timeouts.SpansArrive, "a server span of a client request");

        Assert.Matches("^[0-9a-f]{32}$", server.Attributes["pingaspire.client.run_id"]);
    }

    [Fact]
    public async Task ClientStopsAfterItsCountWithEverySpanDelivered()
    {
        await fixture.AppHost.WaitForClientToFinishAsync();

        // The client has exited: its provider was disposed, so everything it ended has been exported already.
        var clientSpans = Telemetry.Spans.ClientPings().ToList();
        Assert.Equal(AppHostFixture.RequestCount, clientSpans.Count);

        var served = await Telemetry.WaitForAsync(spans =>
        {
            var children = spans.ServerPings().Where(s => clientSpans.Any(c => c.SpanId == s.ParentSpanId)).ToList();
            return children.Count == AppHostFixture.RequestCount ? children : null;
        }, Timeouts.SpansArrive, "one server span for each client request");
        Assert.Equal(clientSpans.Select(c => c.TraceId).Order(), served.Select(s => s.TraceId).Order());
    }

    // The tutorial prints inside "client operation": each "Request to ..." record carries the trace and span id of
    // its own CLIENT span, so the dashboard shows the line one click from the trace.
    [Fact]
    public async Task TheClientWritesEachRequestsLineInsideItsSpan()
    {
        await fixture.AppHost.WaitForClientToFinishAsync();
        var clientSpans = Telemetry.Spans.ClientPings().ToList();

        var lines = await Telemetry.WaitUntilAsync(() =>
        {
            var logged = Telemetry.Logs.Where(l => l.Resource["service.name"] == ServiceNames.Client && l.Body.StartsWith("Request to", StringComparison.Ordinal)).ToList();
            return logged.Count >= AppHostFixture.RequestCount ? logged : null;
        }, Timeouts.SpansArrive, $"{AppHostFixture.RequestCount} 'Request to' records of the client");

        Assert.Equal(AppHostFixture.RequestCount, lines.Count);
        Assert.Equal(
            clientSpans.Select(c => (c.TraceId, c.SpanId)).Order(),
            lines.Select(l => (l.TraceId, l.SpanId)).Order());
        Assert.All(lines, l => Assert.Contains("got", l.Body, StringComparison.Ordinal));
    }

    // No span comes from a library: Aspire.StackExchange.Redis runs with its tracing off, and no instrumentation
    // package is wired in. Every exported span's instrumentation scope is one of the project's own ActivitySources.
    [Fact]
    public async Task EverySpanComesFromTheProjectsOwnActivitySources()
    {
        await fixture.AppHost.WaitForClientToFinishAsync();
        using var http = fixture.AppHost.CreateServerClient();
        foreach (var path in new[] { "/redis/3", "/sql/3", "/mongo/3", "/redis/x" })
        {
            var request = new DirectRequest();
            using var response = await request.SendAsync(http, path);
            await request.ServerSpanAsync(Telemetry);
        }

        var spans = Telemetry.Spans;
        string[] scopes = fixture.AppHost.HasResource(ServiceNames.JsClient)
            ? [ClientTelemetry.SourceName, "PingAspire.JsClient", "PingAspire.Server"] // client.js's tracer, ServerTelemetry.SourceName
            : [ClientTelemetry.SourceName, "PingAspire.Server"];
        Assert.Equal(scopes, spans.Select(s => s.Scope).Distinct().Order(StringComparer.Ordinal));
    }
}
