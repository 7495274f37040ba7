using Microsoft.Extensions.Options;
using OpenTelemetry;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Client;

// The tutorial's client loop: ping, print "Request to {url}, got {n} bytes", sleep, repeat.
public sealed class PingWorker(
    PingClient client,
    IOptions<ClientOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<PingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Baggage travels with the context: the server shows this id on its span.
        Baggage.SetBaggage(TraceContextCarrier.ClientRunIdKey, Guid.NewGuid().ToString("N"));
        var settings = options.Value;
        var interval = TimeSpan.FromSeconds(settings.IntervalSeconds);

        for (var sent = 1; !stoppingToken.IsCancellationRequested; sent++)
        {
            var result = await client.PingAsync(stoppingToken);
            if (result.Error is null)
            {
                logger.LogInformation(
                    "Request to {Url}, got {Bytes} bytes (status {StatusCode})", result.Url, result.Bytes, result.StatusCode);
            }
            else
            {
                logger.LogWarning("Request to {Url} failed: {Error}", result.Url, result.Error);
            }

            if (settings.Count > 0 && sent >= settings.Count)
            {
                logger.LogInformation("Sent {Count} requests; stopping", sent);
                lifetime.StopApplication();
                return;
            }

            await Task.Delay(interval, stoppingToken);
        }
    }
}
