using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PingAspire.TestSupport;

namespace PingAspire.Tests.Infrastructure;

public sealed record RecordedRequest(string Method, string Path, IHeaderDictionary Headers);

// A loopback HTTP server that answers every request with "pong" (or the status statusFor gives it) and keeps its method,
// path and headers: what the caller really sent.
public sealed class HeaderRecordingServer(WebApplication app, ConcurrentQueue<RecordedRequest> requests) : IAsyncDisposable
{
    public Uri Url { get; } = app.ListeningAddress();

    public IReadOnlyCollection<RecordedRequest> Requests => requests;

    public static async Task<HeaderRecordingServer> StartAsync(Func<RecordedRequest, int>? statusFor = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var requests = new ConcurrentQueue<RecordedRequest>();
        app.Run(async context =>
        {
            var request = context.Request;
            var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "",
                new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value)));
            requests.Enqueue(recorded);
            context.Response.StatusCode = statusFor?.Invoke(recorded) ?? StatusCodes.Status200OK;
            await context.Response.WriteAsync("pong");
        });
        await app.StartAsync();
        return new HeaderRecordingServer(app, requests);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
