using System.Globalization;
using Garnet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PingAspire.Server;
using PingAspire.Server.Apis;
using PingAspire.Server.Integrations;
using PingAspire.ServiceDefaults.Telemetry;

using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

public enum Tracing
{
    Off,
    Manual,
    ManualNoExport,
    Auto,
}

// The server's own endpoints (PingApi) and integrations, hosted in-process on loopback Kestrel, with one of three
// tracing set-ups:
//   off    - no TracerProvider at all;
//   manual - this repository's: hand-built traces, logs and metrics, extract + spans, built-in propagation off;
//   manualnoexport - the same without an exporter: what the spans cost before the batch export's share;
//   auto   - what Aspire's default ServiceDefaults does: ASP.NET Core + HttpClient instrumentation, OTLP exporter.
// /bench/text answers without touching a dependency, so that it shows the tracing cost alone.
public sealed class BenchmarkServer(WebApplication app) : IAsyncDisposable
{
    public const string PlainPath = "/bench/text";

    public Uri Address { get; } = app.ListeningAddress();

    public IServiceProvider Services => app.Services;

    public static async Task<BenchmarkServer> StartAsync(Tracing tracing, Uri otlpEndpoint, Dependencies dependencies)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // The SDK's exporter and batch options read OTEL_* from the process environment, as under the AppHost.
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", tracing == Tracing.ManualNoExport ? null : otlpEndpoint.ToString());
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        Environment.SetEnvironmentVariable("OTEL_BSP_SCHEDULE_DELAY", "1000");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "pingaspire-server",
            ["ConnectionStrings:redis"] = dependencies.RedisConnectionString,
            ["ConnectionStrings:sql"] = dependencies.SqlConnectionString(tracing.ToString()),
        });

        switch (tracing)
        {
            case Tracing.Manual or Tracing.ManualNoExport:
                builder.AddManualTelemetry(ServerTelemetry.SourceName);
                builder.Services.AddSingleton<System.Diagnostics.DistributedContextPropagator>(new NoPropagation());
                break;
            case Tracing.Auto:
                AddAutoInstrumentation(builder);
                break;
        }

        builder.AddIntegrations();
        builder.Services.AddSingleton(new IncomingTraceContext(Restart: false));
        builder.Services.AddSingleton<IOperationLayer, DependencyMetrics>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemTraceId.Add);
        var app = builder.Build();
        app.UseMiddleware<RequestMetrics>();
        app.MapPingApi();
        app.MapGet(PlainPath, () => "pong").WithServerSpan();
        await app.StartAsync();
        return new BenchmarkServer(app);
    }

    // `serve-auto`: the "auto" variant as a process of its own for the requests harness, configured like the real
    // server from its environment (ASPNETCORE_URLS, ConnectionStrings__*, OTEL_EXPORTER_OTLP_*).
    public static async Task<int> ServeAutoAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        AddAutoInstrumentation(builder);
        builder.AddIntegrations();
        builder.Services.AddSingleton(new IncomingTraceContext(Restart: false));
        builder.Services.AddHttpClient(nameof(TraceContextTestApi));
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.MapGet("/health", () => "Healthy");
        app.MapPingApi();
        app.MapTraceContextTestApi();
        await app.RunAsync();
        return 0;
    }

    // What Aspire's default ServiceDefaults does for traces: ASP.NET Core + HttpClient instrumentation, OTLP exporter.
    private static void AddAutoInstrumentation(WebApplicationBuilder builder) =>
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("pingaspire-server"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

// Garnet for /ping, shared by every variant of a run, and a SQLite file for each: servers loaded at once would
// otherwise wait on each other's write lock, and each variant's CPU would carry the others' contention.
public sealed class Dependencies : IDisposable
{
    private readonly GarnetServer _garnet;
    // In memory-backed /dev/shm where there is one: the disk's sync time varies more than what is measured.
    private readonly string _sqliteFolder = Directory.CreateDirectory(Path.Combine(
        Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"pingaspire-bench-{Guid.NewGuid():N}")).FullName;

    public Dependencies()
    {
        var port = LoopbackPorts.Unused();
        RedisConnectionString = $"127.0.0.1:{port}";
        _garnet = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--memory", "64m", "--index", "16m"]);
        _garnet.Start();
    }

    public string RedisConnectionString { get; }

    public string SqlConnectionString(string owner) => $"Data Source={Path.Combine(_sqliteFolder, owner + ".db")}";

    public void Dispose()
    {
        _garnet.Dispose();
        Directory.Delete(_sqliteFolder, recursive: true);
    }
}
