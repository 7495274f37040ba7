using System.Diagnostics;
using System.Diagnostics.Metrics;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Server.Integrations;

// The dependency half of the server's RED metrics: db.client.operation.duration of every integration's operation,
// failures by their error.type. https://opentelemetry.io/docs/specs/semconv/database/database-metrics/
public sealed class DependencyMetrics : IOperationLayer
{
    private static readonly Histogram<double> Duration = ServerTelemetry.Meter.CreateHistogram(
        "db.client.operation.duration", "s", "Duration of database client operations.", advice: DurationBuckets.Seconds);

    public async Task InvokeAsync(Integration integration, Activity? span, Func<Task> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var tags = new TagList { { "db.system.name", integration.DbSystem }, { "db.operation.name", integration.Operation } };
        try
        {
            await next();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            tags.Add("error.type", exception.GetType().FullName);
            throw;
        }
        finally
        {
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }
}
