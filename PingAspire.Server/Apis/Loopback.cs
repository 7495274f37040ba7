using System.Net;

namespace PingAspire.Server.Apis;

// The endpoints that let a caller break the server (faults) or make it call URLs (the W3C test endpoint) answer
// only callers on this machine.
public static class Loopback
{
    public static bool IsCaller(IPAddress? caller) => caller is not null && IPAddress.IsLoopback(caller);
}
