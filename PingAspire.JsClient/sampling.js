// LS_TRACES_SAMPLE_RATIO, decided exactly as in C# (PingAspire.ServiceDefaults.Layers/ConsistentSampling.cs), so
// that a trace is whole in Lightstep or absent, whichever client started it: OpenTelemetry's consistent probability
// sampling, the randomness R in the trace id's rightmost 7 bytes, kept when R >= T = 2^56 - round(ratio * 2^56).
// https://opentelemetry.io/docs/specs/otel/trace/tracestate-probability-sampling/
const TWO_TO_56 = 2 ** 56;

export function threshold(ratio) {
  return BigInt(TWO_TO_56) - BigInt(Math.round(ratio * TWO_TO_56));
}

// traceId: 32 lowercase hex digits; the rightmost 14 are the 7 bytes of randomness.
export function keeps(traceId, rejectionThreshold) {
  return BigInt(`0x${traceId.slice(18)}`) >= rejectionThreshold;
}

// The sampling of one destination: ends only the spans of kept traces in the processor it wraps.
export class ConsistentlySampledProcessor {
  constructor(inner, ratio) {
    this.inner = inner;
    this.threshold = threshold(ratio);
  }

  onStart(span, parentContext) { this.inner.onStart(span, parentContext); }

  onEnd(span) {
    if (keeps(span.spanContext().traceId, this.threshold)) this.inner.onEnd(span);
  }

  forceFlush() { return this.inner.forceFlush(); }

  shutdown() { return this.inner.shutdown(); }
}
