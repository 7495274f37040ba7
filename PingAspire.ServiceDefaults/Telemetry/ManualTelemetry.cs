using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace PingAspire.ServiceDefaults.Telemetry;

// The tutorial's common.py: a resource with a default service name, a TracerProvider, and one BatchSpanProcessor per
// OTLP exporter (the Aspire dashboard, and Lightstep with its access-token header) — and the same two destinations,
// built the same way, for logs and metrics. The SDK reads every OTEL_* variable itself; this file adds only what the
// SDK has no setting for.
public static class ManualTelemetry
{
    public const string DefaultServiceName = "pingaspire-manual-otlp";
    public const string LightstepEndpoint = "https://ingest.lightstep.com:443";
    public const string LightstepTokenHeader = "lightstep-access-token";
    public const string LoggerName = "PingAspire.Telemetry";

    // sourceName names both the process's ActivitySource and its Meter.
    public static IHostApplicationBuilder AddManualTelemetry(this IHostApplicationBuilder builder, string sourceName)
    {
        // The standard switch: with OTEL_SDK_DISABLED=true nothing is built, so nothing is recorded or exported.
        if (builder.Configuration.Get("OTEL_SDK_DISABLED", false, "true or false"))
        {
            return builder;
        }

        // Logs: ILogger records, each stamped with the trace and span id of the span current when it was written.
        var destinations = Destinations(builder.Configuration);
        var lightstepRatio = LightstepSampleRatio(builder.Configuration);
        List<Func<int, bool>> shutdowns = [];
        BatchLogRecordExportProcessor[] logProcessors =
            [.. destinations.Values.Select(d => Tracked(shutdowns, new BatchLogRecordExportProcessor(new OtlpLogExporter(d)), p => p.Shutdown))];
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.SetResourceBuilder(CreateResource());
            foreach (var processor in logProcessors)
            {
                logging.AddProcessor(processor);
            }
        });
        // The host's start-up lines name local folders ("Content root path: /home/<user>/..."): console only.
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.Hosting.Lifetime", LogLevel.None);

        // Traces and metrics: a DI singleton, so the host disposes it when it stops: that is the final flush. Nothing
        // else resolves it before the first span needs it: as a hosted service, it is built at start.
        builder.Services.AddSingleton(services => Build(builder.Configuration,
            services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName), sourceName, destinations, lightstepRatio, shutdowns));
        builder.Services.AddHostedService(services => services.GetRequiredService<TelemetryPipeline>());
        return builder;
    }

    public static TelemetryPipeline Build(IConfiguration configuration, ILogger logger, string sourceName) =>
        Build(configuration, logger, sourceName, Destinations(configuration), LightstepSampleRatio(configuration), []);

    private static TelemetryPipeline Build(IConfiguration configuration, ILogger logger, string sourceName,
        Dictionary<string, OtlpExporterOptions> destinations, double lightstepRatio, List<Func<int, bool>> shutdowns)
    {
        // The Lightstep token is in the options' headers, never in these lines.
        foreach (var (name, setting) in new[] { ("Dashboard", "OTEL_EXPORTER_OTLP_ENDPOINT"), ("Lightstep", "LS_ACCESS_TOKEN") })
        {
            logger.LogInformation("{Destination} export is {State}", name,
                destinations.TryGetValue(name, out var on) ? $"on: {on.Endpoint} ({on.Protocol}){(name == "Lightstep" && lightstepRatio < 1 ? $", {lightstepRatio:P0} of traces" : "")}" : $"off: {setting} is not set");
        }

        var tracing = Sdk.CreateTracerProviderBuilder()
            // The SDK's resource detector reads OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME from this configuration.
            .ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(CreateResource())
            // Honour the caller's sampled flag. Set in code because Aspire injects OTEL_TRACES_SAMPLER=always_on,
            // which would record (and propagate as sampled) what the caller chose not to sample.
            .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
            .AddSource(sourceName);
        var metrics = Sdk.CreateMeterProviderBuilder()
            .ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(CreateResource())
            .AddMeter(sourceName);
        // The processors' and readers' constructors have fixed defaults: these options objects are what read
        // OTEL_BSP_* and OTEL_METRIC_EXPORT_INTERVAL (Aspire shortens both in development).
        var batch = new BatchExportActivityProcessorOptions();
        var periodic = new PeriodicExportingMetricReaderOptions();
        foreach (var (name, destination) in destinations)
        {
            // One batch processor (and one metric reader) per exporter: a slow or dead backend never delays the other.
            var exporter = new OtlpTraceExporter(destination);
            tracing.AddProcessor(Tracked(shutdowns, name == "Lightstep" && lightstepRatio < 1
                ? new ConsistentSampling.BatchProcessor(exporter, lightstepRatio, batch)
                : new BatchActivityExportProcessor(exporter, batch.MaxQueueSize, batch.ScheduledDelayMilliseconds,
                    batch.ExporterTimeoutMilliseconds, batch.MaxExportBatchSize), p => p.Shutdown));
            metrics.AddReader(Tracked(shutdowns, new PeriodicExportingMetricReader(new OtlpMetricExporter(destination),
                periodic.ExportIntervalMilliseconds ?? 60_000, periodic.ExportTimeoutMilliseconds ?? 30_000), r => r.Shutdown));
        }

        var warnings = new SdkWarnings(logger);
        var tracerProvider = tracing.Build();
        if (tracerProvider.GetResource().Attributes.Any(a => a is { Key: "service.name", Value: DefaultServiceName }))
        {
            logger.LogInformation("Using default service name {ServiceName}", DefaultServiceName);
        }

        return new TelemetryPipeline(tracerProvider, metrics.Build(), [.. shutdowns], warnings, logger);
    }

    // Every export stage is shut down by TelemetryPipeline, each within its own budget.
    private static T Tracked<T>(List<Func<int, bool>> shutdowns, T stage, Func<T, Func<int, bool>> shutdown)
    {
        shutdowns.Add(shutdown(stage));
        return stage;
    }

    // The tutorial's default service name where the SDK's would be unknown_service:<process>. It comes first, so the
    // environment detector's service.name (OTEL_SERVICE_NAME, else OTEL_RESOURCE_ATTRIBUTES) overrides it when set.
    public static ResourceBuilder CreateResource() =>
        ResourceBuilder.CreateEmpty()
            .AddService(DefaultServiceName, autoGenerateServiceInstanceId: false)
            .AddTelemetrySdk()
            .AddEnvironmentVariableDetector();

    // Lightstep's share of the traces (ConsistentSampling.cs); the dashboard's is all. Metrics and logs: never sampled.
    private static double LightstepSampleRatio(IConfiguration configuration) =>
        configuration.Get(ConsistentSampling.RatioSetting, 1.0, "a number from 0 to 1", ratio => ratio is >= 0 and <= 1);

    private static Dictionary<string, OtlpExporterOptions> Destinations(IConfiguration configuration)
    {
        Dictionary<string, OtlpExporterOptions> destinations = [];
        // The Aspire dashboard: OtlpExporterOptions reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS (the
        // dashboard's API key: without it every export is answered 401) and _TIMEOUT from the process environment,
        // where the AppHost puts them; so the on/off check reads the same place, not IConfiguration.
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            destinations["Dashboard"] = new OtlpExporterOptions();
        }

        // The tutorial's OTLPSpanExporter(endpoint="ingest.lightstep.com:443", headers=(("lightstep-access-token", token),)).
        // .NET's gRPC exporter needs the scheme. Endpoint, protocol and headers are set here so that nothing of the
        // dashboard's settings (its API key above all) reaches Lightstep; only OTEL_EXPORTER_OTLP_TIMEOUT is shared.
        if (configuration["LS_ACCESS_TOKEN"] is { } token && !string.IsNullOrWhiteSpace(token))
        {
            destinations["Lightstep"] = new OtlpExporterOptions
            {
                Protocol = OtlpExportProtocol.Grpc,
                Endpoint = new Uri(configuration["LS_SATELLITE_URL"] is { Length: > 0 } url ? url : LightstepEndpoint),
                Headers = $"{LightstepTokenHeader}={token}",
            };
        }

        return destinations;
    }
}
