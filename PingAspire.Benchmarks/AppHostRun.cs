using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PingAspire.Benchmarks;

// One `dotnet run --no-build --project <apphost>` (or `aspire run --no-build`, given the Aspire CLI) as a user starts
// it, with every line it writes stamped with the time since the command started, and the resource events Aspire logs
// (state changes, health) read back from them.
public sealed partial class AppHostRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _elapsed;
    private readonly ConcurrentQueue<(TimeSpan At, string Line)> _lines = new();

    private AppHostRun(Process process, Stopwatch elapsed)
    {
        _process = process;
        _elapsed = elapsed;
        _process.OutputDataReceived += (_, e) => _lines.Enqueue((_elapsed.Elapsed, e.Data ?? ""));
        _process.ErrorDataReceived += (_, e) => _lines.Enqueue((_elapsed.Elapsed, e.Data ?? ""));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public TimeSpan Elapsed => _elapsed.Elapsed;

    public DateTimeOffset StartedAt { get; private init; }

    public bool HasExited => _process.HasExited;

    public string Output => string.Join(Environment.NewLine, _lines.Select(l => l.Line));

    public static AppHostRun Start(string repository, string project, string? aspireCli = null)
    {
        // In a process group of its own (setsid), so that stopping it is a terminal's Ctrl+C: SIGINT to the group. The
        // Aspire CLI writes its settings file where it runs: a folder of its own, not the checkout.
        var start = new ProcessStartInfo("setsid", aspireCli is null
            ? ["dotnet", "run", "--project", project, "--no-build"]
            : [aspireCli, "run", "--no-build", "--non-interactive", "--nologo", "--apphost", Path.Combine(repository, project)])
        {
            WorkingDirectory = aspireCli is null ? repository : Directory.CreateTempSubdirectory("pingaspire-aspire-run-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Lets the harness read the telemetry API without the login token (loopback only).
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        // Aspire's own record of each resource's state and health, to say where the seconds go. Console lines only.
        start.Environment["Logging__LogLevel__Aspire.Hosting.ApplicationModel"] = "Trace";
        var startedAt = DateTimeOffset.UtcNow;
        var elapsed = Stopwatch.StartNew();
        return new AppHostRun(Process.Start(start)!, elapsed) { StartedAt = startedAt };
    }

    // "Now listening on: http://localhost:41234", the dashboard's first line about itself (the Aspire CLI's: "Dashboard: <url>").
    public Uri? DashboardUrl =>
        _lines.Select(l => ListeningOn().Match(l.Line)).FirstOrDefault(m => m.Success) is { } match ? new Uri(match.Groups[1].Value) : null;

    // When a line matching the pattern was first written, since the command started.
    public TimeSpan? FirstLine(Regex pattern) => _lines.Where(l => pattern.IsMatch(l.Line)).Select(l => (TimeSpan?)l.At).FirstOrDefault();

    // When the resource (its first replica) reached the state: Starting, Running, or Healthy (running and healthy).
    public TimeSpan? Reached(string resource, string state) => FirstLine(state == "Healthy"
        ? new Regex($@"Resource {Regex.Escape(resource)}/\S+ update published: .*State = \{{ Text = Running,.*HeathStatus = Healthy")
        : new Regex($@"Resource {Regex.Escape(resource)}/\S+ changed state: (\S+ -> )?{state}$"));

    [GeneratedRegex(@"(?:Now listening on: |Dashboard.*?)(http://localhost:\d+)")]
    private static partial Regex ListeningOn();

    // Ctrl+C as a terminal sends it, to the whole process group; SIGKILL to the group only if that hangs.
    public async ValueTask DisposeAsync()
    {
        await SignalGroupAsync("-INT");
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            await SignalGroupAsync("-KILL");
        }

        _process.Dispose();
    }

    private async Task SignalGroupAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, "--", $"-{_process.Id}"]);
        await kill.WaitForExitAsync();
    }
}
