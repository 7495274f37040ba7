namespace PingAspire.Client;

// The AppHost starts this client beside the server (WaitForStart, not WaitFor: the two start-ups overlap instead of
// queueing), so the client itself holds its first request until the server's /health answers: /ping never reaches a
// server that is not ready. Like WaitFor, it waits as long as it takes, and says every 10 s what it is waiting for.
public sealed class ServerReadiness(IHttpClientFactory factory, ClientOptions options, ILogger<ServerReadiness> logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Report = TimeSpan.FromSeconds(10);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        // A client of its own: no span, no request metric, only the service discovery every client has.
        using var http = factory.CreateClient(nameof(ServerReadiness));
        http.Timeout = TimeSpan.FromSeconds(2);
        var health = new Uri(options.ServerUrl, "/health");
        var reported = TimeProvider.System.GetTimestamp();
        while (true)
        {
            string reason;
            try
            {
                using var response = await http.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                reason = $"status {(int)response.StatusCode}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                reason = exception.Message;
            }

            if (TimeProvider.System.GetElapsedTime(reported) >= Report)
            {
                logger.LogInformation("Waiting for the server to be ready at {Url}: {Reason}", health, reason);
                reported = TimeProvider.System.GetTimestamp();
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }
}
