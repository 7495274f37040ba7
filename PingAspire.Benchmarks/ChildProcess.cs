using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace PingAspire.Benchmarks;

// A process a harness starts and stops as a terminal would: each line it writes kept with the time since it started;
// stopped by a signal (to its whole process group when it leads one), so that it flushes its telemetry and says what it
// dropped; killed only if it hangs.
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly ConcurrentQueue<(TimeSpan At, string Line)> _lines = new();
    private readonly string _stopSignal;
    private readonly bool _group;

    public ChildProcess(ProcessStartInfo start, string stopSignal, bool group = false)
    {
        (_stopSignal, _group) = (stopSignal, group);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => _lines.Enqueue((_elapsed.Elapsed, e.Data ?? ""));
        _process.ErrorDataReceived += (_, e) => _lines.Enqueue((_elapsed.Elapsed, e.Data ?? ""));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public TimeSpan Elapsed => _elapsed.Elapsed;

    public bool HasExited => _process.HasExited;

    public IEnumerable<(TimeSpan At, string Line)> Lines => _lines;

    public async ValueTask DisposeAsync()
    {
        await SignalAsync(_stopSignal);
        using var stopping = new CancellationTokenSource(StopDeadline);
        try
        {
            await _process.WaitForExitAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            await SignalAsync("-KILL");
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        var pid = _process.Id.ToString(CultureInfo.InvariantCulture);
        using var kill = Process.Start("kill", _group ? [signal, "--", $"-{pid}"] : [signal, pid]);
        await kill.WaitForExitAsync();
    }
}
