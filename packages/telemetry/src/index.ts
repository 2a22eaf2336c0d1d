// The public surface of @psr/telemetry.
export { resolveTelemetryConfig } from './config.js';
export type { TelemetryConfig, TelemetryFlags, ExporterSpec } from './config.js';
export { startTelemetry } from './start.js';
export type { Telemetry, StartTelemetryOptions } from './start.js';
export { OtlpJsonFileExporter } from './file-exporter.js';
