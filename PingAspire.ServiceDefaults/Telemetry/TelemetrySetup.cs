using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PingAspire.ServiceDefaults.Layers;

namespace PingAspire.ServiceDefaults.Telemetry;

// What a host needs around the hand-built telemetry (ManualTelemetry.cs), none of it the tutorial's: the standard off
// switch, a line saying where each signal goes, the SDK's warnings as log lines (SdkWarnings.cs), and a shutdown that
// gives every export stage its own budget.
public static class TelemetrySetup
{
    public const string LoggerName = "PingAspire.Telemetry";

    // sourceName names both the process's ActivitySource and its Meter. OTEL_SDK_DISABLED=true: nothing is built.
    public static IHostApplicationBuilder AddManualTelemetry(this IHostApplicationBuilder builder, string sourceName)
    {
        if (!builder.Configuration.Get("OTEL_SDK_DISABLED", false, "true or false"))
        {
            var destinations = ManualTelemetry.Destinations(builder.Configuration);
            ManualTelemetry.AddLogging(builder.Logging, destinations);
            // A singleton, so that the host disposes it when it stops (the final flush); a hosted service, so that it is
            // built at start, not when the first span needs it.
            builder.Services.AddSingleton(services => Start(
                builder.Configuration, services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName), sourceName, destinations));
            builder.Services.AddHostedService(services => services.GetRequiredService<TelemetryLifetime>());
        }

        return builder;
    }

    public static TelemetryLifetime Start(IConfiguration configuration, ILogger logger, string sourceName, List<ManualTelemetry.Destination>? destinations = null)
    {
        destinations ??= ManualTelemetry.Destinations(configuration);
        // The Lightstep token is in the options' headers, never in these lines.
        foreach (var (name, setting) in new[] { ("Dashboard", "OTEL_EXPORTER_OTLP_ENDPOINT"), ("Lightstep", "LS_ACCESS_TOKEN") })
        {
            var state = destinations.Find(d => d.Name == name) is { } on
                ? $"on: {on.Options.Endpoint} ({on.Options.Protocol}){(on.TraceRatio < 1 ? $", {on.TraceRatio:P0} of traces" : "")}"
                : $"off: {setting} is not set";
            logger.LogInformation("{Destination} export is {State}", name, state);
        }

        var warnings = new SdkWarnings(logger);
        var (traces, metrics) = ManualTelemetry.Build(configuration, sourceName, destinations);
        if (traces.GetResource().Attributes.Any(a => a is { Key: "service.name", Value: ManualTelemetry.DefaultServiceName }))
        {
            logger.LogInformation("Using default service name {ServiceName}", ManualTelemetry.DefaultServiceName); // the tutorial's print
        }

        return new TelemetryLifetime(traces, metrics, destinations, warnings, logger);
    }
}

// The providers and export stages of one process while it runs.
public sealed class TelemetryLifetime(TracerProvider tracerProvider, MeterProvider meterProvider,
    List<ManualTelemetry.Destination> destinations, SdkWarnings warnings, ILogger logger) : IHostedService, IDisposable
{
    private const int ShutdownBudgetMilliseconds = 5_000; // each export stage's own, at shutdown

    public TracerProvider TracerProvider => tracerProvider;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Kept although the SDK shuts its processors down itself: a provider does so one after another out of one shared
    // budget, so a hung first backend would leave the second none. Here every stage gets its own budget, all at once.
    public void Dispose()
    {
        Task.WaitAll([.. destinations.SelectMany(d => new Func<int, bool>[] { d.Spans.Shutdown, d.Logs.Shutdown, d.Metrics.Shutdown })
            .Select(shutdown => Task.Run(() => shutdown(ShutdownBudgetMilliseconds)))]);
        tracerProvider.Dispose();
        meterProvider.Dispose();
        warnings.Dispose(); // last, to report what the final flush dropped
        // The log exporters are shut down by now: this last line reaches the console, not the backends.
        logger.LogInformation("Telemetry shut down; {Dropped} spans dropped in all", warnings.DroppedSpans);
    }
}
