using System.Diagnostics;
using System.Globalization;
using OpenTelemetry.Trace;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Benchmarks;

// The limit in CPU: one recorded SERVER span (SpanCostBenchmarks' span) through the hand-built pipeline and
// exported over OTLP/gRPC to the harness's sink, all threads counted (the batch thread's serialisation and gRPC
// included, which BenchmarkDotNet's calling-thread figure leaves out). A process of its own on the server's core, so
// that the sink's CPU is not in it; spans are flushed batch by batch, so that none is dropped.
public static class ExportedSpanCpu
{
    private const int Spans = 50_000;
    private const int Batch = 500;

    public static async Task<double> MeasureAsync(Uri sink)
    {
        string[] command = ["dotnet", typeof(ExportedSpanCpu).Assembly.Location, "span-cpu", sink.ToString()];
        var start = ProcessCpu.CanSplitCores
            ? new ProcessStartInfo("taskset", ["-c", ProcessCpu.ServerCore, .. command])
            : new ProcessStartInfo(command[0], command[1..]);
        start.RedirectStandardOutput = true;
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return child.ExitCode == 0
            ? double.Parse(output.Trim(), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"span-cpu failed: {output}");
    }

    // `span-cpu <sink>`: prints the CPU microseconds per exported span.
    public static int Run(string sink)
    {
        var pipeline = LoopbackPipeline.Build(new Uri(sink));
        RecordAndFlush(pipeline, Spans / 10); // warm-up: JIT, connection
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        RecordAndFlush(pipeline, Spans);
        pipeline.Dispose();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - before;
        if (pipeline.DroppedSpans > 0)
        {
            Console.Error.WriteLine($"{pipeline.DroppedSpans} spans dropped: the figure would be too low");
            return 1;
        }

        Console.WriteLine((cpu.TotalMicroseconds / Spans).ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    private static void RecordAndFlush(TelemetryPipeline pipeline, int spans)
    {
        for (var i = 0; i < spans; i += Batch)
        {
            for (var j = 0; j < Batch; j++)
            {
                SpanCostBenchmarks.RecordServerSpan();
            }

            pipeline.TracerProvider.ForceFlush();
        }
    }
}
