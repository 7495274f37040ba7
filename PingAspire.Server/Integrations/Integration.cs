using System.Diagnostics;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Server.Integrations;

// The span shape of the tutorial's redis_integration / pymongo_integration / sqlalchemy_integration: an
// "<name>_integration" span around a "server <name> operation" span, both opened with using (the tutorial's
// `with tracer.start_as_current_span(...)`). Several commands in one call are a batch: db.operation.name "BATCH" and
// db.operation.batch.size, https://opentelemetry.io/docs/specs/semconv/database/database-spans/
public abstract class Integration(string name, string dbSystem, string operation, int batchSize, OperationLayers layers, FailureLog failureLog)
{
    public string Name => name;

    public string DbSystem => dbSystem;

    public string Operation => operation;

    public abstract bool IsConfigured { get; }

    // False when the dependency failed; the exception is on the span and in the log, never swallowed.
    public async Task<bool> RunAsync(int length, CancellationToken cancellationToken)
    {
        using var integrationSpan = ServerTelemetry.Source.StartActivity($"{name}_integration");
        using var operationSpan = ServerTelemetry.Source.StartActivity($"server {name} operation", ActivityKind.Client);
        operationSpan?.SetTag("db.system.name", dbSystem).SetTag("db.operation.name", operation)
            .SetTag("db.operation.batch.size", batchSize > 1 ? batchSize : null);
        try
        {
            await layers.RunAsync(this, operationSpan, () => ExecuteAsync(operationSpan, length, cancellationToken), cancellationToken);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            operationSpan.RecordFailure(exception);
            integrationSpan?.SetStatus(ActivityStatusCode.Error, $"{name} failed");
            failureLog.Write(this, exception);
            return false;
        }
    }

    protected abstract Task ExecuteAsync(Activity? span, int length, CancellationToken cancellationToken);
}
