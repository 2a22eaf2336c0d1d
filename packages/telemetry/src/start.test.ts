import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, context, diag, propagation, trace } from '@opentelemetry/api';
import protobuf from 'protobufjs';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { resolveTelemetryConfig } from './config.js';
import { startTelemetry, type Telemetry } from './start.js';

// The SDK registers itself globally; each test starts and shuts down its own instance.
let telemetry: Telemetry | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
  trace.disable();
  propagation.disable();
  context.disable();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'psr-telemetry-'));
  dirs.push(d);
  return d;
}

function recordRun(tracer: Telemetry['tracer']): { traceId: string; runSpanId: string; carrier: Record<string, string> } {
  const run = tracer.startSpan('RUN nightly', { kind: SpanKind.SERVER, attributes: { 'cicd.pipeline.name': 'nightly' } });
  const carrier: Record<string, string> = {};
  const runCtx = trace.setSpan(context.active(), run);
  const task = tracer.startSpan('build', { kind: SpanKind.INTERNAL, attributes: { 'cicd.pipeline.task.name': 'build' } }, runCtx);
  propagation.inject(trace.setSpan(context.active(), task), carrier);
  task.end();
  run.end();
  return { traceId: run.spanContext().traceId, runSpanId: run.spanContext().spanId, carrier };
}

interface Received {
  contentType: string | undefined;
  body: Buffer;
}

