using System.Collections.Concurrent;
using System.Diagnostics;

namespace PingAspire.Server.Integrations;

// Faults a learner switches on from the dashboard (the AppHost's commands call Apis/FaultsApi.cs): a dependency made
// slow, or failing some of its calls, inside its operation span. Each injected fault is named on the span
// (pingaspire.fault), so an injected failure is never mistaken for a real one.
public sealed class Faults : IOperationLayer
{
    public const string Attribute = "pingaspire.fault";

    private readonly ConcurrentDictionary<string, Fault> _active = new();

    public void Set(string dependency, Fault fault) => _active[dependency] = fault;

    public void Clear() => _active.Clear();

    public async Task InvokeAsync(Integration integration, Activity? span, Func<Task> next, CancellationToken cancellationToken)
    {
        if (_active.TryGetValue(integration.Name, out var fault))
        {
            await ApplyAsync(integration.Name, fault, span, cancellationToken);
        }

        await next();
    }

    private static async Task ApplyAsync(string dependency, Fault fault, Activity? span, CancellationToken cancellationToken)
    {
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
