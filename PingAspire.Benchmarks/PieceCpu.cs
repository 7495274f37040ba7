using System.Diagnostics;
using System.Globalization;
using OpenTelemetry.Trace;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Benchmarks;

// The pieces of the manual variant's cost per request, each in CPU: done over and over, for 2 s after a warm-up,
// in a process of its own on the server's core, that process's CPU (all threads: the batch thread's serialisation and gRPC, the GC) divided by the
// count. The same unit as the request harness's server CPU, so that the pieces can be added up against it, which
// BenchmarkDotNet's calling-thread times cannot (the export and the collection of the queued spans are elsewhere).
// The exported pieces are flushed batch by batch, so that none is dropped.
public static class PieceCpu
{
    private const int Batch = 500;
    // Long enough for tiered compilation to finish rejitting the piece's hot path (the export's gRPC and serialisation
    // are hundreds of methods, rejitted on the same core as the loop): the server is measured at its steady state too.
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(2);

    // "nothing": the loop itself and its flushes, subtracted from every other piece.
    public static readonly string[] Pieces = ["nothing", "extract", "span-not-exported", "span-exported", "duration-record"];

    public static async Task<double> MeasureAsync(string piece, Uri sink)
    {
        var start = ProcessCpu.OnServerCore("dotnet", typeof(PieceCpu).Assembly.Location, "piece-cpu", piece, sink.ToString());
        start.RedirectStandardOutput = true;
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return child.ExitCode == 0
            ? double.Parse(output.Trim(), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"piece-cpu {piece} failed: {output}");
    }

    // `piece-cpu <piece> <sink>`: prints the piece's CPU microseconds, once.
    public static int Run(string piece, string sink)
    {
        // span-not-exported: the pipeline as the manual-no-export server builds it (no destination: no processor).
        var pipeline = LoopbackPipeline.Build(piece == "span-not-exported" ? null : new Uri(sink));
        Action once = piece switch
        {
            "nothing" => () => { },
            "extract" => BreakdownBenchmarks.ExtractAndDecideOnce,
            "span-not-exported" or "span-exported" => SpanCostBenchmarks.RecordServerSpan,
            "duration-record" => BreakdownBenchmarks.OneRequestDurationRecord,
            _ => throw new ArgumentException($"unknown piece {piece}; one of {string.Join(", ", Pieces)}"),
        };
        Repeat(pipeline, once, Warmup); // JIT, the connection to the sink
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var count = Repeat(pipeline, once, Measured);
        pipeline.Dispose();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - before;
        if (pipeline.DroppedSpans > 0)
        {
            Console.Error.WriteLine($"{pipeline.DroppedSpans} spans dropped: the figure would be too low");
            return 1;
        }

        Console.WriteLine((cpu.TotalMicroseconds / count).ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    // Batch after batch, each flushed, for `time`; returns how many were done.
    private static long Repeat(TelemetryPipeline pipeline, Action once, TimeSpan time)
    {
        var clock = Stopwatch.StartNew();
        long count = 0;
        while (clock.Elapsed < time)
        {
            for (var j = 0; j < Batch; j++)
            {
                once();
            }

            pipeline.TracerProvider.ForceFlush();
            count += Batch;
        }

        return count;
    }
}
