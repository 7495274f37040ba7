namespace PingAspire.Benchmarks;

// How much of a server's CPU over a window was the runtime compiling: the CPU of its tiered-compilation threads (comm
// ".NET Tiered Com", the name cut to 15 characters), the rejit of hot methods, which goes on long after a server
// starts when it has a fifth of a core to do it with. That worker ends after a few idle seconds and a new one starts
// when there is work again, and an ended thread's CPU leaves /proc with it: so the meter reads the threads every
// 200 ms and keeps, per thread id, the last CPU it saw. Each thread's name is read once: the reads run on the load
// core beside wrk, and a server has a few dozen threads.
public sealed class TieredCompilationMeter
{
    public static readonly TimeSpan ReadEvery = TimeSpan.FromMilliseconds(200);

    private readonly string _tasks;
    private readonly Dictionary<string, bool> _compiles = [];
    private readonly Dictionary<string, TimeSpan> _before = [];
    private readonly Dictionary<string, TimeSpan> _lastSeen = [];

    public TieredCompilationMeter(int pid)
    {
        _tasks = $"/proc/{pid}/task";
        Read(_before);
    }

    public void Read() => Read(_lastSeen);

    public TimeSpan Since() =>
        _lastSeen.Aggregate(TimeSpan.Zero, (sum, thread) => sum + thread.Value - _before.GetValueOrDefault(thread.Key));

    private void Read(Dictionary<string, TimeSpan> into)
    {
        foreach (var thread in Directory.Exists(_tasks) ? Directory.GetDirectories(_tasks) : [])
        {
            try
            {
                if (_compiles.TryGetValue(thread, out var compiles)
                    ? compiles
                    : _compiles[thread] = File.ReadAllText(Path.Combine(thread, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                {
                    into[thread] = ProcessCpu.OfStat(Path.Combine(thread, "stat"));
                }
            }
            catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
            {
                // The thread ended between the listing and the read: its last CPU seen stays.
            }
        }
    }
}
