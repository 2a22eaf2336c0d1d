/**
 * A span exporter that appends OTLP JSON lines to a file: each export batch becomes one
 * `ExportTraceServiceRequest` object on its own line — the format of the OpenTelemetry
 * Collector's file exporter, so `otelcol`'s file receiver (or `jq`) can read it back.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

const NEWLINE = new Uint8Array([0x0a]);

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
  // One handle for the exporter's life (opening the file per batch cost more than the write),
  // and writes run one after another, so lines never interleave.
  readonly #file: Promise<FileHandle>;
  #queue: Promise<void>;
  #closed = false;

  constructor(path: string) {
    this.path = path;
    this.#file = mkdir(dirname(path), { recursive: true }).then(() => open(path, 'w'));
    this.#queue = this.#file.then(() => undefined);
    // A file that cannot be opened is reported by the first export; never an unhandled rejection.
    this.#queue.catch(() => undefined);
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#closed) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('trace file exporter is shut down') });
      return;
    }
    // The serializer's UTF-8 bytes go to the file as they are: no decode and re-encode.
    const bytes = JsonTraceSerializer.serializeRequest(spans);
    this.#queue = this.#queue
      .then(async () => {
        if (bytes && bytes.length > 0) await (await this.#file).writev([bytes, NEWLINE]);
      })
      .then(
        () => resultCallback({ code: ExportResultCode.SUCCESS }),
        (error: unknown) => resultCallback({ code: ExportResultCode.FAILED, error: error as Error }),
      );
  }

  async forceFlush(): Promise<void> {
    await this.#queue.catch(() => undefined);
  }

  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.catch(() => undefined);
    const file = await this.#file.catch(() => undefined);
    await file?.close();
  }
}
