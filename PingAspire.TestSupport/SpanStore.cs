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
    string Scope)
{
    // OTLP span flags: bit 8 says whether the parent's remoteness is known, bit 9 that the parent is remote.
    public bool HasRemoteParent => (Flags & 0x300) == 0x300;

    public string ServiceName => Resource.GetValueOrDefault("service.name", "");
}

// Everything the receiver was sent, flattened into spans, plus the headers of each export call.
public sealed class SpanStore
{
    private readonly Lock _gate = new();
    private readonly List<ReceivedSpan> _spans = [];
    private readonly List<IReadOnlyDictionary<string, string>> _headers = [];
    private TaskCompletionSource _changed = NewSignal();

    public IReadOnlyList<ReceivedSpan> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _spans];
            }
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
                scopeSpans.Scope?.Name ?? "")).ToList();

        TaskCompletionSource changed;
        lock (_gate)
        {
            _spans.AddRange(received);
            _headers.Add(headers);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    // Waits until the condition holds over everything received so far, or fails at the deadline saying what it
    // was waiting for. Woken by each export: no polling interval, no sleep.
    public async Task<T> WaitForAsync<T>(
        Func<IReadOnlyList<ReceivedSpan>, T?> query, TimeSpan timeout, string waitingFor)
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

            if (query(All) is { } result)
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
                    $"Waited {timeout.TotalSeconds:0} s for {waitingFor}; received {All.Count} spans: " +
                    string.Join("; ", All.Take(30).Select(s => $"{s.ServiceName}/{s.Name} {s.TraceId}:{s.SpanId}<-{s.ParentSpanId}")));
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
}
