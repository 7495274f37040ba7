using System.Diagnostics;

namespace PingAspire.Client;

// One ActivitySource for the whole client, named after the assembly (the tutorial's trace.get_tracer(__name__)).
public static class ClientTelemetry
{
    public const string SourceName = "PingAspire.Client";

    public static readonly ActivitySource Source = new(SourceName);
}
