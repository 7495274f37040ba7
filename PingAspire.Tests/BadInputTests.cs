using System.Net;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using PingAspire.AppHost;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// Hostile and broken trace headers must never hurt the server: no 500, no exception in its logs, and headers over
// Kestrel's limits refused with 431 rather than processed.
// The fuzz test has an AppHost of its own (it stops the server at its end); the header-limit tests use the shared one.
public sealed class BadInputTests(BadInputTests.FuzzAppHost fixture, AppHostFixture shared) : IClassFixture<BadInputTests.FuzzAppHost>
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
        using var http = fixture.AppHost.CreateServerClient();

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
            fixture.AppHost.LogLinesOf(ServiceNames.Server).TakeLast(40)));
        Assert.All(statuses, s => Assert.True(s is 200 or 431, $"status {s}"));

        // Lines reach the test a little after they are written: stop the server and wait for the last line it writes,
        // so that "no exception in the log" is said of the whole log.
        await fixture.AppHost.ExecuteCommandAsync(ServiceNames.Server, KnownResourceCommands.StopCommand);
        await fixture.AppHost.WaitForLogLinesAsync(ServiceNames.Server, "Telemetry shut down");
        var serverLines = fixture.AppHost.LogLinesOf(ServiceNames.Server).ToList();
        Assert.False(
            serverLines.Any(line => line.Contains("Exception", StringComparison.Ordinal) || line.Contains("fail:", StringComparison.Ordinal)),
            string.Join(Environment.NewLine, serverLines));
    }

    [Theory]
    [InlineData("traceparent")]
    [InlineData("tracestate")]
    [InlineData("baggage")]
    public async Task HeadersOverTheServerLimitAreRefusedWith431(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ping");
        request.Headers.TryAddWithoutValidation(header, new string('a', 40 * 1024));

        using var response = await shared.AppHost.CreateServerClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
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

    public sealed class FuzzAppHost : IAsyncLifetime
    {
        public PingAppHost AppHost { get; private set; } = null!;

        public async ValueTask InitializeAsync() => AppHost = await PingAppHost.StartAsync("Client:Count=1");

        public async ValueTask DisposeAsync() => await AppHost.DisposeAsync();
    }
}
