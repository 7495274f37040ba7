using System.Diagnostics;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

public sealed record LoadResult(double[] LatenciesMs, TimeSpan Wall, long AllocatedBytes)
{
    public double Throughput => LatenciesMs.Length / Wall.TotalSeconds;

    public double Percentile(double p) => Percentiles.Of(LatenciesMs, p);

    public double AllocatedPerRequest => (double)AllocatedBytes / LatenciesMs.Length;

    public static LoadResult Combine(IEnumerable<LoadResult> results)
    {
        var all = results.ToList();
        return new LoadResult([.. all.SelectMany(r => r.LatenciesMs)],
            TimeSpan.FromTicks(all.Sum(r => r.Wall.Ticks)), all.Sum(r => r.AllocatedBytes));
    }
}

// A bounded burst of GETs with a client's trace headers, from a few concurrent loops on one pooled HttpClient.
public static class LoadGenerator
{
    public const string Traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    public static HttpClient CreateClient(Uri address) =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = address };

    public static async Task<LoadResult> RunAsync(HttpClient http, string path, int requests, int concurrency)
    {
        var latencies = new double[requests];
        var next = -1;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.TryAddWithoutValidation("traceparent", Traceparent);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if ((int)response.StatusCode >= 500)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
                }
            }
        }));
        wall.Stop();
        return new LoadResult(latencies, wall.Elapsed, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
    }
}
