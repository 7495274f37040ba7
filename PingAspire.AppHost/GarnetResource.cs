using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace PingAspire.AppHost;

// A Redis-compatible server (Microsoft Garnet) run inside the AppHost, for machines without a container runtime.
// It speaks RESP, so the server's StackExchange.Redis code is the same as against a Redis container.
public sealed class GarnetResource(string name) : Resource(name), IResourceWithConnectionString
{
    private GarnetServer? _server;

    public int Port { get; } = FindFreeLoopbackPort();

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public bool IsRunning => _server is not null;

    public void Start()
    {
        if (_server is not null)
        {
            return;
        }

        // Loopback only, and small: this is a demo store, not a cache sized for production.
        _server = new GarnetServer(
        [
            "--bind", IPAddress.Loopback.ToString(),
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--memory", "64m",
            "--index", "16m",
        ]);
        _server.Start();
    }

    public void Stop()
    {
        _server?.Dispose();
        _server = null;
    }

    private static int FindFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
