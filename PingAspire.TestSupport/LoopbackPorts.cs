using System.Net;
using System.Net.Sockets;

namespace PingAspire.TestSupport;

public static class LoopbackPorts
{
    // A loopback port nobody listens on: connections to it are refused at once, until something binds it.
    public static int Unused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
