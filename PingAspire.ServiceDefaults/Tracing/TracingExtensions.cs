using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace PingAspire.ServiceDefaults.Tracing;

// The tutorial's common.py: one TracerProvider per process, built by hand, no auto-instrumentation.
public static class TracingExtensions
{
    public static IHostApplicationBuilder AddManualTracing(this IHostApplicationBuilder builder, string activitySourceName)
    {
        // Registered through a factory so that the container owns the provider and disposes it last:
        // Dispose => Shutdown => every batch processor flushes what is still queued.
        builder.Services.AddSingleton(services =>
            new SpanLossReporter(services.GetRequiredService<ILoggerFactory>().CreateLogger("PingAspire.Tracing")));
        builder.Services.AddSingleton(services =>
            BuildTracerProvider(builder.Configuration, services.GetRequiredService<ILoggerFactory>(), activitySourceName));
        builder.Services.AddHostedService<TracerProviderStarter>();
        return builder;
    }

    public static TracerProvider BuildTracerProvider(IConfiguration configuration, ILoggerFactory loggerFactory, string activitySourceName)
    {
        var logger = loggerFactory.CreateLogger("PingAspire.Tracing");
        var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ServiceResource.Create(configuration, logger))
            // Honour the caller's sampled flag. Set in code because Aspire injects OTEL_TRACES_SAMPLER=always_on,
            // which would record (and propagate as sampled) what the caller chose not to sample.
            .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
            .AddSource(activitySourceName);

        OtlpTraceExporter?[] exporters =
        [
            DashboardExporter.Create(configuration, logger),
            LightstepExporter.Create(configuration, logger),
        ];
        foreach (var exporter in exporters.OfType<OtlpTraceExporter>())
        {
            provider.AddProcessor(CreateBatchProcessor(exporter, configuration));
        }

        return provider.Build();
    }

    // One batch processor per exporter, so that a slow or dead backend never delays the other.
    // OTEL_BSP_* are the SDK's standard knobs; Aspire sets a short schedule delay in development.
    private static BatchActivityExportProcessor CreateBatchProcessor(OtlpTraceExporter exporter, IConfiguration configuration) =>
        new(
            exporter,
            maxQueueSize: configuration.GetValue("OTEL_BSP_MAX_QUEUE_SIZE", 2048),
            scheduledDelayMilliseconds: configuration.GetValue("OTEL_BSP_SCHEDULE_DELAY", 5000),
            exporterTimeoutMilliseconds: configuration.GetValue("OTEL_BSP_EXPORT_TIMEOUT", 30000),
            maxExportBatchSize: configuration.GetValue("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512));

    // Taking the provider as a dependency builds it when the host starts, before the first span. The loss reporter
    // (created alongside) is disposed after the provider, so it reports what the final flush could not deliver.
    private sealed class TracerProviderStarter(SpanLossReporter lossReporter, TracerProvider provider) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = (lossReporter, provider);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
