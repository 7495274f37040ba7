using PingAspire.AppHost;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The explicit Lightstep exporter, pointed (LS_SATELLITE_URL) at an OTLP/gRPC receiver of the test: the same
// protocol and header that ingest.lightstep.com:443 gets.
public sealed class LightstepExportTests(AppHostFixture fixture)
{
    [Fact]
    public async Task LightstepReceivesBothServicesSpansWithTheTokenHeader()
    {
        var spans = await fixture.Lightstep.Telemetry.WaitForAsync(all =>
            all.ClientPings().Any() && all.ServerPings().Any() ? all : null,
            Timeouts.SpansArrive, "client and server spans at the Lightstep endpoint");

        // The names a Lightstep user searches for (README, "See it in Lightstep"), exactly as exported.
        var client = spans.ClientPings().First().Resource;
        var server = spans.ServerPings().First().Resource;
        Assert.Equal(("pingaspire-client", "10.10.10"), (client["service.name"], client["service.version"]));
        Assert.Equal(("pingaspire-server", "10.10.9"), (server["service.name"], server["service.version"]));
        Assert.All(fixture.Lightstep.Telemetry.ExportHeaders, headers =>
            Assert.Equal(fixture.LightstepToken, headers["lightstep-access-token"]));
    }

    [Fact]
    public async Task TheTokenNeverAppearsInAnyOutput()
    {
        await fixture.AppHost.WaitForClientToFinishAsync();
        await fixture.AppHost.WaitForLogLinesAsync(ServiceNames.Server, "Lightstep export is on");
        await fixture.AppHost.WaitForLogLinesAsync(ServiceNames.Client, "Lightstep export is on");

        Assert.DoesNotContain(fixture.AppHost.LogLines, line => line.Contains(fixture.LightstepToken, StringComparison.Ordinal));
        // Nor does any log record the processes exported (their logs go over OTLP too).
        await fixture.AppHost.DashboardReceiver.Telemetry.WaitUntilAsync(
            () => fixture.AppHost.DashboardReceiver.Telemetry.Logs.FirstOrDefault(l => l.Body.Contains("Lightstep export is on", StringComparison.Ordinal)),
            Timeouts.SpansArrive, "the 'Lightstep export is on' log record");
        Assert.DoesNotContain(fixture.AppHost.DashboardReceiver.Telemetry.Logs, log =>
            log.Body.Contains(fixture.LightstepToken, StringComparison.Ordinal)
            || log.Attributes.Values.Any(v => v.Contains(fixture.LightstepToken, StringComparison.Ordinal)));
        // The dashboard exporter never carries it either.
        Assert.DoesNotContain(fixture.AppHost.DashboardReceiver.Telemetry.ExportHeaders,
            headers => headers.Values.Any(v => v.Contains(fixture.LightstepToken, StringComparison.Ordinal)));
    }

    // Everything exported to Lightstep (a SaaS backend) and to the dashboard, spans with their events, resources, log
    // records and metrics: no local path of this machine, so neither the user's home folder nor the checkout's.
    [Fact]
    public async Task NothingExportedNamesTheHomeFolderOrTheCheckout()
    {
        await fixture.AppHost.WaitForClientToFinishAsync();
        // The server's start-up lines (which name its content root) have been written by now; its telemetry
        // lines go to the same log exporter after them.
        foreach (var receiver in new[] { fixture.Lightstep, fixture.AppHost.DashboardReceiver })
        {
            await receiver.Telemetry.WaitUntilAsync(() => receiver.Telemetry.Logs.FirstOrDefault(l =>
                l.Resource["service.name"] == ServiceNames.Server && l.Body.Contains("Lightstep export is on", StringComparison.Ordinal)),
                Timeouts.SpansArrive, "the server's 'Lightstep export is on' record");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var checkout = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
        Assert.True(File.Exists(Path.Combine(checkout, "PingAspire.sln")), $"the checkout is {checkout}");
        foreach (var exported in fixture.Lightstep.Telemetry.ExportedText.Concat(fixture.AppHost.DashboardReceiver.Telemetry.ExportedText))
        {
            Assert.DoesNotContain(checkout, exported, StringComparison.Ordinal);
            Assert.DoesNotContain(home + Path.DirectorySeparatorChar, exported, StringComparison.Ordinal);
        }

        Assert.Contains(fixture.Lightstep.Telemetry.ExportedText, text => text.Contains("\"db.namespace\"", StringComparison.Ordinal));
    }
}
