namespace PingAspire.TestSupport;

public static class Percentiles
{
    // Nearest-rank percentile (p in 0..1) of a set of latencies.
    public static double Of(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
