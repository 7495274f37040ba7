using System.Diagnostics;
using PingAspire.ServiceDefaults;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Server.Integrations;

// The span shape of the tutorial's redis_integration / pymongo_integration / sqlalchemy_integration functions:
// an "<name>_integration" span around a "server <name> operation" span, both opened with using (the tutorial's
// `with tracer.start_as_current_span(...)`). DB attributes: https://opentelemetry.io/docs/specs/semconv/database/
// An operation that sends several commands in one call is a batch: db.operation.name "BATCH" (the spec's name when
// they differ) and db.operation.batch.size, https://opentelemetry.io/docs/specs/semconv/database/database-spans/
public abstract class Integration(
    string name, string dbSystem, string operation, int batchSize, ILogger logger, Faults faults, IntegrationSettings settings)
{
    // An outage under load would write one stack trace per request. Instead: the first failure of each interval with
    // its exception, and how many failures the interval before it swallowed. Every span still has its own exception.
    private readonly TimeSpan _logInterval = settings.FailureLogInterval;
    private readonly Lock _logGate = new();
    private long _intervalStart;
    private int _unlogged;

    public string Name => name;

    public abstract bool IsConfigured { get; }

    // False when the dependency failed; the exception is on the span and in the log, never swallowed.
    public async Task<bool> RunAsync(int length, CancellationToken cancellationToken)
    {
        using var integrationSpan = ServerTelemetry.Source.StartActivity($"{name}_integration");
        using var operationSpan = ServerTelemetry.Source.StartActivity($"server {name} operation", ActivityKind.Client);
        operationSpan?.SetTag("db.system.name", dbSystem).SetTag("db.operation.name", operation)
            .SetTag("db.operation.batch.size", batchSize > 1 ? batchSize : null);
        var started = Stopwatch.GetTimestamp();
        var tags = new TagList { { "db.system.name", dbSystem }, { "db.operation.name", operation } };
        try
        {
            await faults.ApplyAsync(name, operationSpan, cancellationToken);
            await ExecuteAsync(operationSpan, length, cancellationToken);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            operationSpan.RecordFailure(exception);
            tags.Add("error.type", exception.GetType().FullName);
            integrationSpan?.SetStatus(ActivityStatusCode.Error, $"{name} failed");
            LogFailure(exception);
            return false;
        }
        finally
        {
            ServerTelemetry.DependencyDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private void LogFailure(Exception exception)
    {
        int unlogged;
        lock (_logGate)
        {
            var now = Stopwatch.GetTimestamp();
            if (_intervalStart != 0 && Stopwatch.GetElapsedTime(_intervalStart, now) < _logInterval)
            {
                _unlogged++;
                return;
            }

            (unlogged, _unlogged, _intervalStart) = (_unlogged, 0, now);
        }

        if (unlogged > 0)
        {
            logger.LogWarning("{Integration} failed {Count} more times within {Seconds} s (each recorded on its span)",
                name, unlogged, _logInterval.TotalSeconds);
        }

        logger.LogWarning(exception, "{Integration} failed", name);
    }

    protected abstract Task ExecuteAsync(Activity? span, int length, CancellationToken cancellationToken);
}

// Server:FailureLogIntervalSeconds (default 10): how often an outage is summarised in the log.
public sealed record IntegrationSettings(TimeSpan FailureLogInterval)
{
    public static IntegrationSettings From(IConfiguration configuration) => new(TimeSpan.FromSeconds(
        configuration.Get("Server:FailureLogIntervalSeconds", 10.0, "a number of seconds greater than 0", seconds => seconds > 0)));
}
