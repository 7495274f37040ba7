using System.Net;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PingAspire.TestSupport;
using PingAspire.TestSupport.Otlp;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// What the server answers and records for each endpoint, on the shared AppHost (Redis on Garnet, SQLite, no MongoDB).
public sealed class ServerRequestTests(AppHostFixture fixture)
{
    private TelemetryStore Telemetry => fixture.AppHost.DashboardReceiver.Telemetry;

    [Theory]
    [InlineData("/redis/{0}", "redis")]
    [InlineData("/sql/{0}", "sql")]
    public async Task OneIntegrationEndpointAnswersTextOfThatLength(string route, string integration)
    {
        var request = new DirectRequest();
        using var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), string.Format(route, 37));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^[a-z]{37}$", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var server = await request.ServerSpanAsync(Telemetry);
        Assert.Equal($"GET {string.Format(route, "{length}")}", server.Name);
        Assert.Equal(string.Format(route, "{length}"), server.Attributes["http.route"]);
        // The attributes the conventions want at creation (ServerSpan.cs gives them to StartActivity), as the client sent them.
        var client = fixture.AppHost.CreateServerClient().BaseAddress!;
        Assert.Equal("GET", server.Attributes["http.request.method"]);
        Assert.Equal(string.Format(route, 37), server.Attributes["url.path"]);
        Assert.Equal(client.Scheme, server.Attributes["url.scheme"]);
        Assert.Equal(client.Host, server.Attributes["server.address"]);
        Assert.Equal(client.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), server.Attributes["server.port"]);
        var trace = await Telemetry.WaitForTraceAsync(server.TraceId, 3, "server span, integration span and operation span");
        var integrationSpan = trace.SingleChild(server, $"{integration}_integration");
        trace.SingleChild(integrationSpan, $"server {integration} operation");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1025")]
    [InlineData("99999999999999999999")]
    [InlineData("abc")]
    [InlineData("1.5")]
    public async Task InvalidLengthIsABadRequestProblem(string length)
    {
        var request = new DirectRequest();
        using var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), $"/redis/{length}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal("Invalid length", problem?.Title);
        Assert.Contains(length, problem?.Detail, StringComparison.Ordinal);

        // A 4xx is the caller's error: recorded on the span, but the span is not marked failed.
        var span = await request.ServerSpanAsync(Telemetry);
        // The 32-hex trace id, as the dashboard's and Lightstep's trace search take it.
        Assert.Equal(span.TraceId, problem?.TraceId);
        Assert.Equal("400", span.Attributes["http.response.status_code"]);
        Assert.Equal(Status.Types.StatusCode.Unset, span.StatusCode);
    }

    [Fact]
    public async Task MongoEndpointSaysMongoIsNotConfigured()
    {
        var request = new DirectRequest();
        using var response = await request.SendAsync(fixture.AppHost.CreateServerClient(), "/mongo/5");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Contains("mongo is not configured", problem?.Detail, StringComparison.Ordinal);
        var span = await request.ServerSpanAsync(Telemetry);
        Assert.Equal(Status.Types.StatusCode.Error, span.StatusCode);
        Assert.Equal("503", span.Attributes["error.type"]);
        Assert.Equal(span.TraceId, problem?.TraceId);
    }

    // Each request writes a person and reads it back by deleting it: the file stays as small as it started. The
    // suite's AppHosts each have a file of their own (PingAppHost), never the user's.
    [Fact]
    public async Task SqlRequestsLeaveNoRowsBehind()
    {
        var sql = Assert.IsAssignableFrom<IResourceWithConnectionString>(
            fixture.AppHost.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "sql"));
        var connectionString = await sql.GetConnectionStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(fixture.AppHost.SqliteFile, new SqliteConnectionStringBuilder(connectionString).DataSource);

        using var http = fixture.AppHost.CreateServerClient();
        for (var i = 0; i < 20; i++)
        {
            using var response = await new DirectRequest().SendAsync(http, "/sql/5");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM person";
        Assert.Equal(0L, await count.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
