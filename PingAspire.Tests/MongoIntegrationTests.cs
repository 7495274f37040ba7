using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using PingAspire.Server.Apis;
using PingAspire.Server.Integrations;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// MongoDB configured but stalled (accepts, never answers): the real driver, the real failure, through /ping's own
// handler with the server's real integrations, in-process. The success path needs a real server, which this machine
// cannot run; see MongoSuccessPath.
public sealed class MongoIntegrationTests : IDisposable
{
    private readonly BlackHoleListener _stalledMongo = new();
    private readonly string _sqliteFile = Path.Combine(Path.GetTempPath(), $"pingaspire-mongo-test-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task PingAnswers503NamingMongoAndTheOtherIntegrationsStillRun()
    {
        using var server = new InProcessIntegrations(
            ("ConnectionStrings:mongo", $"mongodb://127.0.0.1:{_stalledMongo.Port}/"),
            ("ConnectionStrings:sql", $"Data Source={_sqliteFile}"));
        var elapsed = Stopwatch.StartNew();

        var result = await PingApi.PingAsync(server.All, TestContext.Current.CancellationToken);

        elapsed.Stop();
        var problem = Assert.IsType<ProblemHttpResult>(result.Result);
        Assert.Equal((503, "Failed: mongo."), (problem.StatusCode, problem.ProblemDetails.Detail));
        // Bounded by the driver's 2 s selection (MongoIntegration.Timeout), however busy the machine; SQLite ran too.
        Assert.True(elapsed.Elapsed < MongoIntegration.Timeout + Timeouts.BusyMachineMargin, $"took {elapsed.Elapsed}");
        Assert.True(_stalledMongo.Accepted > 0, "the driver reached the stalled server");
        var operation = server.Span("server mongo operation");
        Assert.Equal(ActivityStatusCode.Error, operation.Status);
        Assert.Contains(operation.Events, e => e.Name == "exception");
        Assert.Equal("System.TimeoutException", operation.GetTagItem("error.type"));
        Assert.Equal(("mongodb", "find", "opentelemetry-tests", "tests"), (operation.GetTagItem("db.system.name"),
            operation.GetTagItem("db.operation.name"), operation.GetTagItem("db.namespace"), operation.GetTagItem("db.collection.name")));
        Assert.Equal(ActivityStatusCode.Error, server.Span("mongo_integration").Status);
        Assert.Equal(ActivityStatusCode.Unset, server.Span("sql_integration").Status);
    }

    // Runs only where a MongoDB server is reachable: PINGASPIRE_TEST_MONGO holds its connection string.
    [Fact]
    public async Task MongoSuccessPath()
    {
        var connectionString = Environment.GetEnvironmentVariable("PINGASPIRE_TEST_MONGO");
        Assert.SkipWhen(string.IsNullOrEmpty(connectionString),
            "No MongoDB server is reachable here (none can run without containers); set PINGASPIRE_TEST_MONGO to a connection string to run this test.");
        using var server = new InProcessIntegrations(("ConnectionStrings:mongo", connectionString!));

        var result = await PingApi.RunOneAsync(server.All.Named("mongo"), "12", TestContext.Current.CancellationToken);

        Assert.Matches("^[a-z]{12}$", Assert.IsType<ContentHttpResult>(result.Result).ResponseContent);
        Assert.Equal(ActivityStatusCode.Unset, server.Span("server mongo operation").Status);
    }

    public void Dispose()
    {
        _stalledMongo.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_sqliteFile);
        File.Delete(_sqliteFile + "-wal");
        File.Delete(_sqliteFile + "-shm");
    }
}
