/**
 * A span exporter that appends OTLP JSON lines to a file: each export batch becomes one
 * `ExportTraceServiceRequest` object on its own line — the format of the OpenTelemetry
 * Collector's file exporter, so `otelcol`'s file receiver (or `jq`) can read it back.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * Writes spans to `path` as OTLP JSON lines. The file is truncated when the exporter starts.
 *
 * @example
 * ```ts
 * const exporter = new OtlpJsonFileExporter('trace.jsonl');
 * const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
 * ```
 */
export class OtlpJsonFileExporter implements SpanExporter {
  readonly path: string;
  // Appends run one after another, so lines never interleave.
  #queue: Promise<void>;
  #closed = false;

  constructor(path: string) {
    this.path = path;
    this.#queue = mkdir(dirname(path), { recursive: true }).then(() => writeFile(path, ''));
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#closed) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('trace file exporter is shut down') });
      return;
    }
    const bytes = JsonTraceSerializer.serializeRequest(spans);
    const line = bytes ? `${Buffer.from(bytes).toString('utf8')}\n` : '';
    this.#queue = this.#queue
      .then(() => (line ? appendFile(this.path, line) : undefined))
      .then(
        () => resultCallback({ code: ExportResultCode.SUCCESS }),
        (error: unknown) => resultCallback({ code: ExportResultCode.FAILED, error: error as Error }),
      );
  }

  async forceFlush(): Promise<void> {
    await this.#queue.catch(() => undefined);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.#closed = true;
  }
}
