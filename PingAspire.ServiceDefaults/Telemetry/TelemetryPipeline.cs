using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace PingAspire.ServiceDefaults.Telemetry;

// The providers and every export stage of one process (ManualTelemetry.cs builds them), as one DI singleton: the host
// disposes it when it stops (e.g. on SIGTERM), and that is the final flush.
public sealed class TelemetryPipeline(
    TracerProvider tracerProvider, MeterProvider meterProvider, Func<int, bool>[] exportStageShutdowns,
    SdkWarnings warnings, ILogger logger) : IHostedService, IDisposable
{
    // Each export stage's own time to flush at shutdown.
    private const int ShutdownBudgetMilliseconds = 5_000;

    public TracerProvider TracerProvider => tracerProvider;

    public long DroppedSpans => warnings.DroppedSpans;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // A provider shuts its processors down one after another out of one shared 5 s budget, so a hung first backend
    // would leave the second none. Each processor and reader gets its own budget here, in parallel; the providers
    // then find them shut down already. The warnings go last, to report what the final flush dropped.
    public void Dispose()
    {
        Task.WaitAll([.. exportStageShutdowns.Select(shutdown => Task.Run(() => shutdown(ShutdownBudgetMilliseconds)))]);
        tracerProvider.Dispose();
        meterProvider.Dispose();
        warnings.Dispose();
        // The log exporters are shut down by now: this last line reaches the console, not the backends.
        logger.LogInformation("Telemetry shut down; {Dropped} spans dropped in all", warnings.DroppedSpans);
    }
}
