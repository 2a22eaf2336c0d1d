/**
 * A collector that refuses connections (nothing listens) or whose host does not resolve fails
 * an export at once. The OTLP exporters retry such errors with backoff for up to their timeout,
 * so without this every run with a dead `--otlp-endpoint` waited out the shutdown bound and
 * printed only that the flush timed out. A collector that accepts but answers slowly is left
 * to the exporter (and the bounded shutdown).
 */
import { connect } from 'node:net';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** How long a TCP connect may take before the collector counts as "slow", not "unreachable". */
const PROBE_TIMEOUT_MS = 1000;
/** A collector that answered is trusted this long before it is checked again (`psr schedule` runs for days). */
const TRUST_MS = 60_000;

/** Wraps an OTLP exporter: each batch first checks that `url`'s host accepts TCP connections. */
export class ReachableSpanExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #target: { host: string; port: number } | undefined;
  #reachedAt = -Infinity;

  constructor(inner: SpanExporter, url: string) {
    this.#inner = inner;
    this.#target = tcpTarget(url);
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (!this.#target || Date.now() - this.#reachedAt < TRUST_MS) {
      this.#inner.export(spans, done);
      return;
    }
    void probe(this.#target).then((error) => {
      if (error) {
        done({ code: 1, error });
        return;
      }
      this.#reachedAt = Date.now();
      this.#inner.export(spans, done);
    });
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
}

/** Host and port of an http(s) URL; undefined for anything else (a `unix:` socket). */
function tcpTarget(url: string): { host: string; port: number } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

/**
 * Try a TCP connection: the error when it is refused or the host does not resolve (or any
 * other immediate failure), undefined when it connects or is merely slow.
 */
function probe(target: { host: string; port: number }): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const socket = connect(target);
    const finish = (error: Error | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(error);
    };
    const timer = setTimeout(() => finish(undefined), PROBE_TIMEOUT_MS);
    timer.unref();
    socket.once('connect', () => finish(undefined));
    socket.once('error', (error) => finish(error));
  });
}
