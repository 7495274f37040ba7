using OpenTelemetry;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Client;

// The tutorial's client loop: ping (which prints "Request to {url}, got {n} bytes" inside its span), sleep, repeat.
public sealed class PingWorker(
    PingClient client,
    ServerReadiness readiness,
    ClientOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<PingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Baggage travels with the context: the server shows this id on its span.
        Baggage.SetBaggage(ClientRunId.BaggageKey, Guid.NewGuid().ToString("N"));
        var interval = TimeSpan.FromSeconds(options.IntervalSeconds);
        await readiness.WaitAsync(stoppingToken);

        for (var sent = 1; !stoppingToken.IsCancellationRequested; sent++)
        {
            await client.PingAsync(stoppingToken);
            if (options.Count > 0 && sent >= options.Count)
            {
                logger.LogInformation("Sent {Count} requests; stopping", sent);
                lifetime.StopApplication();
                return;
            }

            await Task.Delay(interval, stoppingToken);
        }
    }
}
