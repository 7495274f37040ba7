using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace PingAspire.ServiceDefaults.Layers;

// Every warning of the OpenTelemetry SDK (failed exports, ...) and every span its batch queues dropped, as log lines, at
// most one per kind every 10 s: losing telemetry is never silent, never a flood. Kept although the SDK has
// self-diagnostics: those write every event, unthrottled, to a file or the console, and never the drops, which the SDK
// only counts on its meter. Failures arrive through its EventSources, drops through that meter.
public sealed class SdkWarnings : EventListener
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private readonly MeterListener _meters = new();
    private readonly ConcurrentDictionary<string, DateTime> _nextReport = new();
    private ILogger? _logger;
    private long _dropped;
    private long _droppedReported;

    public SdkWarnings(ILogger logger)
    {
        _logger = logger;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "otel.sdk.processor.span.processed")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        // A span the processor did not export is counted with an error.type (queue_full).
        _meters.SetMeasurementEventCallback<long>((_, count, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "error.type" && Interlocked.Add(ref _dropped, count) > 0 && IsDue("dropped"))
                {
                    ReportDropped();
                }
            }
        });
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

    // The metrics SDK also warns about every runtime meter it does not listen to: by design here, not worth a line.
    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (_logger is not null && e.EventName != "MetricInstrumentIgnored" && IsDue($"{e.EventSource.Name}/{e.EventId}"))
        {
            var message = e.Message is null || e.Payload is null ? e.EventName : string.Format(CultureInfo.InvariantCulture, e.Message, [.. e.Payload]);
            _logger.LogWarning("OpenTelemetry {EventSource}: {Message}", e.EventSource.Name, message);
        }
    }

    private void ReportDropped()
    {
        var dropped = Interlocked.Read(ref _dropped);
        if (dropped - Interlocked.Exchange(ref _droppedReported, dropped) is var since and > 0)
        {
            _logger?.LogWarning("Dropped {Count} spans (batch queue full: an exporter is slower than the app); {Total} in all", since, dropped);
        }
    }

    private bool IsDue(string kind)
    {
        var (now, next) = (DateTime.UtcNow, _nextReport.GetOrAdd(kind, DateTime.MinValue));
        return now >= next && _nextReport.TryUpdate(kind, now + ReportInterval, next);
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
