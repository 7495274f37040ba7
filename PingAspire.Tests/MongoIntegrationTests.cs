using System.Net;
using PingAspire.TestSupport;
using PingAspire.TestSupport.Otlp;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// MongoDB configured (ConnectionStrings:mongo given to the AppHost) but stalled (accepts, never answers): the real driver, the real
// failure. The success path needs a real server, which this machine cannot run; see MongoSuccessPath.
public sealed class MongoIntegrationTests(MongoIntegrationTests.UnreachableMongoAppHost fixture)
    : IClassFixture<MongoIntegrationTests.UnreachableMongoAppHost>
{
    private SpanStore Spans => fixture.AppHost.Dashboard.Spans;

    [Fact]
    public async Task PingAnswers503NamingMongoAndTheOtherIntegrationsStillRun()
    {
        var request = new DirectRequest();
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        using var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), "/ping");
        elapsed.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal("Failed: mongo.", problem?.Detail);
        // Server selection is bounded at 2 s; Redis and SQLite take milliseconds: 3 s leaves room for a busy CI.
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(3), $"took {elapsed.Elapsed}");
        TestContext.Current.TestOutputHelper?.WriteLine($"/ping with MongoDB unreachable answered in {elapsed.Elapsed.TotalSeconds:0.00} s");

        var server = await request.ServerSpanAsync(Spans);
        Assert.Equal(Status.Types.StatusCode.Error, server.StatusCode);
        Assert.Equal("503", server.Attributes["http.response.status_code"]);
        var trace = await Spans.WaitForTraceAsync(server.TraceId, 7, "server span with three integrations and their operations");

        var mongo = trace.SingleChild(server, "mongo_integration");
        var mongoOperation = trace.SingleChild(mongo, "server mongo operation");
        Assert.Equal(Status.Types.StatusCode.Error, mongo.StatusCode);
        Assert.Equal(Status.Types.StatusCode.Error, mongoOperation.StatusCode);
        Assert.Contains("exception", mongoOperation.EventNames);
        // The driver gives up after the 2 s server-selection bound.
        Assert.Equal("System.TimeoutException", mongoOperation.Attributes["error.type"]);
        Assert.Equal("mongodb", mongoOperation.Attributes["db.system.name"]);
        Assert.Equal("tests", mongoOperation.Attributes["db.collection.name"]);

        Assert.Equal(Status.Types.StatusCode.Unset, trace.SingleChild(server, "redis_integration").StatusCode);
        Assert.Equal(Status.Types.StatusCode.Unset, trace.SingleChild(server, "sql_integration").StatusCode);
    }

    [Fact]
    public async Task MongoEndpointAnswers503WithTheFailure()
    {
        var request = new DirectRequest();
        using var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), "/mongo/12");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal("Dependency failed", problem?.Title);
        Assert.Equal("Failed: mongo.", problem?.Detail);
    }

    // Runs only where a MongoDB server is reachable: PINGASPIRE_TEST_MONGO holds its connection string.
    [Fact]
    public async Task MongoSuccessPath()
    {
        var connectionString = Environment.GetEnvironmentVariable("PINGASPIRE_TEST_MONGO");
        Assert.SkipWhen(string.IsNullOrEmpty(connectionString),
            "No MongoDB server is reachable here (none can run without containers); set PINGASPIRE_TEST_MONGO to a connection string to run this test.");

        await using var app = await PingAppHost.StartAsync($"ConnectionStrings:mongo={connectionString}", "Client:Count=1");
        using var response = await new DirectRequest().SendAsync(app.CreateServerClient(), "/mongo/12");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^[a-z]{12}$", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    // MongoDB's address accepts connections and never answers: the worst kind of dead server.
    public sealed class UnreachableMongoAppHost : IAsyncLifetime
    {
        private readonly BlackHoleListener _stalledMongo = new();

        public PingAppHost AppHost { get; private set; } = null!;

        public async ValueTask InitializeAsync() =>
            AppHost = await PingAppHost.StartAsync(
                $"ConnectionStrings:mongo=mongodb://127.0.0.1:{_stalledMongo.Port}/",
                "Client:Count=1");

        public async ValueTask DisposeAsync()
        {
            await AppHost.DisposeAsync();
            _stalledMongo.Dispose();
        }
    }
}
