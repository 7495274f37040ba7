// The tutorial's client.py in JavaScript, on OpenTelemetry JS: a tracer provider built by hand with one batch span
// processor per OTLP exporter (the Aspire dashboard, and Lightstep with its access-token header), and the W3C context
// injected by hand into a carrier object, copied into the request headers. No auto-instrumentation: Node's fetch
// writes no trace header of its own. The C# counterparts: PingAspire.ServiceDefaults/Telemetry/ManualTelemetry.cs,
// PingAspire.Client/PingClient.cs and PingWorker.cs.
import { context, propagation, trace, defaultTextMapSetter, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { Metadata } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsistentlySampledProcessor } from './sampling.js';

const DEFAULT_SERVICE_NAME = 'pingaspire-manual-otlp';
const LIGHTSTEP_ENDPOINT = 'https://ingest.lightstep.com:443';
const CLIENT_RUN_ID_KEY = 'pingaspire.client.run_id';
const SHUTDOWN_BUDGET_MS = 5000;

// A refused setting reads like a tool's error, as in the C# client: one line (key, value, what is allowed), exit 1.
function setting(key, fallback, parse, allowed, variable = `JsClient__${key}`, name = `JsClient:${key}`) {
  const raw = process.env[variable];
  const value = raw === undefined || raw === '' ? fallback : parse(raw);
  if (!allowed.test(value)) {
    console.error(`pingaspire-jsclient: ${name}=${raw} is refused; allowed: ${allowed.text}.`);
    process.exit(1);
  }
  return value;
}
const positiveSeconds = { test: v => v > 0, text: 'a number of seconds greater than 0' };
const absoluteUrl = text => { try { return new URL(text); } catch { return null; } };

// Settings: JsClient__* as the AppHost forwards them (the same keys as the C# client's Client:*). Without the AppHost,
// the server's own launch profile address (PingAspire.Server/Properties/launchSettings.json).
const settings = {
  serverUrl: setting('ServerUrl', new URL(process.env['services__pingaspire-server__http__0'] ?? 'http://localhost:5180'), absoluteUrl,
    { test: url => url?.protocol === 'http:' || url?.protocol === 'https:', text: 'an absolute http or https URL' }),
  intervalSeconds: setting('IntervalSeconds', 5, Number, positiveSeconds),
  timeoutSeconds: setting('TimeoutSeconds', 10, Number, positiveSeconds),
  count: setting('Count', 0, Number, { test: v => Number.isInteger(v) && v >= 0, text: '0 (forever) or a positive number of requests' }),
  propagate: setting('PropagateTraceContext', true, v => ({ true: true, false: false })[v.toLowerCase()], { test: v => typeof v === 'boolean', text: 'true or false' }),
  // Lightstep's share of the traces, decided like every other process does (sampling.js); the dashboard gets all.
  lightstepRatio: setting('', 1, Number, { test: v => v >= 0 && v <= 1, text: 'a number from 0 to 1' },
    'LS_TRACES_SAMPLE_RATIO', 'LS_TRACES_SAMPLE_RATIO'),
};

// The exporters read OTEL_EXPORTER_OTLP_* as a fallback and MERGE its headers into every exporter's metadata: the
// dashboard's API key would reach Lightstep. So the dashboard's settings are taken here, explicitly, and removed.
function takeDashboardSettings() {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const headers = new Metadata();
  for (const member of (process.env.OTEL_EXPORTER_OTLP_HEADERS ?? '').split(',').filter(m => m.includes('='))) {
    const at = member.indexOf('=');
    headers.set(member.slice(0, at).trim(), decodeURIComponent(member.slice(at + 1).trim()));
  }
  for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    delete process.env[name];
  }
  return endpoint ? { url: endpoint, metadata: headers } : null;
}

