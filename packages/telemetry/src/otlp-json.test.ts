import { SpanKind, SpanStatusCode, context, trace, TraceFlags } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { encodeSpan, requestFrame } from './otlp-json.js';

function record(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const resource = resourceFromAttributes({ 'service.name': 'psr', 'process.pid': 42, 'host.arch': 'amd64' });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('psr', '1.2.3');
  const remote = trace.setSpanContext(context.active(), {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  const run = tracer.startSpan('RUN "quoted" \\ name\n', { kind: SpanKind.SERVER, attributes: { 'cicd.pipeline.name': 'nightly ✓' } }, remote);
  const task = tracer.startSpan('build', {
    kind: SpanKind.INTERNAL,
    attributes: { 'psr.attempt': 1, 'psr.cpu_ms': 1.5, 'psr.reused': true, 'psr.list': ['a', 'b'], 'psr.nums': [1, 2.5], 'psr.empty': '' },
    links: [{ context: run.spanContext(), attributes: { why: 'retry' } }],
  }, trace.setSpan(remote, run));
  task.addEvent('retry-wait', { 'psr.retry.delay_ms': 250 });
  task.addEvent('bare');
  task.setStatus({ code: SpanStatusCode.ERROR, message: 'exit 1 "bad"' });
  task.end();
  run.setStatus({ code: SpanStatusCode.OK });
  run.end();
  return exporter.getFinishedSpans();
}

/** One request line the way the trace file writes it: a frame around spans of one scope. */
function encodeTraceRequest(spans: ReadableSpan[]): string {
  const { open, close } = requestFrame(spans[0]!.resource, spans[0]!.instrumentationScope);
  return open + spans.map(encodeSpan).join(',') + close;
}

describe('OTLP JSON encoding', () => {
  it('writes exactly what the OpenTelemetry JSON serializer writes', () => {
    const spans = record();
    const reference = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans));
    expect(encodeTraceRequest(spans)).toBe(reference);
  });

  it('keeps remote parents, events, links and error status readable', () => {
    const request = JSON.parse(encodeTraceRequest(record()));
    const [task, run] = request.resourceSpans[0].scopeSpans[0].spans;
    expect(run.parentSpanId).toBe('b7ad6b7169203331');
    expect(run.flags).toBe(0x301); // sampled, parent known to be remote
    expect(task.parentSpanId).toBe(run.spanId);
    expect(task.status).toEqual({ code: 2, message: 'exit 1 "bad"' });
    expect(task.events.map((e: any) => e.name)).toEqual(['retry-wait', 'bare']);
    expect(task.links[0].spanId).toBe(run.spanId);
    expect(BigInt(task.endTimeUnixNano) >= BigInt(task.startTimeUnixNano)).toBe(true);
  });
});
