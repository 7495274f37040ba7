using System.Diagnostics;
using System.Globalization;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// A process's own CPU time, all threads, user + system, as the OS counts it (/proc/<pid>/stat, fields 14 and 15, in
// clock ticks), and the cores it may run on (taskset). CPU time does not depend on what else shares the machine the way
// latency does, so it is the unit the request harness reports.
public static class ProcessCpu
{
    // sysconf(_SC_CLK_TCK): 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid) => OfStat($"/proc/{pid}/stat");

    public static TimeSpan OfStat(string path)
    {
        var stat = File.ReadAllText(path);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    // On 2 cores the server gets one of its own; wrk, the OTLP sink (this process) and everything else the other.
    public static bool CanSplitCores => OperatingSystem.IsLinux() && Environment.ProcessorCount >= 2 && OnPath("taskset");

    // A program the harnesses run (wrk, taskset: Linux tools), found on PATH.
    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, program)));

    public const string ServerCore = "1";
    public const string LoadCore = "0";

    // A command on the given core (through taskset where the cores can be split).
    public static ProcessStartInfo OnCore(string core, params string[] command) =>
        CanSplitCores ? new ProcessStartInfo("taskset", ["-c", core, .. command]) : new ProcessStartInfo(command[0], command[1..]);

    // A process whose CPU is measured (a server): on the server's core, none of the shell's telemetry settings (a
    // user's exported endpoint or token would add a destination), and no idle spinning. The thread pool spins
    // (sched_yield) before it sleeps, and on a core of its own it spins away whatever a request leaves of the core: CPU
    // per request would come out as 1 / throughput, latency again (docs/performance.md, measurement error 1).
    public static ProcessStartInfo OnServerCore(params string[] command)
    {
        var start = OnCore(ServerCore, command);
        foreach (var name in HermeticEnvironment.OutsideSettings())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        return start;
    }

    public static void PinThisProcessToTheLoadCore()
    {
        if (OperatingSystem.IsLinux() && CanSplitCores)
        {
            Process.GetCurrentProcess().ProcessorAffinity = 1;
        }
    }
}
