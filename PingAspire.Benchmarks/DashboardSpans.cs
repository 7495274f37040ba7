using System.Globalization;
using System.Text.Json;

namespace PingAspire.Benchmarks;

// A span as the dashboard's telemetry API returns it, its start in seconds since the AppHost was launched.
public sealed record DashboardSpan(string? Service, string? Id, string? ParentId, double StartSeconds);

// The spans an AppHost's dashboard holds (GET /api/telemetry/traces, OTLP JSON), or none while it is not up yet.
public static class DashboardSpans
{
    public static async Task<List<DashboardSpan>> ReadAsync(HttpClient http, Uri dashboard, DateTimeOffset launched)
    {
        try
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(dashboard, "/api/telemetry/traces")));
            return [..
                from resourceSpans in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray()
                let service = ServiceName(resourceSpans)
                from scopeSpans in resourceSpans.GetProperty("scopeSpans").EnumerateArray()
                from span in scopeSpans.GetProperty("spans").EnumerateArray()
                select new DashboardSpan(service, span.GetProperty("spanId").GetString(),
                    span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null,
                    (DateTimeOffset.UnixEpoch.AddTicks(long.Parse(span.GetProperty("startTimeUnixNano").GetString()!, CultureInfo.InvariantCulture) / 100) - launched).TotalSeconds)];
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return []; // not up yet
        }
    }

    private static string? ServiceName(JsonElement resourceSpans) =>
        resourceSpans.TryGetProperty("resource", out var resource)
            ? resource.GetProperty("attributes").EnumerateArray()
                .Where(a => a.GetProperty("key").GetString() == "service.name")
                .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString())
                .FirstOrDefault()
            : null;
}
