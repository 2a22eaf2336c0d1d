import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { OtlpJsonFileSpanProcessor } from './trace-file-processor.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempFile(name = 'trace.jsonl'): string {
  const d = mkdtempSync(join(tmpdir(), 'psr-trace-file-'));
  dirs.push(d);
  return join(d, name);
}

function readLines(file: string): any[] {
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((l) => JSON.parse(l));
}
const spansOf = (line: any): any[] => line.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));

describe('OtlpJsonFileSpanProcessor', () => {
  it('writes every span once, one request per line, splitting lines at the span limit', async () => {
    const file = tempFile();
    const processor = new OtlpJsonFileSpanProcessor(file, { maxSpansPerLine: 3 });
    const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('psr', '1.0.0');
    const run = tracer.startSpan('RUN nightly', { kind: SpanKind.SERVER });
    const runCtx = trace.setSpan(context.active(), run);
    for (let i = 0; i < 7; i++) tracer.startSpan(`task ${i} ✓ "quoted"`, { attributes: { i } }, runCtx).end();
    run.end();
    await processor.shutdown();

    const lines = readLines(file);
    expect(lines.map((l) => spansOf(l).length)).toEqual([3, 3, 2]);
    const spans = lines.flatMap(spansOf);
    expect(spans.map((s) => s.name)).toEqual([...Array.from({ length: 7 }, (_, i) => `task ${i} ✓ "quoted"`), 'RUN nightly']);
    expect(spans.slice(0, 7).every((s) => s.parentSpanId === run.spanContext().spanId)).toBe(true);
    expect(lines[0].resourceSpans[0].scopeSpans[0].scope).toEqual({ name: 'psr', version: '1.0.0' });
  });

  it('starts a new line for a span of another tracer, and writes what ended before each flush', async () => {
    const file = tempFile();
    const processor = new OtlpJsonFileSpanProcessor(file);
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    provider.getTracer('psr').startSpan('a').end();
    provider.getTracer('plugin').startSpan('b').end();
    await processor.forceFlush();
    expect(readLines(file).map((l) => l.resourceSpans[0].scopeSpans[0].scope.name)).toEqual(['psr', 'plugin']);
    provider.getTracer('psr').startSpan('c').end();
    await processor.shutdown();
    expect(readLines(file).flatMap(spansOf).map((s) => s.name)).toEqual(['a', 'b', 'c']);
  });

  it('writes a started line after at most maxDelayMs, without a flush', async () => {
    const file = tempFile();
    const processor = new OtlpJsonFileSpanProcessor(file, { maxDelayMs: 50 });
    new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('psr').startSpan('soon').end();
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (!existsSync(file) || readFileSync(file, 'utf8') === '')) await new Promise((r) => setTimeout(r, 20));
    expect(readLines(file).flatMap(spansOf).map((s) => s.name)).toEqual(['soon']);
    await processor.shutdown();
  });

  it('waits for resource attributes that are still being detected', async () => {
    const file = tempFile();
    const processor = new OtlpJsonFileSpanProcessor(file);
    const resource = resourceFromAttributes({ 'service.name': 'psr', 'host.id': new Promise((r) => setTimeout(() => r('h-42'), 20)) });
    new BasicTracerProvider({ resource, spanProcessors: [processor] }).getTracer('psr').startSpan('early').end();
    await processor.shutdown();
    const [line] = readLines(file);
    expect(line.resourceSpans[0].resource.attributes).toContainEqual({ key: 'host.id', value: { stringValue: 'h-42' } });
    expect(spansOf(line).map((s) => s.name)).toEqual(['early']);
  });

  it('reports a file it cannot open through onError and never rejects', async () => {
    const notADir = tempFile('plain-file');
    writeFileSync(notADir, 'x');
    const errors: Error[] = [];
    const processor = new OtlpJsonFileSpanProcessor(join(notADir, 'trace.jsonl'), { onError: (e) => errors.push(e) });
    new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('psr').startSpan('x').end();
    await expect(processor.shutdown()).resolves.toBeUndefined();
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.message).toMatch(/plain-file/);
  });
});
