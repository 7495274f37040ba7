using Microsoft.Extensions.Hosting;
using PingAspire.Client;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The suite inherits the developer's shell, and the README tells them to export their Lightstep token. With that
// token and stray OTLP, connection-string and client settings exported, nothing may reach beyond the test's own
// receivers: HermeticEnvironment clears them before any test runs (the fixture exports them, then clears them as the
// suite does), and points APPDATA at an empty folder, so the AppHost reads none of the developer's user secrets.
[Collection(nameof(OutsideSettingsAppHost))]
public sealed class HermeticEnvironmentTests(OutsideSettingsAppHost fixture)
{
    [Fact]
    public async Task SettingsExportedByTheShellReachNoProcessOfTheSuite()
    {
        Assert.Equal(fixture.Exported.Keys.Order(StringComparer.Ordinal), fixture.Cleared);
        var app = fixture.AppHost;
        await app.WaitForClientToFinishAsync();
        // The client has exited (its provider flushed every exporter it had) and the server's span reached the
        // test's receiver: any stray exporter of either process has had its chance to connect by now.
        await fixture.Lightstep.Telemetry.WaitForAsync(spans => spans.ClientPings().Any() && spans.ServerPings().Any() ? spans : null,
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

        Assert.Equal(0, fixture.Outside.Accepted);
    }

    // The README's second way to give the AppHost a Lightstep token, `dotnet user-secrets set LS_ACCESS_TOKEN ...
    // --project PingAspire.AppHost`, reaches server and client.
    [Fact]
    public async Task TheAppHostsUserSecretsReachBothProjects()
    {
        await fixture.Lightstep.Telemetry.WaitForAsync(all => all.ClientPings().Any() && all.ServerPings().Any() ? all : null,
            Timeouts.SpansArrive, "client and server spans at the Lightstep endpoint named in the user secrets");

        Assert.All(fixture.Lightstep.Telemetry.ExportHeaders, headers => Assert.Equal(fixture.UserSecretToken, headers["lightstep-access-token"]));
    }
}
