namespace PingAspire.Benchmarks;

// How much of a server's CPU over a window was the runtime compiling. The tiered-compilation worker ends after a few
// idle seconds and a new one starts when there is work again, and an ended thread's CPU leaves /proc with it: so the
// meter reads the threads every 200 ms and keeps, per thread id, the last CPU it saw.
public sealed class TieredCompilationMeter(int pid)
{
    private readonly Dictionary<int, TimeSpan> before = ProcessCpu.TieredCompilationThreads(pid);
    private readonly Dictionary<int, TimeSpan> lastSeen = [];

    public static readonly TimeSpan ReadEvery = TimeSpan.FromMilliseconds(200);

    public void Read()
    {
        foreach (var (thread, cpu) in ProcessCpu.TieredCompilationThreads(pid))
        {
            lastSeen[thread] = cpu;
        }
    }

    public TimeSpan Since() =>
        lastSeen.Aggregate(TimeSpan.Zero, (sum, thread) => sum + thread.Value - before.GetValueOrDefault(thread.Key));
}
