using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PingAspire.AppHost;

// WithHttpHealthCheck, answered as soon as the server is: Aspire asks a resource's health checks once when its process
// starts and then only seconds apart, so a server ready just after the first question stays "unhealthy" until the next,
// and so waits every resource that WaitFor()s it (the client, 0.9 s of the first trace: TimeToFirstTraceHarness). This
// check asks again every 100 ms, for up to 10 s, before it answers "unhealthy".
public static class PromptHealthCheck
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(100);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    public static IResourceBuilder<ProjectResource> WithPromptHttpHealthCheck(this IResourceBuilder<ProjectResource> project, string path)
    {
        var endpoint = project.GetEndpoint("http");
        var key = $"{project.Resource.Name}_http_{path}";
        project.ApplicationBuilder.Services.AddHealthChecks()
            .AddAsyncCheck(key, cancellationToken => CheckAsync(new Uri(new Uri(endpoint.Url), path), cancellationToken));
        return project.WithHealthCheck(key);
    }

    private static async Task<HealthCheckResult> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(Window);
        var last = "no answer yet";
        try
        {
            while (true)
            {
                try
                {
                    using var response = await Http.GetAsync(url, window.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return HealthCheckResult.Healthy();
                    }

                    last = $"{url} answered {(int)response.StatusCode}";
                }
                catch (Exception exception) when (exception is HttpRequestException
                    || (exception is TaskCanceledException && !window.IsCancellationRequested))
                {
                    last = $"{url}: {exception.Message}";
                }

                await Task.Delay(Retry, window.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(last);
        }
    }
}
