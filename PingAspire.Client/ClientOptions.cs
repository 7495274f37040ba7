namespace PingAspire.Client;

// Bound from the "Client" configuration section (the AppHost forwards Client:* to this process).
public sealed class ClientOptions
{
    public const string SectionName = "Client";

    // Resolved through Aspire service discovery: "pingaspire-server" is the AppHost's resource name.
    public Uri ServerUrl { get; set; } = new("http://pingaspire-server");

    public double IntervalSeconds { get; set; } = 5;

    // A request to a server that is gone may hang on an accepting proxy: bound it, record it, move on.
    public double TimeoutSeconds { get; set; } = 10;

    // 0 means forever.
    public int Count { get; set; }

    // Off only to prove the point: without the hand-written inject, client and server spans land in two traces.
    public bool PropagateTraceContext { get; set; } = true;
}
