using System.Globalization;

namespace PingAspire.Benchmarks;

// A process's own CPU time, all threads, user + system, as the OS counts it (/proc/<pid>/stat, fields 14 and 15, in
// clock ticks), and the cores it may run on (taskset). CPU time does not depend on what else shares the machine the way
// latency does, so it is the unit the request harness reports.
public static class ProcessCpu
{
    // sysconf(_SC_CLK_TCK): 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    // On 2 cores the server gets one of its own; wrk, the OTLP sink (this process) and everything else the other.
    public static bool CanSplitCores => OperatingSystem.IsLinux() && Environment.ProcessorCount >= 2 && AppHost.ProgramsOnPath.Contains("taskset");

    public const string ServerCore = "1";
    public const string LoadCore = "0";

    public static void PinThisProcessToTheLoadCore()
    {
        if (OperatingSystem.IsLinux() && CanSplitCores)
        {
            System.Diagnostics.Process.GetCurrentProcess().ProcessorAffinity = 1;
        }
    }
}
