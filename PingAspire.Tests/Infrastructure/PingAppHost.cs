using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PingAspire.AppHost;
using PingAspire.TestSupport;

namespace PingAspire.Tests.Infrastructure;

// The real AppHost (PingAspire.AppHost/AppHost.cs), started by DistributedApplicationTestingBuilder in its local
// (container-free) mode, with every project's dashboard exporter pointed at an OtlpReceiver of the test.
public sealed class PingAppHost : IAsyncDisposable
{
    private readonly ResourceLogCollector _logs;
    private readonly DirectoryInfo _dataFolder;

    private PingAppHost(DistributedApplication app, OtlpReceiver dashboard, ResourceLogCollector logs, DirectoryInfo dataFolder)
    {
        App = app;
        DashboardReceiver = dashboard;
        _logs = logs;
        _dataFolder = dataFolder;
    }

    public DistributedApplication App { get; }

    // This AppHost's own SQLite file: never the user's (~/.local/share/PingAspire), never another AppHost's.
    public string SqliteFile => Path.Combine(_dataFolder.FullName, "pingaspire.db");

    // Stands in for the Aspire dashboard's OTLP endpoint.
    public OtlpReceiver DashboardReceiver { get; }

    // With the real dashboard: its frontend's login URL (http://localhost:port/login?t=token).
    public Uri DashboardLoginUrl { get; private set; } = null!;

    // Everything server and client wrote to stdout/stderr so far.
    public IReadOnlyCollection<string> LogLines => _logs.Lines;

    // The lines one resource wrote so far (ResourceLogCollector keeps them as "<resource>: <line>").
    public IEnumerable<string> LogLinesOf(string resourceName) =>
        LogLines.Where(line => line.StartsWith($"{resourceName}:", StringComparison.Ordinal));

    public static Task<PingAppHost> StartAsync(params string[] args) => StartAsync(args, configure: null);

    // configure runs after the defaults below, so its environment wins (e.g. a dashboard endpoint that is down).
    // With the real dashboard on, the projects export to it as under `dotnet run`, DashboardLoginUrl opens it, and
    // the receiver gets nothing.
    public static async Task<PingAppHost> StartAsync(
        string[] args, Action<IResourceBuilder<IResourceWithEnvironment>>? configure, bool realDashboard = false)
    {
        using var timeout = new CancellationTokenSource(Timeouts.AppHostStart);
        var dashboard = await OtlpReceiver.StartAsync();
        var dataFolder = Directory.CreateTempSubdirectory("pingaspire-data-");
        var sqlite = $"ConnectionStrings:sql=Data Source={Path.Combine(dataFolder.FullName, "pingaspire.db")}";
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.PingAspire_AppHost>(
            ["Infrastructure=local", "JsClient:Enabled=false", sqlite, .. args],
            (options, _) => options.DisableDashboard = !realDashboard,
            timeout.Token);
        // Resource logs go to the collector; the test output only needs the AppHost's warnings.
        var logs = new ResourceLogCollector();
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddProvider(logs)
            .AddFilter<ResourceLogCollector>(null, LogLevel.Trace));
        // Every resource that exports OTLP: the .NET projects and, when enabled, the JavaScript client.
        foreach (var project in builder.Resources.OfType<IResourceWithEnvironment>().Where(r => r.Annotations.OfType<OtlpExporterAnnotation>().Any()).ToList())
        {
            var resource = builder.CreateResourceBuilder(project);
            if (!realDashboard)
            {
                resource.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", dashboard.Endpoint.ToString())
                    .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
                    .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200")
                    .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "200")
                    .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "500");
            }

            configure?.Invoke(resource);
        }

        var app = await builder.BuildAsync(timeout.Token);
        var host = new PingAppHost(app, dashboard, logs, dataFolder);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ServiceNames.Server, timeout.Token);
        if (realDashboard)
        {
            // The testing builder picks the dashboard's address and login token itself: read back the login URL.
            var running = await app.ResourceNotifications.WaitForResourceAsync(
                "aspire-dashboard", e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.Urls.Length > 0, timeout.Token);
            host.DashboardLoginUrl = new Uri(running.Snapshot.Urls.Single(u => u.Name == "http").Url);
        }

        return host;
    }

    // An HttpClient for direct requests to the server that adds no trace headers of its own: the test process may
    // have an Activity.Current, and HttpClient would otherwise inject it.
    public HttpClient CreateServerClient() =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = App.GetEndpoint(ServiceNames.Server, "http"),
            Timeout = Timeouts.Request,
        };

    // Resource logs reach the AppHost through the orchestrator's log stream, a little after the process wrote them:
    // wait for at least `atLeast` lines of a resource containing `text`, and return how many there are.
    public async Task<int> WaitForLogLinesAsync(string resourceName, string text, int atLeast = 1)
    {
        using var deadline = new CancellationTokenSource(Timeouts.SpansArrive);
        int count;
        while ((count = LogLinesOf(resourceName).Count(line => line.Contains(text, StringComparison.Ordinal))) < atLeast)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{count} of {atLeast} '{text}' lines in the logs of {resourceName} after {Timeouts.SpansArrive.TotalSeconds} s");
            }
        }

        return count;
    }

    // Runs a dashboard command (stop, start, slow-redis...) on a resource, as a user would.
    public async Task ExecuteCommandAsync(string resourceName, string commandName)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Request);
        var result = await App.ResourceCommands.ExecuteCommandAsync(resourceName, commandName, timeout.Token);
        Assert.True(result.Success, $"{commandName} {resourceName}: {result.Message}");
    }

    // Every client of this AppHost (the C# one, and the JavaScript one where it runs) has made its Client:Count
    // requests and exited: its provider was disposed, so everything it ended has been exported.
    public async Task WaitForClientToFinishAsync()
    {
        using var timeout = new CancellationTokenSource(Timeouts.ClientFinishes);
        foreach (var client in new[] { ServiceNames.Client, ServiceNames.JsClient }.Where(HasResource))
        {
            try
            {
                await App.ResourceNotifications.WaitForResourceAsync(client, KnownResourceStates.Finished, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{client} did not finish within {Timeouts.ClientFinishes.TotalSeconds} s");
            }
        }
    }

    public bool HasResource(string name) =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Any(r => r.Name == name);

    // Bounded: a hung stop fails the test saying so, instead of running into CI's time-out.
    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync().WaitAsync(Timeouts.AppHostStop);
            await App.DisposeAsync().AsTask().WaitAsync(Timeouts.AppHostStop);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the AppHost did not stop within {Timeouts.AppHostStop.TotalSeconds} s");
        }
        finally
        {
            await DashboardReceiver.DisposeAsync();
            _dataFolder.Delete(recursive: true);
        }
    }
}
