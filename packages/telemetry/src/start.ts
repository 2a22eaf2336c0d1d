/**
 * Start and stop the OpenTelemetry SDK for one psr process. Everything heavy is imported
 * here, lazily, and only when tracing is on.
 */
import { trace, type Tracer } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ExporterSpec, TelemetryConfig } from './config.js';
import type { TextSink } from './console-span-exporter.js';

/** A running telemetry set-up. */
export interface Telemetry {
  /** False when no exporter is configured (the tracer is then a no-op). */
  readonly enabled: boolean;
  /** Tracer to give the engine (`createEngine({ tracer })`). */
  readonly tracer: Tracer;
  /** Export everything recorded so far (bounded in time; failures become warnings). */
  flush(): Promise<void>;
  /** Flush and stop; safe to call more than once. Never rejects. */
  shutdown(): Promise<void>;
}

/** Options of {@link startTelemetry}. */
export interface StartTelemetryOptions {
  /** Called with export problems; a failed export is a warning, never a failed run. */
  onWarning?: (message: string) => void;
  /** Version reported as the tracer's and the service's version. */
  version?: string;
  /**
   * Where the console exporter prints spans. Default: `process.stderr`, never stdout, which
   * carries the run's own output (`psr run --json`).
   */
  consoleSink?: TextSink;
}

const NOOP: Telemetry = {
  enabled: false,
  tracer: trace.getTracer('psr'),
  flush: async () => undefined,
  shutdown: async () => undefined,
};

/**
 * Start the SDK with the exporters of `config` and register it globally (tracer provider,
 * W3C trace-context + baggage propagators, async-local-storage context manager).
 *
 * @example
 * ```ts
 * const telemetry = await startTelemetry(resolveTelemetryConfig(process.env, { traceFile: 'run.jsonl' }), {
 *   onWarning: (m) => console.warn(`warning: ${m}`),
 * });
 * const engine = createEngine({ registry, tracer: telemetry.tracer });
 * try { await engine.run(workflow); } finally { await telemetry.shutdown(); }
 * ```
 */
