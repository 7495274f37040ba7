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

    // Chosen free, but only bound when Garnet starts: another process may take it in between. A failed start picks
    // a new one, and the connection string (read when a dependent starts) follows it.
    public int Port { get; private set; } = FindFreeLoopbackPort();

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public void Start()
    {
        if (_server is not null)
        {
            return;
        }

        // Loopback only, and small: this is a demo store, not a cache sized for production.
        GarnetServer? server = null;
        try
        {
            server = new GarnetServer(
            [
                "--bind", IPAddress.Loopback.ToString(),
                "--port", Port.ToString(CultureInfo.InvariantCulture),
                "--memory", "64m",
                "--index", "16m",
            ]);
            server.Start();
            _server = server;
        }
        catch
        {
            server?.Dispose();
            Port = FindFreeLoopbackPort();
            throw;
        }
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
