/**
 * `OTEL_TRACES_EXPORTER=console`, written to a stream of psr's choosing. The SDK's
 * ConsoleSpanExporter prints with `console.dir`, on stdout, where `psr run --json` promises one
 * JSON object per line: psr prints spans on stderr, in the same shape.
 */
import { inspect } from 'node:util';
import { ExportResultCode, hrTimeToMicroseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Where console spans go: anything with `write(text)`, such as `process.stderr`. */
export interface TextSink {
  write(text: string): unknown;
}

/** Prints each finished span as the SDK's ConsoleSpanExporter does, to `sink` instead of stdout. */
export class StreamSpanExporter implements SpanExporter {
  readonly #sink: TextSink;

  constructor(sink: TextSink) {
    this.#sink = sink;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) this.#sink.write(`${inspect(spanInfo(span), { depth: 3 })}\n`);
    done({ code: ExportResultCode.SUCCESS });
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The fields ConsoleSpanExporter prints, in its order. */
function spanInfo(span: ReadableSpan): Record<string, unknown> {
  const context = span.spanContext();
  return {
    resource: { attributes: span.resource.attributes },
    instrumentationScope: span.instrumentationScope,
    traceId: context.traceId,
    parentSpanContext: span.parentSpanContext,
    traceState: context.traceState?.serialize(),
    name: span.name,
    id: context.spanId,
    kind: span.kind,
    timestamp: hrTimeToMicroseconds(span.startTime),
    duration: hrTimeToMicroseconds(span.duration),
    attributes: span.attributes,
    status: span.status,
    events: span.events,
    links: span.links,
  };
}
