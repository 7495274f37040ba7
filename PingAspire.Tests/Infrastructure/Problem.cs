using System.Net.Http.Json;

namespace PingAspire.Tests.Infrastructure;

// An RFC 9457 problem+json body as the server writes it (traceId: the server span's 32-hex trace id).
public sealed record Problem(string? Title, string? Detail, int? Status, string? TraceId);

public static class ProblemResponses
{
    public static async Task<Problem> ReadProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<Problem>(TestContext.Current.CancellationToken))!;
    }
}
