using System.Diagnostics;
using System.Globalization;
using OpenTelemetry.Trace;
using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// The pieces of the manual variant's cost per request, each in CPU: done over and over in a process of its own on
// the server's core, that process's CPU (all threads: the batch thread's serialisation and gRPC, the GC) divided by
// the count. The same unit as the request harness's server CPU, so that the pieces can be added up against it, which
// BenchmarkDotNet's calling-thread times cannot (the export and the collection of the queued spans are elsewhere).
// All the pieces run at once, sharing the core and measured over the same seconds, as the servers are
// (RequestsHarness): measured one after the other, the exported span came out 1.59 µs in one run and 4.84 in the next.
// The exported pieces are flushed batch by batch, so that none is dropped.
public static class PieceCpu
{
    private const int Batch = 500;
    // Long enough for tiered compilation to finish rejitting each piece's hot path (the export's gRPC and serialisation
    // are hundreds of methods) with a fifth of the core each: the server is measured at its steady state too.
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(10);
    // Set from standard input: 1 once the parent says "measure", 2 once it says "stop".
    private static int _phase;

    // "nothing": the loop itself and its flushes, subtracted from every other piece.
    public static readonly string[] Pieces = ["nothing", "extract", "span-not-exported", "span-exported", "duration-record"];

    // Every piece's CPU microseconds, net of "nothing"'s of the same seconds.
    public static async Task<Dictionary<string, double>> MeasureAllAsync(Uri sink)
    {
        var cpu = await MeasureAtOnceAsync(Pieces, sink);
        return Enumerable.Range(1, Pieces.Length - 1).ToDictionary(i => Pieces[i], i => cpu[i] - cpu[0]);
    }

    // `pieces`: the pieces alone, with a sink of their own in this process (on the load core), as the request harness
    // measures them after its rounds.
    public static async Task<int> PrintAsync()
    {
        ProcessCpu.PinThisProcessToTheLoadCore();
        await using var sink = await OtlpReceiver.StartAsync(keepTelemetry: false);
        foreach (var (piece, cpu) in await MeasureAllAsync(sink.Endpoint))
        {
            Console.WriteLine($"{piece}: {cpu:0.00} µs CPU");
        }

        return 0;
    }

    private static async Task<double[]> MeasureAtOnceAsync(string[] pieces, Uri sink)
    {
        var children = pieces.Select(piece =>
        {
            var start = ProcessCpu.OnServerCore("dotnet", typeof(PieceCpu).Assembly.Location, "piece-cpu", piece, sink.ToString());
            start.RedirectStandardInput = true;
            start.RedirectStandardOutput = true;
            return Process.Start(start)!;
        }).ToList();
        try
        {
            var outputs = children.Select(c => c.StandardOutput.ReadToEndAsync()).ToList();
            // The two windows are the measurement's length, the same for every piece, as wrk's -d is for a server.
            await Task.Delay(Warmup);
            children.ForEach(c => c.StandardInput.WriteLine("measure"));
            await Task.Delay(Measured);
            children.ForEach(c => c.StandardInput.WriteLine("stop"));
            var cpu = new double[pieces.Length];
            for (var i = 0; i < pieces.Length; i++)
            {
                var output = await outputs[i];
                await children[i].WaitForExitAsync();
                cpu[i] = children[i].ExitCode == 0
                    ? double.Parse(output.Trim(), CultureInfo.InvariantCulture)
                    : throw new InvalidOperationException($"piece-cpu {pieces[i]} failed: {output}");
            }

            return cpu;
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }
    }

    // `piece-cpu <piece> <sink>`: repeats the piece until told "measure", then until "stop", and prints the piece's CPU
    // microseconds over that window.
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
        var listener = new Thread(() =>
        {
            Console.ReadLine();
            Volatile.Write(ref _phase, 1);
            Console.ReadLine();
            Volatile.Write(ref _phase, 2);
        }) { IsBackground = true };
        listener.Start();
        long count = 0;
        long countBefore = 0;
        var before = TimeSpan.Zero;
        var measuring = false;
        // Batch after batch, each flushed; the phase is read between batches, so that the count is exact.
        while (Volatile.Read(ref _phase) < 2 || !measuring)
        {
            if (!measuring && Volatile.Read(ref _phase) >= 1)
            {
                measuring = true;
                before = Process.GetCurrentProcess().TotalProcessorTime;
                countBefore = count;
            }

            for (var j = 0; j < Batch; j++)
            {
                once();
            }

            pipeline.TracerProvider.ForceFlush();
            count += Batch;
        }

        pipeline.Dispose();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - before;
        if (pipeline.DroppedSpans > 0)
        {
            Console.Error.WriteLine($"{pipeline.DroppedSpans} spans dropped: the figure would be too low");
            return 1;
        }

        Console.WriteLine((cpu.TotalMicroseconds / (count - countBefore)).ToString(CultureInfo.InvariantCulture));
        return 0;
    }
}
