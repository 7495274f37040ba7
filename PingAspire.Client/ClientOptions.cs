using PingAspire.ServiceDefaults.Layers;

namespace PingAspire.Client;

// The "Client" configuration section (the AppHost forwards Client:* to this process), read and checked at start: a
// bad value stops the process with one line naming it (an interval of 0 would spin, a relative URL fail every request).
public sealed record ClientOptions(Uri ServerUrl, double IntervalSeconds, double TimeoutSeconds, int Count, bool PropagateTraceContext)
{
    public static ClientOptions From(IConfiguration configuration) => new(
        // Resolved through Aspire service discovery: "pingaspire-server" is the AppHost's resource name.
        configuration.Get("Client:ServerUrl", new Uri("http://pingaspire-server"), "an absolute http or https URL",
            url => url is { IsAbsoluteUri: true, Scheme: "http" or "https" }),
        configuration.Get("Client:IntervalSeconds", 5.0, "a number of seconds greater than 0", seconds => seconds > 0),
        // A request to a server that is gone may hang on an accepting proxy: bound it, record it, move on.
        configuration.Get("Client:TimeoutSeconds", 10.0, "a number of seconds greater than 0", seconds => seconds > 0),
        configuration.Get("Client:Count", 0, "0 (forever) or a positive number of requests", count => count >= 0),
        // Off only to prove the point: without the hand-written inject, client and server spans land in two traces.
        configuration.Get("Client:PropagateTraceContext", true, "true or false"));
}
