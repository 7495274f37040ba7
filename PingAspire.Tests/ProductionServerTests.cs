using System.Diagnostics;
using System.Net;
using PingAspire.Server.Apis;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The server run as a user deploys it, outside Development: what lets a caller break it (faults) or make it call
// URLs (the W3C test endpoint) is not there, or refuses, even with TraceContextTest:Enabled=true.
public sealed class ProductionServerTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OutsideDevelopmentFaultsDoNotExistAndTheTestEndpointRefuses()
    {
        var url = new Uri($"http://127.0.0.1:{LoopbackPorts.Unused()}");
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "PingAspire.Server"),
            [$"--urls={url}", "--TraceContextTest:Enabled=true"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var data = Directory.CreateTempSubdirectory("pingaspire-production-");
        start.Environment["ConnectionStrings__sql"] = $"Data Source={Path.Combine(data.FullName, "pingaspire.db")}";
        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = url, Timeout = Timeouts.Request };
            await WaitUntilHealthyAsync(http, server);

            using var faults = await http.PostAsync("/faults/clear", null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, faults.StatusCode);

            using var test = await http.PostAsync("/test", new StringContent("[]", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, test.StatusCode);
            Assert.Contains("only in Development", (await test.ReadProblemAsync()).Detail, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
            data.Delete(recursive: true);
        }
    }

    // A caller on another machine cannot be made from a loopback-only test: the rule the fault endpoints' filter and
    // the W3C test endpoint apply, on its own.
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("127.0.0.7", true)]
    [InlineData("192.0.2.7", false)]
    [InlineData("::ffff:192.0.2.7", false)]
    [InlineData(null, false)]
    public void OnlyCallersOnThisMachineAreAnswered(string? caller, bool answered) =>
        Assert.Equal(answered, Loopback.IsCaller(caller is null ? null : IPAddress.Parse(caller)));

    private static async Task WaitUntilHealthyAsync(HttpClient http, Process server)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var health = await http.GetAsync("/health", TestContext.Current.CancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.False(server.HasExited, $"the server exited with {(server.HasExited ? server.ExitCode : 0)}");
            Assert.True(waited.Elapsed < StartDeadline, $"the server was not healthy after {StartDeadline.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        }
    }
}