async function receiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' });
      res.end(req.headers['content-type']?.includes('json') ? '{}' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}`, received };
}

describe('startTelemetry', () => {
  it('loads nothing and returns a no-op tracer when tracing is off', async () => {
    telemetry = await startTelemetry(resolveTelemetryConfig({}));
    expect(telemetry.enabled).toBe(false);
    const span = telemetry.tracer.startSpan('x');
    expect(span.isRecording()).toBe(false);
  });

  it('writes OTLP JSON lines to the trace file, with the parent links and the service name', async () => {
    const file = join(tempDir(), 'nested', 'trace.jsonl');
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment.name=ci';
    onTestFinished(() => void delete process.env.OTEL_RESOURCE_ATTRIBUTES);
    telemetry = await startTelemetry(resolveTelemetryConfig({ OTEL_SERVICE_NAME: 'psr-test' }, { traceFile: file }), { version: '9.8.7' });
    const { traceId, runSpanId, carrier } = recordRun(telemetry.tracer);
    await telemetry.shutdown();

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const spans = lines.flatMap((l) => JSON.parse(l).resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans)));
    const resourceAttrs = JSON.parse(lines[0]!).resourceSpans[0].resource.attributes;
    expect(resourceAttrs).toContainEqual({ key: 'service.name', value: { stringValue: 'psr-test' } });
    expect(resourceAttrs).toContainEqual({ key: 'service.version', value: { stringValue: '9.8.7' } });
    expect(resourceAttrs).toContainEqual({ key: 'deployment.environment.name', value: { stringValue: 'ci' } });
    // The command line may hold values the user would not want in a trace backend.
    expect(resourceAttrs.map((a: { key: string }) => a.key)).not.toContain('process.command_args');
    const byName = Object.fromEntries(spans.map((s: any) => [s.name, s]));
    expect(byName['RUN nightly'].traceId).toBe(traceId);
    expect(byName['RUN nightly'].kind).toBe(2); // SPAN_KIND_SERVER in OTLP numbering
    expect(byName.build.parentSpanId).toBe(runSpanId);
    // The W3C propagator is registered, so a child process can continue the trace.
    expect(carrier.traceparent).toBe(`00-${traceId}-${byName.build.spanId}-01`);
  });

  it('appends one line per export batch, each a whole ExportTraceServiceRequest', async () => {
    const file = join(tempDir(), 'trace.jsonl');
    telemetry = await startTelemetry(resolveTelemetryConfig({}, { traceFile: file }));
    const first = recordRun(telemetry.tracer);
    await telemetry.flush();
    const second = recordRun(telemetry.tracer);
    await telemetry.shutdown();

    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.pop()).toBe(''); // every line ends with a newline
    expect(lines).toHaveLength(2);
    const traceIds = lines.map((l) => JSON.parse(l).resourceSpans[0].scopeSpans[0].spans[0].traceId);
    expect(traceIds).toEqual([first.traceId, second.traceId]);
  });

  it('turns a trace file that cannot be written into a warning, never a rejection', async () => {
    const notADir = join(tempDir(), 'plain-file');
    writeFileSync(notADir, 'x');
    const warnings: string[] = [];
    telemetry = await startTelemetry(resolveTelemetryConfig({}, { traceFile: join(notADir, 'trace.jsonl') }), {
      onWarning: (m) => warnings.push(m),
    });
    recordRun(telemetry.tracer);
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
    expect(warnings.join('\n')).toMatch(/trace file .*plain-file.* failed/);
  });

  it('prints console spans to stderr (or the sink given), never to stdout', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const out = process.stdout.write;
    const err = process.stderr.write;
    process.stdout.write = ((chunk: string) => (stdout.push(String(chunk)), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      telemetry = await startTelemetry(resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: 'console' }));
      recordRun(telemetry.tracer);
      await telemetry.shutdown();
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
    expect(stdout).toEqual([]);
    expect(stderr.join('')).toMatch(/traceId: '[0-9a-f]{32}'[\s\S]*name: 'RUN nightly'/);

    trace.disable();
    propagation.disable();
    context.disable();
    const sink: string[] = [];
    telemetry = await startTelemetry(resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: 'console' }), { consoleSink: { write: (t) => sink.push(t) } });
    recordRun(telemetry.tracer);
    await telemetry.shutdown();
    expect(sink).toHaveLength(2);
    expect(sink[1]).toMatch(/^\{\n {2}resource: \{/);
  });

  it('exports OTLP/HTTP JSON to a collector on loopback', async () => {
    const { server, url, received } = await receiver();
    try {
      telemetry = await startTelemetry(
        resolveTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }),
      );
      const { traceId } = recordRun(telemetry.tracer);
      await telemetry.shutdown();
      expect(received).toHaveLength(1);
      expect(received[0]!.contentType).toMatch(/application\/json/);
      const spans = JSON.parse(received[0]!.body.toString()).resourceSpans[0].scopeSpans[0].spans;
      expect(spans.map((s: any) => s.name).sort()).toEqual(['RUN nightly', 'build']);
      expect(spans[0].traceId).toBe(traceId);
    } finally {
      server.close();
    }
  });

  it('exports OTLP/HTTP protobuf that decodes with the OTLP message definitions', async () => {
    const { server, url, received } = await receiver();
    try {
      telemetry = await startTelemetry(resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: 'otlp' }, { otlpEndpoint: url }));
      const { traceId, runSpanId } = recordRun(telemetry.tracer);
      await telemetry.shutdown();
      expect(received[0]!.contentType).toBe('application/x-protobuf');
      const request = decodeTraceRequest(received[0]!.body);
      const spans = request.resourceSpans[0].scopeSpans[0].spans;
      const build = spans.find((s: any) => s.name === 'build');
      expect(Buffer.from(build.traceId).toString('hex')).toBe(traceId);
      expect(Buffer.from(build.parentSpanId).toString('hex')).toBe(runSpanId);
    } finally {
      server.close();
    }
  });

  it('reports a collector that refuses connections or does not resolve at once, as an export failure, once', async () => {
    for (const [endpoint, why] of [
      ['http://127.0.0.1:9', 'connect ECONNREFUSED 127.0.0.1:9'],
      ['http://collector.invalid:4318', 'getaddrinfo ENOTFOUND collector.invalid'],
    ] as const) {
      const warnings: string[] = [];
      diag.disable();
      telemetry = await startTelemetry(resolveTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }), { onWarning: (m) => warnings.push(m) });
      const started = Date.now();
      recordRun(telemetry.tracer);
      await telemetry.flush();
      recordRun(telemetry.tracer);
      await telemetry.shutdown();
      expect(Date.now() - started).toBeLessThan(1500);
      expect(warnings).toEqual([`OTLP http/protobuf export to ${endpoint}/v1/traces failed: ${why}`]);
      trace.disable();
      propagation.disable();
      context.disable();
    }
  });

  it('turns an unreachable collector into a bounded warning, never a rejection', async () => {
    const warnings: string[] = [];
    const started = Date.now();
    telemetry = await startTelemetry(
      resolveTelemetryConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', // discard port: nothing listens
        PSR_OTEL_SHUTDOWN_TIMEOUT_MS: '1500',
      }),
      { onWarning: (m) => warnings.push(m) },
    );
    recordRun(telemetry.tracer);
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(warnings.length).toBeGreaterThan(0);
  });
});

// The subset of opentelemetry/proto/collector/trace/v1 needed to read spans back (field numbers from the OTLP spec).
const OTLP_PROTO = `
syntax = "proto3";
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message Span { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9; }
message ScopeSpans { repeated Span spans = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
`;

function decodeTraceRequest(body: Buffer): any {
  const root = protobuf.parse(OTLP_PROTO, { keepCase: false }).root;
  const type = root.lookupType('ExportTraceServiceRequest');
  return type.toObject(type.decode(body), { bytes: Array });
}