export async function startTelemetry(config: TelemetryConfig, options: StartTelemetryOptions = {}): Promise<Telemetry> {
  const warn = onceEach(options.onWarning ?? (() => undefined));
  for (const w of config.warnings) warn(w);
  if (!config.enabled) return NOOP;

  const [api, { NodeSDK }, traceBase, core, resources, { AsyncLocalStorageContextManager }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/context-async-hooks'),
  ]);

  // Route the SDK's own complaints (an unreachable collector, …) to warnings instead of stderr noise.
  api.diag.setLogger(
    {
      error: (message: string) => warn(`OpenTelemetry: ${message}`),
      warn: (message: string) => warn(`OpenTelemetry: ${message}`),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    api.DiagLogLevel.WARN,
  );

  // Export errors already warned about: the batch processor passes them on to the SDK's global
  // error handler and rejects flush and shutdown with them again; one failure is one warning.
  const reported = new WeakSet<object>();
  core.setGlobalErrorHandler((error) => {
    if (typeof error === 'object' && error !== null && reported.has(error)) return;
    warn(`OpenTelemetry: ${(error as Error | undefined)?.message ?? String(error)}`);
  });

  const processors: SpanProcessor[] = [];
  for (const spec of config.exporters) {
    if (spec.kind === 'file') {
      // The trace file has its own processor: it encodes each span as it ends (see trace-file-processor.ts).
      const { OtlpJsonFileSpanProcessor } = await import('./trace-file-processor.js');
      processors.push(new OtlpJsonFileSpanProcessor(spec.path, { onError: (e) => warn(`${describe(spec)} failed: ${e.message}`) }));
      continue;
    }
    let inner = await createExporter(spec, options.consoleSink ?? process.stderr);
    if (spec.kind === 'otlp') {
      const { ReachableSpanExporter } = await import('./reachable-exporter.js');
      inner = new ReachableSpanExporter(inner, spec.url);
    }
    const exporter = new WarningSpanExporter(inner, describe(spec), warn, reported);
    processors.push(
      spec.kind === 'console'
        ? new traceBase.SimpleSpanProcessor(exporter)
        : new traceBase.BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000, maxExportBatchSize: 1024, maxQueueSize: 65536 }),
    );
  }

  // Not the SDK's processDetector: it records the whole command line (process.command_args),
  // where a value given on psr's command line would leak into every exported trace.
  // OTEL_RESOURCE_ATTRIBUTES (envDetector) is applied last, so users can override the rest.
  // Detected here, not by the SDK, to wait for the asynchronous ones (host.id): the trace file
  // encodes the resource with the first span that ends.
  const resource = resources
    .defaultResource()
    .merge(
      resources.resourceFromAttributes({
        'process.pid': process.pid,
        'process.runtime.name': 'nodejs',
        'process.runtime.version': process.versions.node,
        ...(options.version ? { 'service.version': options.version } : {}),
      }),
    )
    .merge(resources.detectResources({ detectors: [resources.hostDetector, resources.envDetector] }));
  await resource.waitForAsyncAttributes?.();

  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    spanProcessors: processors,
    // psr exports traces only; empty lists keep the SDK from starting metric/log exporters.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
    resource,
    autoDetectResources: false,
    contextManager: new AsyncLocalStorageContextManager(),
    textMapPropagator: new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
    }),
  });
  sdk.start();

  const tracer = api.trace.getTracer('psr', options.version);
  const bounded = async (what: string, work: () => Promise<unknown>): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs);
      timer.unref();
    });
    try {
      const outcome = await Promise.race([work().then(() => 'done' as const), timeout]);
      if (outcome === 'timeout') warn(`trace ${what} did not finish within ${config.shutdownTimeoutMs} ms; some spans may be lost`);
    } catch (error) {
      if (typeof error === 'object' && error !== null && reported.has(error)) return;
      warn(`trace ${what} failed: ${(error as Error)?.message ?? String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  };

  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    tracer,
    flush: () => bounded('flush', () => Promise.all(processors.map((p) => p.forceFlush()))),
    shutdown: () => (stopped ??= bounded('shutdown', () => sdk.shutdown())),
  };
}

async function createExporter(spec: Exclude<ExporterSpec, { kind: 'file' }>, consoleSink: TextSink): Promise<SpanExporter> {
  switch (spec.kind) {
    case 'console': {
      const { StreamSpanExporter } = await import('./console-span-exporter.js');
      return new StreamSpanExporter(consoleSink);
    }
    case 'otlp': {
      if (spec.protocol === 'grpc') {
        const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
        return new OTLPTraceExporter({ url: spec.url });
      }
      if (spec.protocol === 'http/json') {
        const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
        return new OTLPTraceExporter({ url: spec.url });
      }
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
      return new OTLPTraceExporter({ url: spec.url });
    }
  }
}

function describe(spec: ExporterSpec): string {
  if (spec.kind === 'otlp') return `OTLP ${spec.protocol} export to ${spec.url}`;
  if (spec.kind === 'file') return `trace file ${spec.path}`;
  return 'console export';
}

/** Turns a failed export into a warning and never lets it propagate. */
class WarningSpanExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #label: string;
  readonly #warn: (message: string) => void;
  readonly #reported: WeakSet<object>;

  constructor(inner: SpanExporter, label: string, warn: (message: string) => void, reported: WeakSet<object>) {
    this.#inner = inner;
    this.#label = label;
    this.#warn = warn;
    this.#reported = reported;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      this.#inner.export(spans, (result) => {
        if (result.code !== 0) this.#report(result.error);
        done(result);
      });
    } catch (error) {
      this.#report(error);
      done({ code: 1, error: error as Error });
    }
  }

  #report(error: unknown): void {
    if (typeof error === 'object' && error !== null) this.#reported.add(error);
    this.#warn(`${this.#label} failed: ${(error as Error | undefined)?.message ?? (error === undefined ? 'unknown error' : String(error))}`);
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
}

function onceEach(sink: (message: string) => void): (message: string) => void {
  const seen = new Set<string>();
  return (message) => {
    if (seen.has(message)) return;
    seen.add(message);
    sink(message);
  };
}
