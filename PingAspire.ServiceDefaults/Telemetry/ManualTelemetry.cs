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
        if (builder.Configuration.GetValue("OTEL_SDK_DISABLED", false))
        {
            return builder;
        }

        // Logs: ILogger records, each stamped with the trace and span id of the span current when it was written.
        var destinations = Destinations(builder.Configuration);
        BatchLogRecordExportProcessor[] logProcessors =
            [.. destinations.Select(d => new BatchLogRecordExportProcessor(new OtlpLogExporter(d.Options)))];
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.SetResourceBuilder(CreateResource());
            foreach (var processor in logProcessors)
            {
                logging.AddProcessor(processor);
            }
        });

        // Traces and metrics: a DI singleton, so the host disposes it when it stops: that is the final flush.
        builder.Services.AddSingleton(services => Build(builder.Configuration,
            services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName), sourceName, destinations, logProcessors));
        builder.Services.AddHostedService<TelemetryPipeline.StartWithHost>();
        return builder;
    }

    public static TelemetryPipeline Build(IConfiguration configuration, ILogger logger, string sourceName) =>
        Build(configuration, logger, sourceName, Destinations(configuration), []);

    private static TelemetryPipeline Build(IConfiguration configuration, ILogger logger, string sourceName,
        Destination[] destinations, BatchLogRecordExportProcessor[] logProcessors)
    {
        foreach (var (name, offBecause) in new[] { ("Dashboard", "OTEL_EXPORTER_OTLP_ENDPOINT"), ("Lightstep", "LS_ACCESS_TOKEN") })
        {
            // The Lightstep token is in the options' headers, never in this line.
            if (destinations.SingleOrDefault(d => d.Name == name) is { } on)
            {
                logger.LogInformation("{Destination} export is on: {Endpoint} ({Protocol})", name, on.Options.Endpoint, on.Options.Protocol);
            }
            else
            {
                logger.LogInformation("{Destination} export is off: {Setting} is not set", name, offBecause);
            }
        }

        var lossReporter = new SpanLossReporter(logger);
        BatchActivityExportProcessor[] spanProcessors =
            [.. destinations.Select(d => CreateBatchProcessor(new OtlpTraceExporter(d.Options)))];
        var tracing = Sdk.CreateTracerProviderBuilder()
            // The SDK's resource detector reads OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME from this configuration.
            .ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(CreateResource())
            // Honour the caller's sampled flag. Set in code because Aspire injects OTEL_TRACES_SAMPLER=always_on,
            // which would record (and propagate as sampled) what the caller chose not to sample.
            .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
            .AddSource(sourceName);
        foreach (var processor in spanProcessors)
        {
            tracing.AddProcessor(processor);
        }

        // One periodic reader per exporter; the options read OTEL_METRIC_EXPORT_INTERVAL (Aspire sets 1 s).
        var readerOptions = new PeriodicExportingMetricReaderOptions();
        PeriodicExportingMetricReader[] metricReaders =
        [
            .. destinations.Select(d => new PeriodicExportingMetricReader(new OtlpMetricExporter(d.Options),
                readerOptions.ExportIntervalMilliseconds ?? 60_000, readerOptions.ExportTimeoutMilliseconds ?? 30_000)),
        ];
        var metrics = Sdk.CreateMeterProviderBuilder()
            .ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(CreateResource())
            .AddMeter(sourceName);
        foreach (var reader in metricReaders)
        {
            metrics.AddReader(reader);
        }

        var tracerProvider = tracing.Build();
        if (tracerProvider.GetResource().Attributes.Any(a => a is { Key: "service.name", Value: DefaultServiceName }))
        {
            logger.LogInformation("Using default service name {ServiceName}", DefaultServiceName);
        }

        Func<int, bool>[] shutdowns =
        [
            .. spanProcessors.Select(p => (Func<int, bool>)p.Shutdown),
            .. metricReaders.Select(r => (Func<int, bool>)r.Shutdown),
            .. logProcessors.Select(p => (Func<int, bool>)p.Shutdown),
        ];
        return new TelemetryPipeline(tracerProvider, metrics.Build(), shutdowns, lossReporter, logger);
    }

    // The tutorial's default service name where the SDK's would be unknown_service:<process>. It comes first, so the
    // environment detector's service.name (OTEL_SERVICE_NAME, else OTEL_RESOURCE_ATTRIBUTES) overrides it when set.
    public static ResourceBuilder CreateResource() =>
        ResourceBuilder.CreateEmpty()
            .AddService(DefaultServiceName, autoGenerateServiceInstanceId: false)
            .AddTelemetrySdk()
            .AddEnvironmentVariableDetector();

    private sealed record Destination(string Name, OtlpExporterOptions Options);

    private static Destination[] Destinations(IConfiguration configuration) =>
        [.. new[] { Dashboard(), Lightstep(configuration) }.OfType<Destination>()];

    // The Aspire dashboard: OtlpExporterOptions reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS (the
    // dashboard's API key: without it every export is answered 401) and _TIMEOUT from the process environment, where
    // the AppHost puts them; so the on/off check reads the same place, not IConfiguration.
    private static Destination? Dashboard() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
            ? null
            : new Destination("Dashboard", new OtlpExporterOptions());

    // The tutorial's OTLPSpanExporter(endpoint="ingest.lightstep.com:443", headers=(("lightstep-access-token", token),)).
    // .NET's gRPC exporter needs the scheme. Endpoint, protocol and headers are set here so that nothing of the
    // dashboard's settings (its API key above all) reaches Lightstep; only OTEL_EXPORTER_OTLP_TIMEOUT is shared.
    private static Destination? Lightstep(IConfiguration configuration) =>
        configuration["LS_ACCESS_TOKEN"] is { } token && !string.IsNullOrWhiteSpace(token)
            ? new Destination("Lightstep", new OtlpExporterOptions
            {
                Protocol = OtlpExportProtocol.Grpc,
                Endpoint = new Uri(configuration["LS_SATELLITE_URL"] is { Length: > 0 } url ? url : LightstepEndpoint),
                Headers = $"{LightstepTokenHeader}={token}",
            })
            : null;

    // One batch processor per exporter, so that a slow or dead backend never delays the other.
    // The options read the standard OTEL_BSP_* variables (Aspire sets a short schedule delay in development).
    private static BatchActivityExportProcessor CreateBatchProcessor(OtlpTraceExporter exporter)
    {
        var options = new BatchExportActivityProcessorOptions();
        return new BatchActivityExportProcessor(exporter, options.MaxQueueSize, options.ScheduledDelayMilliseconds,
            options.ExporterTimeoutMilliseconds, options.MaxExportBatchSize);
    }
}
