using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using PingAspire.Client;

namespace PingAspire.Tests.Infrastructure;

// The C# client's host as its Program.cs builds it (service defaults, then the client), in-process, aimed at a loopback
// server of the test; the settings are the client's own (Client:*).
public static class ClientHost
{
    public static HostApplicationBuilder Builder(Uri serverUrl, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(
            [new("Client:ServerUrl", serverUrl.ToString()), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))]);
        builder.AddServiceDefaults(ClientTelemetry.SourceName);
        builder.AddPingClient();
        return builder;
    }
}
