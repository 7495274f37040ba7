using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PingAspire.Client;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The AppHost starts the client beside the server (WaitForStart), so the client's own wait is what keeps /ping from a
// server that is not ready: the real worker, against a loopback server whose /health says 503 three times first.
public sealed class ClientReadinessTests
{
    [Fact]
    public async Task TheFirstPingWaitsUntilTheServersHealthAnswers()
    {
        var healthChecks = 0;
        await using var server = await HeaderRecordingServer.StartAsync(request =>
            request.Path == "/health" && Interlocked.Increment(ref healthChecks) <= 3 ? 503 : 200);
        var builder = ClientHost.Builder(server.Url, ("Client:Count", "1"));
        builder.Services.AddHostedService<PingWorker>();
        using var host = builder.Build();

        // Count=1: the worker stops the host after its one request.
        await host.RunAsync(TestContext.Current.CancellationToken).WaitAsync(Timeouts.Request, TestContext.Current.CancellationToken);

        Assert.Equal(["/health", "/health", "/health", "/health", "/ping"], server.Requests.Select(r => r.Path));
        // The wait is no span of its own and carries no trace context.
        Assert.All(server.Requests.Take(4), r => Assert.False(r.Headers.ContainsKey("traceparent")));
        Assert.True(server.Requests.Last().Headers.ContainsKey("traceparent"));
    }
}
