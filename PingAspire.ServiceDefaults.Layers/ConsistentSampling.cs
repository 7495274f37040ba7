using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace PingAspire.ServiceDefaults.Layers;

// LS_TRACES_SAMPLE_RATIO: the share of traces Lightstep gets, while the dashboard gets them all. Each process decides
// from the trace id alone, by one rule that every process and both languages share (PingAspire.JsClient/sampling.js),
// so a trace is either whole in Lightstep or absent: OpenTelemetry's consistent probability sampling, with the
// randomness R in the trace id's rightmost 7 bytes and the trace kept when R >= T = 2^56 - round(ratio * 2^56).
// https://opentelemetry.io/docs/specs/otel/trace/tracestate-probability-sampling/
public static class ConsistentSampling
{
    public const string RatioSetting = "LS_TRACES_SAMPLE_RATIO";

    private const double TwoTo56 = 72057594037927936d;

    // Read while the host is built: a value that is not a share stops the process at once (Settings.cs).
    public static double Ratio(IConfiguration configuration) =>
        configuration.Get(RatioSetting, 1.0, "a number from 0 to 1", ratio => ratio is >= 0 and <= 1);

    // Rounding half away from zero, as JavaScript's Math.round does for these (positive) values.
    public static ulong Threshold(double ratio) =>
        (ulong)TwoTo56 - (ulong)Math.Round(ratio * TwoTo56, MidpointRounding.AwayFromZero);

    public static bool Keeps(ActivityTraceId traceId, ulong threshold)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        return (BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]) & 0x00FF_FFFF_FFFF_FFFF) >= threshold;
    }

    // A batch processor that exports only the spans of the traces the rule keeps: the sampling of one destination.
    public sealed class BatchProcessor(BaseExporter<Activity> exporter, double ratio, BatchExportActivityProcessorOptions batch)
        : BatchActivityExportProcessor(exporter, batch.MaxQueueSize, batch.ScheduledDelayMilliseconds,
            batch.ExporterTimeoutMilliseconds, batch.MaxExportBatchSize)
    {
        private readonly ulong _threshold = Threshold(ratio);

        public override void OnEnd(Activity data)
        {
            if (Keeps(data.TraceId, _threshold))
            {
                base.OnEnd(data);
            }
        }
    }
}
