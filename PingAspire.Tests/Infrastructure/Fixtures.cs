using Aspire.Hosting;
using PingAspire.TestSupport;

namespace PingAspire.Tests.Infrastructure;

// The AppHosts besides the shared one (AppHostFixture), each shared by the test classes of its collection: an AppHost
// start costs 6-30 s here, so a configuration is started once, for every test that needs it.

// Both clients with their inject off, two server replicas, and a Lightstep endpoint but no token.
public sealed class InjectionOffAppHost : IAsyncLifetime
{
    public const int RequestCount = 2;

    public PingAppHost AppHost { get; private set; } = null!;

    public OtlpReceiver Lightstep { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Lightstep = await OtlpReceiver.StartAsync();
        AppHost = await PingAppHost.StartAsync(
            "Client:PropagateTraceContext=false",
            $"Client:Count={RequestCount}",
            "Client:IntervalSeconds=0.2",
            "JsClient:Enabled=true",
            "JsClient:PropagateTraceContext=false",
            $"JsClient:Count={RequestCount}",
            "JsClient:IntervalSeconds=0.2",
            "Server:Replicas=2",
            $"LS_SATELLITE_URL={Lightstep.Endpoint}");
    }

    public async ValueTask DisposeAsync()
    {
        await AppHost.DisposeAsync();
        await Lightstep.DisposeAsync();
    }
}

[CollectionDefinition(nameof(InjectionOffAppHost))]
public sealed class InjectionOffCollection : ICollectionFixture<InjectionOffAppHost>;

// Dependencies and processes stopped and started again, with a client that keeps looping. Every test leaves what it
// stopped running again (in finally), so their order does not matter. Failure logs are summarised every 2 s. The
// batch queues hold a whole burst (MaxQueueSpans): what is tested here is the flush at a stop, not overload, and on a
// machine busy with other AppHosts the exporter can fall far behind a burst.
public sealed class FaultsAppHost : IAsyncLifetime
{
    public const int MaxQueueSpans = 200_000;
    public static readonly TimeSpan FailureLogInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ClientInterval = TimeSpan.FromSeconds(0.2);

    public PingAppHost AppHost { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        AppHost = await PingAppHost.StartAsync(
            [
                $"Client:IntervalSeconds={ClientInterval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                "Client:TimeoutSeconds=1",
                $"Server:FailureLogIntervalSeconds={FailureLogInterval.TotalSeconds}",
            ],
            project => project.WithEnvironment("OTEL_BSP_MAX_QUEUE_SIZE", MaxQueueSpans.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public async ValueTask DisposeAsync() => await AppHost.DisposeAsync();
}

[CollectionDefinition(nameof(FaultsAppHost))]
public sealed class FaultsCollection : ICollectionFixture<FaultsAppHost>;

// What a developer's machine holds when the AppHost starts: settings exported by the shell (which the suite clears
// first: they must reach nothing) and a Lightstep token in the AppHost's user secrets (which must reach both
// projects). The server restarts every caller's trace (Server:IncomingTraceContext=restart). The projects export to the
// real dashboard, as under `dotnet run` (RestartedTraceBrowserTests opens it); the tests read the Lightstep receiver.
public sealed class OutsideSettingsAppHost : IAsyncLifetime
{
    public string UserSecretToken { get; } = $"user-secret-{Guid.NewGuid():N}";

    public PingAppHost AppHost { get; private set; } = null!;

    // Stands in for ingest.lightstep.com, a developer's own collector and Redis: it counts who connects.
    public BlackHoleListener Outside { get; } = new();

    public OtlpReceiver Lightstep { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> Exported { get; private set; } = null!;

    public IReadOnlyList<string> Cleared { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Lightstep = await OtlpReceiver.StartAsync();
        Exported = new Dictionary<string, string>
        {
            ["LS_ACCESS_TOKEN"] = "developer-token",
            ["LS_SATELLITE_URL"] = Outside.Endpoint.ToString(),
            ["DOTNET_LS_ACCESS_TOKEN"] = "developer-token",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Outside.Endpoint.ToString(),
            ["ConnectionStrings__redis"] = $"127.0.0.1:{Outside.Port}",
            ["Client__ServerUrl"] = Outside.Endpoint.ToString(),
        };
        foreach (var (name, value) in Exported)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Cleared = HermeticEnvironment.Clear();
        // No other AppHost starts meanwhile (one collection at a time), so none reads this file but ours.
        var secrets = UserSecrets.Write(new Dictionary<string, string> { ["LS_ACCESS_TOKEN"] = UserSecretToken, ["LS_SATELLITE_URL"] = Lightstep.Endpoint.ToString() });
        try
        {
            AppHost = await PingAppHost.StartAsync(["Client:Count=1", "Server:IncomingTraceContext=restart"], configure: null, realDashboard: true);
        }
        finally
        {
            File.Delete(secrets);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AppHost.DisposeAsync();
        await Lightstep.DisposeAsync();
        Outside.Dispose();
    }
}

[CollectionDefinition(nameof(OutsideSettingsAppHost))]
public sealed class OutsideSettingsCollection : ICollectionFixture<OutsideSettingsAppHost>;

// Both clients, RequestCount requests each, with Lightstep sent a quarter of the traces (LS_TRACES_SAMPLE_RATIO).
public sealed class SampledAppHost : IAsyncLifetime
{
    public const int RequestCount = 100;
    public const double LightstepSampleRatio = 0.25;

    public PingAppHost AppHost { get; private set; } = null!;

    public OtlpReceiver Lightstep { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Lightstep = await OtlpReceiver.StartAsync();
        AppHost = await PingAppHost.StartAsync(
            [
                .. AppHostFixture.BothClients(RequestCount),
                "LS_ACCESS_TOKEN=sampled-test-token",
                $"LS_SATELLITE_URL={Lightstep.Endpoint}",
                $"LS_TRACES_SAMPLE_RATIO={LightstepSampleRatio.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            ],
            configure: null);
    }

    public async ValueTask DisposeAsync()
    {
        await AppHost.DisposeAsync();
        await Lightstep.DisposeAsync();
    }
}

[CollectionDefinition(nameof(SampledAppHost))]
public sealed class SampledCollection : ICollectionFixture<SampledAppHost>;
