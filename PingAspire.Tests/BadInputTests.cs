using System.Net;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using PingAspire.AppHost;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// Hostile and broken trace headers must never hurt the server: no 500, no exception in its logs, and headers over
// Kestrel's limits refused with 431 rather than processed. On the shared AppHost.
public sealed class BadInputTests(AppHostFixture shared)
{
    private const int GeneratedRequests = 10_000;
    private const int Concurrency = 4;
    private const string ValidTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    [Fact]
    public async Task TenThousandGeneratedTraceHeadersCauseNoServerError()
    {
        var random = new Random(20261126);
        var cases = Enumerable.Range(0, GeneratedRequests).Select(_ => new[]
        {
            ("traceparent", Generate(random, ValidTraceparent)),
            ("tracestate", Generate(random, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")),
            ("baggage", Generate(random, "pingaspire.client.run_id=abc,userId=alice%20b")),
        }).ToArray();
        var statuses = new int[cases.Length];
        using var http = shared.AppHost.CreateServerClient();
        var telemetry = shared.AppHost.DashboardReceiver.Telemetry;
        var logsBefore = telemetry.Logs.Count;

        await Parallel.ForAsync(0, cases.Length,
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = TestContext.Current.CancellationToken },
            async (i, cancellationToken) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/redis/1");
                foreach (var (name, value) in cases[i])
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using var response = await http.SendAsync(request, cancellationToken);
                statuses[i] = (int)response.StatusCode;
            });

        var byStatus = statuses.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        TestContext.Current.TestOutputHelper?.WriteLine($"statuses: {string.Join(", ", byStatus.Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(!statuses.Any(s => s >= 500), string.Join(Environment.NewLine,
            shared.AppHost.LogLinesOf(ServiceNames.Server).TakeLast(40)));
        Assert.All(statuses, s => Assert.True(s is 200 or 431, $"status {s}"));

        // The server's log records (exported over OTLP, in order) of the fuzz are all here once it has exported twice
        // more: not one carries an exception or is an error.
        await telemetry.WaitForTwoMoreExportsAsync(ServiceNames.Server, "the fuzz");
        // Only the records of the fuzz's own requests: other tests on the shared AppHost make the server log errors on
        // purpose (the W3C tests' call to a closed port), and theirs arrive while the fuzz runs.
        var fuzzTraces = telemetry.Spans
            .Where(s => s.ServiceName == ServiceNames.Server && s.Attributes.GetValueOrDefault("url.path") == "/redis/1")
            .Select(s => s.TraceId).ToHashSet();
        Assert.NotEmpty(fuzzTraces);
        var failures = telemetry.Logs.Skip(logsBefore)
            .Where(l => l.Resource["service.name"] == ServiceNames.Server && fuzzTraces.Contains(l.TraceId)
                && (l.SeverityText is "Error" or "Critical" || l.Attributes.ContainsKey("exception.type")))
            .ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Select(f => $"{f.TraceId} {f.SpanId} {f.Body}")));
    }

    [Theory]
    [InlineData("traceparent")]
    [InlineData("tracestate")]
    [InlineData("baggage")]
    public async Task HeadersOverTheServerLimitAreRefusedWith431(string header)
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ping");
        request.Headers.TryAddWithoutValidation(header, new string('a', 40 * 1024));
        if (header != "traceparent")
        {
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        }

        using var http = shared.AppHost.CreateServerClient();
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        // Refused before any code of ours runs: no span. A request after it has its span exported, and the server's
        // queue keeps order: a span of the refused one would be there by then.
        var after = new DirectRequest();
        using (await after.SendAsync(http, "/redis/1"))
        {
            await after.ServerSpanAsync(shared.AppHost.DashboardReceiver.Telemetry);
        }

        Assert.DoesNotContain(shared.AppHost.DashboardReceiver.Telemetry.Spans, s => s.TraceId == traceId);
        Assert.DoesNotContain(shared.AppHost.DashboardReceiver.Telemetry.Spans, s => s.Kind == TestSupport.Otlp.Span.Types.SpanKind.Server && s.Attributes.GetValueOrDefault("http.response.status_code") == "431");
    }

    // A third each: printable garbage, a valid value with a few mutations, and an oversized (but under the limit) one.
    private static string Generate(Random random, string valid) => random.Next(3) switch
    {
        0 => RandomPrintable(random, random.Next(0, 200)),
        1 => Mutate(random, valid),
        _ => string.Concat(Enumerable.Repeat(Mutate(random, valid) + ",", random.Next(50, 150))),
    };

    private static string Mutate(Random random, string valid)
    {
        var chars = new StringBuilder(valid);
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(3))
            {
                case 0: chars[at] = RandomChar(random); break;
                case 1: chars.Insert(at, RandomChar(random)); break;
                default: chars.Remove(at, 1); break;
            }
        }

        return chars.ToString();
    }

    private static string RandomPrintable(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => RandomChar(random)).ToArray());

    // Visible ASCII and space: what an HTTP/1.1 header value can carry.
    private static char RandomChar(Random random) => (char)random.Next(0x20, 0x7F);
}
