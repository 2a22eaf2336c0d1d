/**
 * Tracing for one psr process: exporters from `OTEL_*` variables and the `--trace-file` /
 * `--otlp-endpoint` flags. `@psr/telemetry` (and the OTel SDK behind it) is imported only
 * when tracing is on, so an ordinary run pays nothing.
 */
import type { Telemetry } from '@psr/telemetry';
import type { ParsedArgs } from '../command.js';
import type { CliIO } from '../io.js';
import { PSR_VERSION } from '../version.js';

/** The tracer to hand the engine (undefined when off) and how to flush it. */
export interface RunTelemetry {
  tracer?: Telemetry['tracer'];
  /** Flush and stop; bounded in time, never throws (export problems are warnings). */
  shutdown(): Promise<void>;
}

/** The `psr run` / `psr schedule` options that control tracing. */
export const tracingOptions = [
  { name: 'trace-file', type: 'string', valueName: 'file', description: 'Write the trace as OTLP JSON lines to this file' },
  {
    name: 'otlp-endpoint',
    type: 'string',
    valueName: 'url',
    description: 'Export the trace over OTLP/HTTP to this base URL (as OTEL_EXPORTER_OTLP_ENDPOINT)',
  },
] as const;

/**
 * Start tracing when the flags or `OTEL_*` variables ask for it.
 *
 * @example
 * ```ts
 * const telemetry = await startRunTelemetry(args, io);
 * const engine = createEngine({ registry, ...(telemetry.tracer ? { tracer: telemetry.tracer } : {}) });
 * try { await engine.run(workflow); } finally { await telemetry.shutdown(); }
 * ```
 */
export async function startRunTelemetry(args: ParsedArgs, io: CliIO): Promise<RunTelemetry> {
  const traceFile = args.options['trace-file'] as string | undefined;
  const otlpEndpoint = args.options['otlp-endpoint'] as string | undefined;
  const env = io.env;
  const wanted =
    traceFile !== undefined ||
    otlpEndpoint !== undefined ||
    Boolean(env['OTEL_TRACES_EXPORTER'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
  if (!wanted) return { shutdown: async () => undefined };

  const { resolve } = await import('node:path');
  const { resolveTelemetryConfig, startTelemetry } = await import('@psr/telemetry');
  const config = resolveTelemetryConfig(env, {
    ...(traceFile !== undefined ? { traceFile: resolve(io.cwd, traceFile) } : {}),
    ...(otlpEndpoint !== undefined ? { otlpEndpoint } : {}),
  });
  const telemetry = await startTelemetry(config, {
    version: PSR_VERSION,
    // stdout is the run's output (one JSON object a line with --json); spans are diagnostics.
    consoleSink: io.stderr,
    onWarning: (message) => void io.stderr.write(`psr: warning: ${message}\n`),
  });
  return telemetry.enabled ? { tracer: telemetry.tracer, shutdown: () => telemetry.shutdown() } : { shutdown: async () => undefined };
}
