using System.Runtime.CompilerServices;
using PingAspire.TestSupport;

namespace PingAspire.Tests.Infrastructure;

// Runs before any test code: the suite must pass, and reach nothing but its own loopback receivers, whatever the
// developer's shell exports (LS_ACCESS_TOKEN above all). See PingAspire.TestSupport/HermeticEnvironment.cs.
internal static class ClearOutsideSettings
{
    public static IReadOnlyList<string> Cleared { get; private set; } = [];

    [ModuleInitializer]
    internal static void Run() => Cleared = HermeticEnvironment.Clear();
}
