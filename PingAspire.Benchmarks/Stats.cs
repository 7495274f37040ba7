using System.Globalization;

namespace PingAspire.Benchmarks;

// What every harness reports per figure over its runs: the median, and the min–max spread beside it.
public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Spread(IEnumerable<double> values, string format) =>
        $"{values.Min().ToString(format, CultureInfo.InvariantCulture)}–{values.Max().ToString(format, CultureInfo.InvariantCulture)}";
}
