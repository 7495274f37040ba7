using Aspire.Hosting;
using PingAspire.TestSupport;

namespace PingAspire.Tests.Infrastructure;

// The one shared AppHost, in the tutorial's configuration: local infrastructure (Garnet + SQLite, no MongoDB), both
// clients making RequestCount requests each and exiting, Lightstep export (every trace) pointed at a second receiver of
// the test, and the server's W3C test endpoint on (the AppHost never turns it on: the test sets it on the projects)
// with a loopback harness to call back.
public sealed class AppHostFixture : IAsyncLifetime
{
    public const int RequestCount = 100;

    public string LightstepToken { get; } = $"ls-test-{Guid.NewGuid():N}";

    public PingAppHost AppHost { get; private set; } = null!;

    public OtlpReceiver Lightstep { get; private set; } = null!;

    public HeaderRecordingServer Harness { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Lightstep = await OtlpReceiver.StartAsync();
        Harness = await HeaderRecordingServer.StartAsync();
        AppHost = await PingAppHost.StartAsync(
            [
                .. BothClients(RequestCount),
                $"LS_ACCESS_TOKEN={LightstepToken}",
                $"LS_SATELLITE_URL={Lightstep.Endpoint}",
            ],
            project => project.WithEnvironment("TraceContextTest__Enabled", "true"));
    }

    public async ValueTask DisposeAsync()
    {
        await AppHost.DisposeAsync();
        await Harness.DisposeAsync();
        await Lightstep.DisposeAsync();
    }

    // Both clients, C# and JavaScript, making `count` requests each as fast as they can, then exiting.
    public static string[] BothClients(int count) =>
    [
        $"Client:Count={count}", "Client:IntervalSeconds=0.01",
        "JsClient:Enabled=true", $"JsClient:Count={count}", "JsClient:IntervalSeconds=0.01",
    ];
}
