using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PingAspire.Tests.Infrastructure;

// A loopback HTTP server that answers /ping and keeps the headers of every request: what the client really sent.
public sealed class HeaderRecordingServer(WebApplication app, ConcurrentQueue<IHeaderDictionary> requests) : IAsyncDisposable
{
    public Uri Url { get; } = new(app.Services.GetRequiredService<IServer>()
        .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    public IReadOnlyCollection<IHeaderDictionary> Requests => requests;

    public static async Task<HeaderRecordingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var requests = new ConcurrentQueue<IHeaderDictionary>();
        app.MapGet("/ping", (HttpRequest request) =>
        {
            requests.Enqueue(new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value)));
            return "pong";
        });
        await app.StartAsync();
        return new HeaderRecordingServer(app, requests);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
