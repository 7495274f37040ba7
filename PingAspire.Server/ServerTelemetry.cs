using System.Diagnostics;

namespace PingAspire.Server;

// One ActivitySource for the whole server, named after the assembly (the tutorial's trace.get_tracer(__name__)).
public static class ServerTelemetry
{
    public const string SourceName = "PingAspire.Server";

    public static readonly ActivitySource Source = new(SourceName);
}
