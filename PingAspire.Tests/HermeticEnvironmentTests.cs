using Microsoft.Extensions.Hosting;
using PingAspire.Client;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The suite inherits the developer's shell, and the README tells them to export their Lightstep token. With that
// token and stray OTLP, connection-string and client settings exported, nothing may reach beyond the test's own
// receivers: ClearOutsideSettings clears them before any test runs, and
// points APPDATA at an empty folder, so the AppHost reads none of the developer's user secrets.
public sealed class HermeticEnvironmentTests
{
    [Fact]
    public async Task SettingsExportedByTheShellReachNoProcessOfTheSuite()
    {
        // Stands in for ingest.lightstep.com, a developer's own collector and Redis: it counts who connects.
        using var outside = new BlackHoleListener();
        var exported = new Dictionary<string, string>
        {
            ["LS_ACCESS_TOKEN"] = "developer-token",
            ["LS_SATELLITE_URL"] = outside.Endpoint.ToString(),
            ["DOTNET_LS_ACCESS_TOKEN"] = "developer-token",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = outside.Endpoint.ToString(),
            ["ConnectionStrings__redis"] = $"127.0.0.1:{outside.Port}",
            ["Client__ServerUrl"] = outside.Endpoint.ToString(),
        };
        foreach (var (name, value) in exported)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            Assert.Equal(exported.Keys.Order(StringComparer.Ordinal), HermeticEnvironment.Clear());

            await using var app = await PingAppHost.StartAsync("Client:Count=1");
            await app.WaitForClientToFinishAsync();
            // The client has exited (its provider flushed every exporter it had) and the server's span reached the
            // test's receiver: any stray exporter of either process has had its chance to connect by now.
            await app.Dashboard.Spans.WaitForAsync(spans => spans.ClientPings().Any() && spans.ServerPings().Any() ? spans : null,
                Timeouts.SpansArrive, "the client's and the server's spans at the test's own receiver");

            // An in-process host (as ClientInjectionTests builds) reads the environment too: record a span, stop.
            var builder = Host.CreateApplicationBuilder();
            builder.AddServiceDefaults(ClientTelemetry.SourceName);
            using (var host = builder.Build())
            {
                await host.StartAsync(TestContext.Current.CancellationToken);
                ClientTelemetry.Source.StartActivity("hermetic")?.Dispose();
                await host.StopAsync(TestContext.Current.CancellationToken);
            }

            Assert.Equal(0, outside.Accepted);
        }
        finally
        {
            foreach (var name in exported.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}
