using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PingAspire.ServiceDefaults.Layers;

namespace PingAspire.ServiceDefaults.Telemetry;

// The tutorial's common.py: a resource with a default service name, a TracerProvider, one BatchSpanProcessor per OTLP
// exporter (the Aspire dashboard; Lightstep with its token header); logs and metrics the same way. The SDK reads OTEL_*.
public static class ManualTelemetry
{
    public const string DefaultServiceName = "pingaspire-manual-otlp";
    public const string LightstepEndpoint = "https://ingest.lightstep.com:443";
    public const string LightstepTokenHeader = "lightstep-access-token";

    // A destination has its own exporter and batch stage per signal: a slow or dead backend never delays the other.
    public sealed record Destination(string Name, OtlpExporterOptions Options, double TraceRatio,
        BaseProcessor<Activity> Spans, BaseProcessor<LogRecord> Logs, MetricReader Metrics);

    public static List<Destination> Destinations(IConfiguration configuration)
    {
        List<Destination> destinations = [];
        var lightstepRatio = ConsistentSampling.Ratio(configuration);   // refused at start even with no token
        // The Aspire dashboard: OtlpExporterOptions reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS (its API key:
        // without it every export is answered 401) and _TIMEOUT from the environment, so the check reads it there too.
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            destinations.Add(Create("Dashboard", new OtlpExporterOptions(), traceRatio: 1));
        }

        // The tutorial's OTLPSpanExporter(endpoint="ingest.lightstep.com:443", headers=(("lightstep-access-token", token),)),
        // with the scheme .NET's gRPC exporter needs. Set here, so that no dashboard setting (its API key) reaches Lightstep.
        if (configuration["LS_ACCESS_TOKEN"] is { } token && !string.IsNullOrWhiteSpace(token))
        {
            destinations.Add(Create("Lightstep", new OtlpExporterOptions
            {
                Protocol = OtlpExportProtocol.Grpc,
                Endpoint = new Uri(configuration["LS_SATELLITE_URL"] is { Length: > 0 } url ? url : LightstepEndpoint),
                Headers = $"{LightstepTokenHeader}={token}",
            }, lightstepRatio));
        }

        return destinations;
    }

    // The tutorial's default service name, where the SDK's would be unknown_service:<process>; first, so that the
    // environment's service.name (OTEL_SERVICE_NAME, else OTEL_RESOURCE_ATTRIBUTES) overrides it.
    public static ResourceBuilder CreateResource() =>
        ResourceBuilder.CreateEmpty()
            .AddService(DefaultServiceName, autoGenerateServiceInstanceId: false)
            .AddTelemetrySdk()
            .AddEnvironmentVariableDetector();

    // Traces and metrics: one provider each, every destination's stage added to it. The SDK's resource detector reads
    // OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME from this configuration.
    public static (TracerProvider Traces, MeterProvider Metrics) Build(IConfiguration configuration, string sourceName, List<Destination> destinations)
    {
        var tracing = Sdk.CreateTracerProviderBuilder().ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(CreateResource()).AddSource(sourceName)
            // Honour the caller's sampled flag. Set in code because Aspire injects OTEL_TRACES_SAMPLER=always_on,
            // which would record (and propagate as sampled) what the caller chose not to sample.
            .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()));
        var metrics = Sdk.CreateMeterProviderBuilder().ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(CreateResource()).AddMeter(sourceName);
        foreach (var destination in destinations)
        {
            tracing.AddProcessor(destination.Spans);
            metrics.AddReader(destination.Metrics);
        }

        return (tracing.Build(), metrics.Build());
    }

    // ILogger records, each stamped with the trace and span id of the span current when it was written.
    public static void AddLogging(ILoggingBuilder logging, List<Destination> destinations)
    {
        logging.AddOpenTelemetry(options =>
        {
            options.IncludeFormattedMessage = true;
            options.SetResourceBuilder(CreateResource());
            destinations.ForEach(destination => options.AddProcessor(destination.Logs));
        });
        // The host's start-up lines name local folders ("Content root path: /home/<user>/..."): console only.
        logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.Hosting.Lifetime", LogLevel.None);
    }

    // The stages' constructors have fixed defaults: their option objects read OTEL_BSP_*, OTEL_BLRP_* and
    // OTEL_METRIC_EXPORT_INTERVAL. A trace ratio below 1 keeps a consistent share of whole traces (ConsistentSampling.cs).
    private static Destination Create(string name, OtlpExporterOptions options, double traceRatio)
    {
        var (spans, logs, metrics) = (new BatchExportActivityProcessorOptions(), new BatchExportLogRecordProcessorOptions(), new PeriodicExportingMetricReaderOptions());
        return new(name, options, traceRatio,
            traceRatio < 1 ? new ConsistentSampling.BatchProcessor(new OtlpTraceExporter(options), traceRatio, spans)
                : new BatchActivityExportProcessor(new OtlpTraceExporter(options), spans.MaxQueueSize, spans.ScheduledDelayMilliseconds, spans.ExporterTimeoutMilliseconds, spans.MaxExportBatchSize),
            new BatchLogRecordExportProcessor(new OtlpLogExporter(options), logs.MaxQueueSize, logs.ScheduledDelayMilliseconds, logs.ExporterTimeoutMilliseconds, logs.MaxExportBatchSize),
            new PeriodicExportingMetricReader(new OtlpMetricExporter(options), metrics.ExportIntervalMilliseconds ?? 60_000, metrics.ExportTimeoutMilliseconds ?? 30_000));
    }
}
