using System.Diagnostics;

namespace PingAspire.Server.Integrations;

// What plugs in around every dependency call, inside its operation span, beyond the tutorial: its duration
// (DependencyMetrics.cs) and faults on demand (Faults.cs), each registered by Program.cs. The first registered is the
// outermost, as with middleware; with none registered, the call runs alone.
public interface IOperationLayer
{
    Task InvokeAsync(Integration integration, Activity? span, Func<Task> next, CancellationToken cancellationToken);
}

public sealed class OperationLayers(IEnumerable<IOperationLayer> layers)
{
    private readonly IOperationLayer[] _layers = [.. layers];

    public Task RunAsync(Integration integration, Activity? span, Func<Task> operation, CancellationToken cancellationToken)
    {
        var call = operation;
        for (var i = _layers.Length - 1; i >= 0; i--)
        {
            var (layer, next) = (_layers[i], call);
            call = () => layer.InvokeAsync(integration, span, next, cancellationToken);
        }

        return call();
    }
}
