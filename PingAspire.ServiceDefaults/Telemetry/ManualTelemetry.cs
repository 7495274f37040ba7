using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace PingAspire.ServiceDefaults.Telemetry;

// The tutorial's common.py: a resource with a default service name, a TracerProvider, and one BatchSpanProcessor per
// OTLP exporter (the Aspire dashboard, and Lightstep with its access-token header). The SDK reads every OTEL_*
// variable itself; this file adds only what the SDK has no setting for.
public static class ManualTelemetry
{
    public const string DefaultServiceName = "pingaspire-manual-otlp";
    public const string LightstepEndpoint = "https://ingest.lightstep.com:443";
    public const string LightstepTokenHeader = "lightstep-access-token";
    public const string LoggerName = "PingAspire.Telemetry";

    // Each exporter's own time to flush at shutdown; they flush in parallel (see TracingPipeline.Dispose).
    private static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(5);

    public static IHostApplicationBuilder AddManualTelemetry(this IHostApplicationBuilder builder, string activitySourceName)
    {
        // The standard switch: with OTEL_SDK_DISABLED=true no provider exists, so no span is ever recorded.
        if (builder.Configuration.GetValue("OTEL_SDK_DISABLED", false))
        {
            return builder;
        }

        // A DI singleton, so the host disposes it when it stops: that is the final flush.
        builder.Services.AddSingleton(services => Build(
            builder.Configuration, services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName), activitySourceName));
        builder.Services.AddHostedService<StartWithHost>();
        return builder;
    }

    public static TracingPipeline Build(IConfiguration configuration, ILogger logger, string activitySourceName)
    {
        var lossReporter = new SpanLossReporter(logger);
        BatchActivityExportProcessor[] processors =
        [
            .. new[] { CreateDashboardExporter(logger), CreateLightstepExporter(configuration, logger) }
                .OfType<OtlpTraceExporter>()
                .Select(CreateBatchProcessor),
        ];

        var builder = Sdk.CreateTracerProviderBuilder()
            // The SDK's resource detector reads OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME from this configuration.
            .ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(CreateResource())
            // Honour the caller's sampled flag. Set in code because Aspire injects OTEL_TRACES_SAMPLER=always_on,
            // which would record (and propagate as sampled) what the caller chose not to sample.
            .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
            .AddSource(activitySourceName);
        foreach (var processor in processors)
        {
            builder.AddProcessor(processor);
        }

        var provider = builder.Build();
        if (provider.GetResource().Attributes.Any(a => a is { Key: "service.name", Value: DefaultServiceName }))
        {
            logger.LogInformation("Using default service name {ServiceName}", DefaultServiceName);
        }

        return new TracingPipeline(provider, processors, lossReporter, logger);
    }

    // The tutorial's default service name where the SDK's would be unknown_service:<process>. It comes first, so the
    // environment detector's service.name (OTEL_SERVICE_NAME, else OTEL_RESOURCE_ATTRIBUTES) overrides it when set.
    public static ResourceBuilder CreateResource() =>
        ResourceBuilder.CreateEmpty()
            .AddService(DefaultServiceName, autoGenerateServiceInstanceId: false)
            .AddTelemetrySdk()
            .AddEnvironmentVariableDetector();

    // The Aspire dashboard: OtlpExporterOptions reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS (the
    // dashboard's API key: without it every export is answered 401) and _TIMEOUT from the process environment, where
    // the AppHost puts them; so the on/off check reads the same place, not IConfiguration.
    private static OtlpTraceExporter? CreateDashboardExporter(ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            logger.LogInformation("Dashboard export is off: OTEL_EXPORTER_OTLP_ENDPOINT is not set");
            return null;
        }

        var options = new OtlpExporterOptions();
        logger.LogInformation("Dashboard export is on: {Endpoint} ({Protocol})", options.Endpoint, options.Protocol);
        return new OtlpTraceExporter(options);
    }

    // The tutorial's OTLPSpanExporter(endpoint="ingest.lightstep.com:443", headers=(("lightstep-access-token", token),)).
    // .NET's gRPC exporter needs the scheme. Endpoint, protocol and headers are set here so that nothing of the
    // dashboard's settings (its API key above all) reaches Lightstep; only OTEL_EXPORTER_OTLP_TIMEOUT is shared.
    private static OtlpTraceExporter? CreateLightstepExporter(IConfiguration configuration, ILogger logger)
    {
        var token = configuration["LS_ACCESS_TOKEN"];
        if (string.IsNullOrWhiteSpace(token))
        {
            logger.LogInformation("Lightstep export is off: LS_ACCESS_TOKEN is not set");
            return null;
        }

        var endpoint = new Uri(configuration["LS_SATELLITE_URL"] is { Length: > 0 } url ? url : LightstepEndpoint);
        // The token is a secret: it goes into the header and nowhere else, never into a log line.
        logger.LogInformation("Lightstep export is on: {Endpoint}", endpoint);
        return new OtlpTraceExporter(new OtlpExporterOptions
        {
            Protocol = OtlpExportProtocol.Grpc,
            Endpoint = endpoint,
            Headers = $"{LightstepTokenHeader}={token}",
        });
    }

    // One batch processor per exporter, so that a slow or dead backend never delays the other.
    // The options read the standard OTEL_BSP_* variables (Aspire sets a short schedule delay in development).
    private static BatchActivityExportProcessor CreateBatchProcessor(OtlpTraceExporter exporter)
    {
        var options = new BatchExportActivityProcessorOptions();
        return new BatchActivityExportProcessor(exporter, options.MaxQueueSize, options.ScheduledDelayMilliseconds,
            options.ExporterTimeoutMilliseconds, options.MaxExportBatchSize);
    }

    public sealed class TracingPipeline(
        TracerProvider provider, BatchActivityExportProcessor[] processors, SpanLossReporter lossReporter, ILogger logger)
        : IDisposable
    {
        public TracerProvider Provider => provider;

        public SpanLossReporter LossReporter => lossReporter;

        // TracerProvider.Dispose shuts its processors down one after another out of one shared 5 s budget, so a hung
        // first backend would leave the second none. Each gets its own budget here, in parallel; the provider then
        // finds them shut down already. The loss reporter goes last, to report what the final flush dropped.
        public void Dispose()
        {
            var budget = (int)ShutdownBudget.TotalMilliseconds;
            Task.WaitAll([.. processors.Select(processor => Task.Run(() => processor.Shutdown(budget)))]);
            provider.Dispose();
            lossReporter.Dispose();
            // The last line a process writes about its telemetry: what it could not deliver, and that nothing follows.
            logger.LogInformation("Telemetry shut down; {Dropped} spans dropped in all", lossReporter.DroppedSpans);
        }
    }

    // Resolving the pipeline when the host starts builds the provider before the first span.
    private sealed class StartWithHost(TracingPipeline pipeline) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = pipeline;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
