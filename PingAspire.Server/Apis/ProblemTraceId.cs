using System.Diagnostics;

namespace PingAspire.Server.Apis;

// Problem details carry a traceId, by default that of ASP.NET Core's hidden request Activity, which is in no exported
// trace. This makes it the SERVER span's 32-hex trace id (ServerSpan.cs keeps the span under Key), which the
// dashboard's and Lightstep's trace search accept.
public static class ProblemTraceId
{
    public static readonly object Key = new();

    public static void Add(ProblemDetailsContext context)
    {
        if (context.HttpContext.Items[Key] is Activity span)
        {
            context.ProblemDetails.Extensions["traceId"] = span.TraceId.ToHexString();
        }
    }
}
