using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using PingAspire.ServiceDefaults.Layers;

namespace PingAspire.Server.Apis;

// Server:IncomingTraceContext: what the SERVER span takes from the caller's headers. "continue" (the tutorial's, the
// default): the caller's trace, sampled flag and baggage. "restart", for a service at the edge that does not trust
// its callers (https://www.w3.org/TR/trace-context/#security-considerations): a new root trace whose sampling is
// this server's own decision, a span link to the caller's span so that its trace can still be found, and none of the
// caller's baggage (its keys and values are the caller's to choose: data this server would then carry on, and put
// on its spans, without knowing what it is).
public sealed record IncomingTraceContext(bool Restart)
{
    public const string Setting = "Server:IncomingTraceContext";

    public static IncomingTraceContext From(IConfiguration configuration) =>
        new(configuration.Get(Setting, "continue", "continue or restart", mode => mode is "continue" or "restart") == "restart");

    // The parent, links and baggage of the SERVER span for what was extracted from the request.
    public (ActivityContext Parent, ActivityLink[] Links, Baggage Baggage) Apply(PropagationContext caller) =>
        !Restart ? (caller.ActivityContext, [], caller.Baggage)
        : caller.ActivityContext.IsValid() ? (default, [new ActivityLink(caller.ActivityContext)], default)
        : (default, [], default);
}
