/**
 * Which exporters a psr process uses, decided from `OTEL_*` variables and CLI flags without
 * loading the SDK. Tracing is off unless asked for, so an ordinary `psr run` pays nothing.
 */

/** One place spans go. */
export type ExporterSpec =
  | { kind: 'otlp'; protocol: 'http/protobuf' | 'http/json' | 'grpc'; url: string }
  | { kind: 'console' }
  | { kind: 'file'; path: string };

/** The resolved telemetry set-up. */
export interface TelemetryConfig {
  /** False when no exporter is configured: no SDK is loaded at all. */
  enabled: boolean;
  exporters: ExporterSpec[];
  serviceName: string;
  /** Bound on flush/shutdown, so an unreachable collector never hangs psr (ms). */
  shutdownTimeoutMs: number;
  /** Problems with the configuration itself (unknown exporter names, …), for the user. */
  warnings: string[];
}

/** Flags a command line may give (each overrides the matching variable). */
export interface TelemetryFlags {
  /** `--trace-file out.jsonl`: OTLP JSON lines, one export batch per line. */
  traceFile?: string;
  /** `--trace-exporter otlp,console`: same words as `OTEL_TRACES_EXPORTER`. */
  exporters?: string[];
  /** `--otlp-endpoint http://host:4318`: base endpoint, `/v1/traces` is appended for HTTP. */
  otlpEndpoint?: string;
  serviceName?: string;
}

const PROTOCOLS = new Set(['http/protobuf', 'http/json', 'grpc']);

/**
 * Resolve the exporters from the standard variables (`OTEL_TRACES_EXPORTER`,
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, `OTEL_SERVICE_NAME`,
 * `OTEL_SDK_DISABLED`) and flags.
 *
 * Unlike the SDK's own default (`otlp` when nothing is set), psr exports only when asked:
 * an exporter is named, an OTLP endpoint is set, or `--trace-file` is given.
 *
 * @example
 * ```ts
 * const config = resolveTelemetryConfig(process.env, { traceFile: 'trace.jsonl' });
 * if (config.enabled) {
 *   const telemetry = await startTelemetry(config);
 *   // … run …
 *   await telemetry.shutdown();
 * }
 * ```
 */
export function resolveTelemetryConfig(
  env: Record<string, string | undefined>,
  flags: TelemetryFlags = {},
): TelemetryConfig {
  const warnings: string[] = [];
  const serviceName = flags.serviceName ?? nonEmpty(env.OTEL_SERVICE_NAME) ?? 'psr';
  const shutdownTimeoutMs = Number(env.PSR_OTEL_SHUTDOWN_TIMEOUT_MS ?? '') || 5000;
  const exporters: ExporterSpec[] = [];

  if (flags.traceFile) exporters.push({ kind: 'file', path: flags.traceFile });

  const disabled = (env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true';
  const tracesEndpoint = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const baseEndpoint = flags.otlpEndpoint ?? nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  let names = flags.exporters ?? list(env.OTEL_TRACES_EXPORTER);
  if (names.length === 0 && (tracesEndpoint || baseEndpoint)) names = ['otlp'];
  if (disabled && !flags.exporters) names = [];
  if (names.includes('none')) names = [];

  for (const name of new Set(names)) {
    if (name === 'console') {
      exporters.push({ kind: 'console' });
    } else if (name === 'otlp') {
      let protocol = (nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL) ?? 'http/protobuf') as string;
      if (!PROTOCOLS.has(protocol)) {
        warnings.push(`unknown OTLP protocol "${protocol}" (use http/protobuf, http/json or grpc); using http/protobuf`);
        protocol = 'http/protobuf';
      }
      const p = protocol as 'http/protobuf' | 'http/json' | 'grpc';
      const url = flags.otlpEndpoint
        ? signalUrl(flags.otlpEndpoint, p)
        : tracesEndpoint ?? signalUrl(baseEndpoint ?? defaultEndpoint(p), p);
      exporters.push({ kind: 'otlp', protocol: p, url });
    } else {
      warnings.push(`unknown trace exporter "${name}" in OTEL_TRACES_EXPORTER (use otlp, console or none); ignored`);
    }
  }
  return { enabled: exporters.length > 0, exporters, serviceName, shutdownTimeoutMs, warnings };
}

function defaultEndpoint(protocol: string): string {
  return protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318';
}

// The OTLP spec: a base endpoint gets `/v1/traces` appended for HTTP; gRPC takes it as is.
function signalUrl(base: string, protocol: string): string {
  if (protocol === 'grpc') return base;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}
