/**
 * A span processor that appends OTLP JSON lines to a file: each line is one
 * `ExportTraceServiceRequest` object — the format of the OpenTelemetry Collector's file
 * exporter, so `otelcol`'s `otlpjsonfile` receiver (or `jq`) can read it back.
 *
 * Why a processor and not an exporter behind the SDK's batch processor: a batch processor keeps
 * every finished span object alive until its batch is exported, long enough for the garbage
 * collector to move a thousand spans at a time into the old generation. Here each span is
 * encoded the moment it ends, its bytes are copied into a buffer, and the span and its text
 * die young; the file gets the buffer in one write per line.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { encodeSpan, requestFrame, type RequestFrame } from './otlp-json.js';

/** Options of {@link OtlpJsonFileSpanProcessor}. */
export interface OtlpJsonFileOptions {
  /** Called with a failed open or write; tracing goes on, spans of that write are lost. */
  onError?: (error: Error) => void;
  /** A line ends after this many spans (default 1,024, the SDK's export batch size). */
  maxSpansPerLine?: number;
  /** A started line is written at most this long after its first span ended (default 1,000 ms). */
  maxDelayMs?: number;
}

// Encoded text is copied into slabs of this size; a full slab is queued for the next write.
const SLAB_BYTES = 256 * 1024;

/**
 * Writes finished spans to `path` as OTLP JSON lines. The file is truncated when the processor
 * starts; `forceFlush` writes the current line, `shutdown` writes it and closes the file.
 *
 * @example
 * ```ts
 * const processor = new OtlpJsonFileSpanProcessor('trace.jsonl', { onError: (e) => console.warn(e.message) });
 * const provider = new BasicTracerProvider({ spanProcessors: [processor] });
 * ```
 */
export class OtlpJsonFileSpanProcessor implements SpanProcessor {
  readonly path: string;
  readonly #onError: (error: Error) => void;
  readonly #maxSpans: number;
  readonly #maxDelayMs: number;
  // One handle for the processor's life; writes run one after another, so lines never interleave.
  readonly #file: Promise<FileHandle>;
  #writes: Promise<void>;
  #closed = false;

  /** Filled bytes waiting for the next write, and the slab being filled. */
  #ready: Buffer[] = [];
  #slab = Buffer.allocUnsafe(SLAB_BYTES);
  #used = 0;
  /** The frame of the open line (undefined: no line open) and its span count. */
  #frame: RequestFrame | undefined;
  #spans = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Spans whose resource still waits for asynchronous attributes, and that wait. */
  #waiting: ReadableSpan[] = [];
  #settling: Promise<void> | undefined;

  constructor(path: string, options: OtlpJsonFileOptions = {}) {
    this.path = path;
    this.#onError = options.onError ?? (() => undefined);
    this.#maxSpans = options.maxSpansPerLine ?? 1024;
    this.#maxDelayMs = options.maxDelayMs ?? 1000;
    this.#file = mkdir(dirname(path), { recursive: true }).then(() => open(path, 'w'));
    this.#writes = this.#file.then(
      () => undefined,
      (error: unknown) => this.#onError(asError(error)),
    );
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#closed || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (span.resource.asyncAttributesPending) {
      // The request frame holds the resource's attributes: hold such spans until they settle.
      this.#waiting.push(span);
      this.#settling ??= (span.resource.waitForAsyncAttributes?.() ?? Promise.resolve()).then(() => {
        const waiting = this.#waiting;
        this.#waiting = [];
        this.#settling = undefined;
        for (const s of waiting) this.#write(s);
      });
      return;
    }
    this.#write(span);
  }

  #write(span: ReadableSpan): void {
    const frame = requestFrame(span.resource, span.instrumentationScope);
    if (frame !== this.#frame) {
      // A span of another resource or scope (rare: psr traces through one tracer) starts a new line.
      if (this.#frame) this.#endLine();
      this.#append(frame.open);
      this.#frame = frame;
    } else {
      this.#append(',');
    }
    this.#append(encodeSpan(span));
    if (++this.#spans >= this.#maxSpans) this.#writeLine();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#writeLine(), this.#maxDelayMs);
      this.#timer.unref();
    }
  }

  async forceFlush(): Promise<void> {
    await this.#settling;
    this.#writeLine();
    await this.#writes;
  }

  async shutdown(): Promise<void> {
    if (this.#closed) return;
    await this.forceFlush();
    this.#closed = true;
    const file = await this.#file.catch(() => undefined);
    await file?.close().catch((error: unknown) => this.#onError(asError(error)));
  }

  /** End the open line (if any) and queue everything filled so far for writing. */
  #writeLine(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#frame) this.#endLine();
    if (this.#used > 0) {
      this.#ready.push(this.#slab.subarray(0, this.#used));
      this.#slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.#used = 0;
    }
    if (this.#ready.length === 0) return;
    const chunks = this.#ready;
    this.#ready = [];
    this.#writes = this.#writes.then(async () => {
      try {
        const file = await this.#file;
        await file.writev(chunks);
      } catch (error) {
        this.#onError(asError(error));
      }
    });
  }

  #endLine(): void {
    this.#append(this.#frame!.close);
    this.#append('\n');
    this.#frame = undefined;
    this.#spans = 0;
  }

  #append(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; measure exactly only when that might not fit.
    if (text.length * 3 > this.#slab.length - this.#used) {
      const bytes = Buffer.byteLength(text);
      if (bytes > this.#slab.length - this.#used) {
        if (this.#used > 0) this.#ready.push(this.#slab.subarray(0, this.#used));
        this.#slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes));
        this.#used = 0;
      }
    }
    this.#used += this.#slab.write(text, this.#used);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
