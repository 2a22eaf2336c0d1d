// The public surface of @psr/telemetry.
export { resolveTelemetryConfig } from './config.js';
export type { TelemetryConfig, TelemetryFlags, ExporterSpec } from './config.js';
export { startTelemetry } from './start.js';
export type { Telemetry, StartTelemetryOptions } from './start.js';
export type { TextSink } from './console-span-exporter.js';
export { OtlpJsonFileSpanProcessor } from './trace-file-processor.js';
export type { OtlpJsonFileOptions } from './trace-file-processor.js';
