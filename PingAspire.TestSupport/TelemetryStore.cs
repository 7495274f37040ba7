using System.Globalization;
using Google.Protobuf;
using PingAspire.TestSupport.Otlp;

namespace PingAspire.TestSupport;

public sealed record ReceivedSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    Span.Types.SpanKind Kind,
    string TraceState,
    uint Flags,
    Status.Types.StatusCode StatusCode,
    string StatusMessage,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<string> EventNames,
    IReadOnlyDictionary<string, string> Resource,
    string Scope,
    TimeSpan Duration,
    IReadOnlyList<(string TraceId, string SpanId)> Links)
{
    // OTLP span flags: bit 8 says whether the parent's remoteness is known, bit 9 that the parent is remote.
    public bool HasRemoteParent => (Flags & 0x300) == 0x300;

    public string ServiceName => Resource.GetValueOrDefault("service.name", "");
}

// A log record as exported: the trace and span it was written in, its severity and body.
public sealed record ReceivedLog(
    string TraceId,
    string SpanId,
    string SeverityText,
    string Body,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> Resource);

// One data point of a metric: a histogram's count of measurements (and their sum), or a sum's or gauge's value.
public sealed record ReceivedMetricPoint(
    string Name,
    string Unit,
    double Value,
    double Sum,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> Resource,
    string Scope);

// Everything the receiver was sent (spans, log records, metric points), plus the headers of each trace export call.
public sealed class TelemetryStore
{
    private readonly Lock _gate = new();
    private readonly List<ReceivedSpan> _spans = [];
    private readonly List<ReceivedLog> _logs = [];
    private readonly List<ReceivedMetricPoint> _metricPoints = [];
    private readonly List<IReadOnlyDictionary<string, string>> _headers = [];
    private readonly List<string> _exportedText = [];
    private readonly Dictionary<string, int> _exportsByService = [];
    private TaskCompletionSource _changed = NewSignal();

    public IReadOnlyList<ReceivedSpan> Spans => Snapshot(_spans);

    public IReadOnlyList<ReceivedLog> Logs => Snapshot(_logs);

    public IReadOnlyList<ReceivedMetricPoint> MetricPoints => Snapshot(_metricPoints);

    // Every export request as received (spans with their events, log records, metric points, resources), as text.
    public IReadOnlyList<string> ExportedText => Snapshot(_exportedText);

    // How many export requests (of any signal) came from a service: its export clock, for "could it have arrived yet".
    public int ExportsFrom(string serviceName)
    {
        lock (_gate)
        {
            return _exportsByService.GetValueOrDefault(serviceName);
        }
    }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> ExportHeaders
    {
        get
        {
            lock (_gate)
            {
                return [.. _headers];
            }
        }
    }

    public void Add(ExportTraceServiceRequest request, IReadOnlyDictionary<string, string> headers)
    {
        var received = (
            from resourceSpans in request.ResourceSpans
            let resource = Flatten(resourceSpans.Resource?.Attributes ?? [])
            from scopeSpans in resourceSpans.ScopeSpans
            from span in scopeSpans.Spans
            select new ReceivedSpan(
                Hex(span.TraceId),
                Hex(span.SpanId),
                Hex(span.ParentSpanId),
                span.Name,
                span.Kind,
                span.TraceState,
                span.Flags,
                span.Status?.Code ?? Status.Types.StatusCode.Unset,
                span.Status?.Message ?? "",
                Flatten(span.Attributes),
                span.Events.Select(e => e.Name).ToList(),
                resource,
                scopeSpans.Scope?.Name ?? "",
                TimeSpan.FromTicks((long)(span.EndTimeUnixNano - span.StartTimeUnixNano) / 100),
                span.Links.Select(l => (Hex(l.TraceId), Hex(l.SpanId))).ToList())).ToList();

        Append(request, request.ResourceSpans.Select(r => r.Resource), () =>
        {
            _spans.AddRange(received);
            _headers.Add(headers);
        });
    }

    public void Add(ExportLogsServiceRequest request)
    {
        var received = (
            from resourceLogs in request.ResourceLogs
            let resource = Flatten(resourceLogs.Resource?.Attributes ?? [])
            from scopeLogs in resourceLogs.ScopeLogs
            from log in scopeLogs.LogRecords
            select new ReceivedLog(
                Hex(log.TraceId), Hex(log.SpanId), log.SeverityText, Render(log.Body), Flatten(log.Attributes), resource)).ToList();
        Append(request, request.ResourceLogs.Select(r => r.Resource), () => _logs.AddRange(received));
    }

    public void Add(ExportMetricsServiceRequest request)
    {
        var received = (
            from resourceMetrics in request.ResourceMetrics
            let resource = Flatten(resourceMetrics.Resource?.Attributes ?? [])
            from scopeMetrics in resourceMetrics.ScopeMetrics
            from metric in scopeMetrics.Metrics
            from point in Points(metric)
            select new ReceivedMetricPoint(metric.Name, metric.Unit, point.Value, point.Sum, point.Attributes, resource, scopeMetrics.Scope?.Name ?? "")).ToList();
        Append(request, request.ResourceMetrics.Select(r => r.Resource), () => _metricPoints.AddRange(received));
    }

    private static IEnumerable<(double Value, double Sum, IReadOnlyDictionary<string, string> Attributes)> Points(Metric metric) =>
        metric.DataCase switch
        {
            Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Select(p => ((double)p.Count, p.Sum, (IReadOnlyDictionary<string, string>)Flatten(p.Attributes))),
            Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Select(p => (Number(p), Number(p), (IReadOnlyDictionary<string, string>)Flatten(p.Attributes))),
            Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Select(p => (Number(p), Number(p), (IReadOnlyDictionary<string, string>)Flatten(p.Attributes))),
            _ => [],
        };

    private static double Number(NumberDataPoint point) =>
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;

    private void Append(IMessage request, IEnumerable<Resource?> resources, Action add)
    {
        TaskCompletionSource changed;
        var text = request.ToString() ?? "";
        var services = resources.Select(r => Flatten(r?.Attributes ?? []).GetValueOrDefault("service.name", "")).Distinct().ToList();
        lock (_gate)
        {
            add();
            _exportedText.Add(text);
            foreach (var service in services)
            {
                _exportsByService[service] = _exportsByService.GetValueOrDefault(service) + 1;
            }

            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    // Waits until the condition holds over everything received so far, or fails at the deadline saying what it
    // was waiting for. Woken by each export: no polling interval, no sleep.
    public Task<T> WaitForAsync<T>(
        Func<IReadOnlyList<ReceivedSpan>, T?> query, TimeSpan timeout, string waitingFor)
        where T : class =>
        WaitUntilAsync(() => query(Spans), timeout, waitingFor);

    // The same over anything received (log records, metric points): woken by each export.
    public async Task<T> WaitUntilAsync<T>(Func<T?> probe, TimeSpan timeout, string waitingFor)
        where T : class
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (probe() is { } result)
            {
                return result;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"Waited {timeout.TotalSeconds:0} s for {waitingFor}; received {Spans.Count} spans: " +
                    string.Join("; ", Spans.Take(30).Select(s => $"{s.ServiceName}/{s.Name} {s.TraceId}:{s.SpanId}<-{s.ParentSpanId}")));
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static Dictionary<string, string> Flatten(IEnumerable<KeyValue> attributes) =>
        attributes.ToDictionary(a => a.Key, a => Render(a.Value));

    private static string Render(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };

    private IReadOnlyList<T> Snapshot<T>(List<T> items)
    {
        lock (_gate)
        {
            return [.. items];
        }
    }
}
