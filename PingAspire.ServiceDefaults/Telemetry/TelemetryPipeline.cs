using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace PingAspire.ServiceDefaults.Telemetry;

// The providers and every export stage of one process (ManualTelemetry.cs builds them), as one DI singleton: the host
// disposes it when it stops (e.g. on SIGTERM), and that is the final flush.
public sealed class TelemetryPipeline(
    TracerProvider tracerProvider, MeterProvider meterProvider, Func<int, bool>[] exportStageShutdowns,
    SpanLossReporter lossReporter, ILogger logger) : IDisposable
{
    // Each export stage's own time to flush at shutdown.
    private static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(5);

    public TracerProvider TracerProvider => tracerProvider;

    public SpanLossReporter LossReporter => lossReporter;

    // A provider shuts its processors down one after another out of one shared 5 s budget, so a hung first backend
    // would leave the second none. Each processor and reader gets its own budget here, in parallel; the providers
    // then find them shut down already. The loss reporter goes last, to report what the final flush dropped.
    public void Dispose()
    {
        var budget = (int)ShutdownBudget.TotalMilliseconds;
        Task.WaitAll([.. exportStageShutdowns.Select(shutdown => Task.Run(() => shutdown(budget)))]);
        tracerProvider.Dispose();
        meterProvider.Dispose();
        lossReporter.Dispose();
        // The last line a process writes about its telemetry: what it could not deliver, and that nothing follows.
        logger.LogInformation("Telemetry shut down; {Dropped} spans dropped in all", lossReporter.DroppedSpans);
    }

    // Resolving the pipeline when the host starts builds the providers before the first span.
    internal sealed class StartWithHost(TelemetryPipeline pipeline) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = pipeline;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
