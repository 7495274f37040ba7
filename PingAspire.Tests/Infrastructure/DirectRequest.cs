using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;

namespace PingAspire.Tests.Infrastructure;

// A request made by the test straight to the server, marked with a unique baggage entry so that the test can find
// the server's span for it even when that span starts a new trace.
public sealed class DirectRequest
{
    // The baggage entry the server shows on its span.
    public const string MarkerKey = ClientRunId.BaggageKey;

    public string Marker { get; } = Guid.NewGuid().ToString("N");

    public List<(string Name, string Value)> Headers { get; } = [];

    public DirectRequest With(string name, string value)
    {
        Headers.Add((name, value));
        return this;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (!Headers.Any(h => h.Name == "baggage"))
        {
            request.Headers.TryAddWithoutValidation("baggage", $"{MarkerKey}={Marker}");
        }

        return await client.SendAsync(request);
    }

    public Task<ReceivedSpan> ServerSpanAsync(TelemetryStore spans) =>
        spans.WaitForServerSpanAsync(s => s.Attributes.GetValueOrDefault(MarkerKey) == Marker, $"the server span of request {Marker}");
}
