using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;

namespace PingAspire.ServiceDefaults.Telemetry;

// Losing telemetry must never be silent, yet must never hurt the app either. The SDK already counts spans the batch
// queue had to drop (metric otel.sdk.processor.span.processed, error.type=queue_full) and reports failed exports
// through its EventSources; this turns both into log lines, at most one per kind every ReportInterval.
public sealed class SpanLossReporter : EventListener
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private readonly MeterListener _meters = new();
    private readonly Dictionary<string, DateTime> _lastReported = [];
    private ILogger? _logger;
    private long _dropped;
    private long _droppedReported;

    public SpanLossReporter(ILogger logger)
    {
        _logger = logger;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "otel.sdk.processor.span.processed")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>(OnSpansProcessed);
        _meters.Start();
    }

    public long DroppedSpans => Interlocked.Read(ref _dropped);

    // Called by the base constructor, before _logger is set: only subscribe here.
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name.StartsWith("OpenTelemetry-", StringComparison.Ordinal))
        {
            EnableEvents(eventSource, EventLevel.Warning);
        }
    }

    // The metrics SDK also warns about every meter of the runtime it does not listen to (System.Runtime, MsQuic...):
    // by design here (only the process's own Meter is added), so not worth a line.
    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (_logger is not null && e.EventName != "MetricInstrumentIgnored" && ShouldReport($"{e.EventSource.Name}/{e.EventId}"))
        {
            var message = e.Message is null || e.Payload is null
                ? e.EventName
                : string.Format(System.Globalization.CultureInfo.InvariantCulture, e.Message, [.. e.Payload]);
            _logger.LogWarning("OpenTelemetry {EventSource}: {Message}", e.EventSource.Name, message);
        }
    }

    private void OnSpansProcessed(
        Instrument instrument, long count, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "error.type")
            {
                Interlocked.Add(ref _dropped, count);
                if (ShouldReport("dropped"))
                {
                    ReportDropped();
                }

                return;
            }
        }
    }

    private void ReportDropped()
    {
        var dropped = Interlocked.Read(ref _dropped);
        var since = dropped - Interlocked.Exchange(ref _droppedReported, dropped);
        if (since > 0)
        {
            _logger?.LogWarning(
                "Dropped {Count} spans (batch queue full: an exporter is slower than the app); {Total} in all", since, dropped);
        }
    }

    private bool ShouldReport(string kind)
    {
        var now = DateTime.UtcNow;
        lock (_lastReported)
        {
            if (_lastReported.TryGetValue(kind, out var last) && now - last < ReportInterval)
            {
                return false;
            }

            _lastReported[kind] = now;
            return true;
        }
    }

    public override void Dispose()
    {
        _meters.Dispose();
        ReportDropped();
        _logger = null;
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