// One batch span processor per exporter, so that a slow or dead backend never delays the other.
function createSpanProcessors() {
  const processors = [];
  const dashboard = takeDashboardSettings();
  console.log(dashboard ? `Dashboard export is on: ${dashboard.url}` : 'Dashboard export is off: OTEL_EXPORTER_OTLP_ENDPOINT is not set');
  if (dashboard) processors.push(new BatchSpanProcessor(new OTLPTraceExporter(dashboard)));

  // The tutorial's OTLPSpanExporter(endpoint="ingest.lightstep.com:443", headers=(("lightstep-access-token", token),)).
  const token = process.env.LS_ACCESS_TOKEN?.trim();
  if (token) {
    const url = process.env.LS_SATELLITE_URL || LIGHTSTEP_ENDPOINT;
    const metadata = new Metadata();
    metadata.set('lightstep-access-token', token); // the token goes here and nowhere else, never into a log line
    const share = settings.lightstepRatio < 1 ? `, ${Math.round(settings.lightstepRatio * 100)} % of traces` : '';
    console.log(`Lightstep export is on: ${url}${share}`);
    const batch = new BatchSpanProcessor(new OTLPTraceExporter({ url, metadata }));
    processors.push(settings.lightstepRatio < 1 ? new ConsistentlySampledProcessor(batch, settings.lightstepRatio) : batch);
  } else {
    console.log('Lightstep export is off: LS_ACCESS_TOKEN is not set');
  }
  return processors;
}

// Resource: telemetry.sdk.* (language nodejs), the tutorial's default name, then OTEL_RESOURCE_ATTRIBUTES and
// OTEL_SERVICE_NAME, which win.
const resource = defaultResource()
  .merge(resourceFromAttributes({ 'service.name': DEFAULT_SERVICE_NAME }))
  .merge(detectResources({ detectors: [envDetector] }));
const provider = new BasicTracerProvider({
  resource,
  spanProcessors: createSpanProcessors(),
});
const tracer = provider.getTracer('PingAspire.JsClient');

// Built here and used directly, the tutorial's TraceContextTextMapPropagator plus baggage: not set as the global
// propagator, which stays a no-op until someone sets it (the C# TraceContextCarrier avoids the same trap).
const propagator = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });
const baggage = propagation.createBaggage({ [CLIENT_RUN_ID_KEY]: { value: randomUUID().replaceAll('-', '') } });

// SIGTERM (the orchestrator's stop) and Ctrl+C stop the wait and the request in flight at once, then flush.
const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => stop.abort());

async function ping() {
  const url = new URL('/ping', settings.serverUrl);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const span = tracer.startSpan('GET /ping', {
    kind: SpanKind.CLIENT,
    attributes: { 'http.request.method': 'GET', 'url.full': url.href, 'server.address': url.hostname, 'server.port': port },
  });
  const carrier = {};
  if (settings.propagate) {
    // The mirror of the C# TraceContextCarrier.InjectInto: inject into a carrier object, then copy it into the headers.
    propagator.inject(propagation.setBaggage(trace.setSpan(context.active(), span), baggage), carrier, defaultTextMapSetter);
  }
  // Both lines are written while the span is open, as the tutorial's prints are.
  try {
    const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(settings.timeoutSeconds * 1000)]);
    const response = await fetch(url, { headers: { ...carrier }, signal });
    const body = await response.arrayBuffer();
    span.setAttribute('http.response.status_code', response.status);
    if (response.status >= 400) {
      span.setAttribute('error.type', String(response.status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    console.log(`Request to ${url.href}, got ${body.byteLength} bytes (status ${response.status})`);
  } catch (error) {
    // Name and message only: a JavaScript stack names the files of this machine (its folders, the user's name).
    span.recordException({ name: error.name, message: error.message });
    span.setAttribute('error.type', error.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    console.log(`Request to ${url.href} failed: ${error.message}`);
  } finally {
    span.end();
  }
}

for (let sent = 1; !stop.signal.aborted; sent++) {
  await ping();
  if (settings.count > 0 && sent >= settings.count) {
    console.log(`Sent ${sent} requests; stopping`);
    break;
  }
  await sleep(settings.intervalSeconds * 1000, undefined, { signal: stop.signal }).catch(() => {});
}
// The final flush, bounded like the C# one: a hung backend never keeps the process alive past the budget.
await Promise.race([provider.shutdown(), sleep(SHUTDOWN_BUDGET_MS)]);
process.exit(0);
