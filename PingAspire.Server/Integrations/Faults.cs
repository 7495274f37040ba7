using System.Collections.Concurrent;
using System.Diagnostics;

namespace PingAspire.Server.Integrations;

// Faults a learner switches on from the dashboard (the AppHost's commands call Apis/FaultsApi.cs): a dependency made
// slow, or failing some of its calls. Each injected fault is named on its operation span (pingaspire.fault), so an
// injected failure is never mistaken for a real one.
public sealed class Faults
{
    public const string Attribute = "pingaspire.fault";

    private readonly ConcurrentDictionary<string, Fault> _active = new();

    public void Set(string dependency, Fault fault) => _active[dependency] = fault;

    public void Clear() => _active.Clear();

    public async Task ApplyAsync(string dependency, Activity? span, CancellationToken cancellationToken)
    {
        if (!_active.TryGetValue(dependency, out var fault))
        {
            return;
        }

        if (fault.Latency > TimeSpan.Zero)
        {
            span?.SetTag(Attribute, "latency");
            await Task.Delay(fault.Latency, cancellationToken);
        }

        if (Random.Shared.NextDouble() < fault.FailureRate)
        {
            span?.SetTag(Attribute, "failure");
            throw new InjectedFaultException($"Injected failure of {dependency} (a fault command; clear it with clear-faults).");
        }
    }
}

public sealed record Fault(TimeSpan Latency, double FailureRate);

public sealed class InjectedFaultException(string message) : Exception(message);
