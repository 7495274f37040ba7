using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using PingAspire.Server.Apis;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// SQLite failing for real, through /ping's own handler with the server's real integrations, in-process.
public sealed class SqliteIntegrationTests : IDisposable
{
    private readonly string _sqliteFile = Path.Combine(Path.GetTempPath(), $"pingaspire-sqlite-test-{Guid.NewGuid():N}.db");

    // An empty file opened read-only: a valid, empty SQLite database that refuses every write.
    [Fact]
    public async Task AnUnwritableSqliteFileFailsTheSqlIntegrationOnly()
    {
        await File.WriteAllBytesAsync(_sqliteFile, [], TestContext.Current.CancellationToken);
        using var server = new InProcessIntegrations(("ConnectionStrings:sql", $"Data Source={_sqliteFile};Mode=ReadOnly"));

        var result = await PingApi.PingAsync(server.All, TestContext.Current.CancellationToken);

        var problem = Assert.IsType<ProblemHttpResult>(result.Result);
        Assert.Equal((503, "Failed: sql."), (problem.StatusCode, problem.ProblemDetails.Detail));
        var operation = server.Span("server sql operation");
        Assert.Equal(ActivityStatusCode.Error, operation.Status);
        Assert.Equal("Microsoft.Data.Sqlite.SqliteException", operation.GetTagItem("error.type"));
        Assert.Contains("readonly", operation.StatusDescription, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_sqliteFile);
        File.Delete(_sqliteFile + "-wal");
        File.Delete(_sqliteFile + "-shm");
    }
}
