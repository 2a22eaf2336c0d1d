import { describe, expect, it } from 'vitest';
import { resolveTelemetryConfig } from './config.js';

describe('resolveTelemetryConfig', () => {
  it('is off when nothing asks for traces, even though the SDK default would be otlp', () => {
    const config = resolveTelemetryConfig({});
    expect(config.enabled).toBe(false);
    expect(config.exporters).toEqual([]);
  });

  it('turns on OTLP when only an endpoint is set, appending the traces path', () => {
    const config = resolveTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' });
    expect(config.exporters).toEqual([{ kind: 'otlp', protocol: 'http/protobuf', url: 'http://collector:4318/v1/traces' }]);
  });

  it('uses a signal-specific endpoint as is and honours the protocol variables', () => {
    const config = resolveTelemetryConfig({
      OTEL_TRACES_EXPORTER: 'otlp,console',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/custom',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    });
    expect(config.exporters).toEqual([
      { kind: 'otlp', protocol: 'http/json', url: 'http://tempo:4318/custom' },
      { kind: 'console' },
    ]);
  });

  it('adds the trace file from the flag and lets flags override the variables', () => {
    const config = resolveTelemetryConfig(
      { OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'ci' },
      { traceFile: 'out.jsonl', exporters: ['otlp'], otlpEndpoint: 'http://127.0.0.1:9999' },
    );
    expect(config.serviceName).toBe('ci');
    expect(config.exporters).toEqual([
      { kind: 'file', path: 'out.jsonl' },
      { kind: 'otlp', protocol: 'http/protobuf', url: 'http://127.0.0.1:9999/v1/traces' },
    ]);
  });

  it('respects none and OTEL_SDK_DISABLED, but still writes an explicitly requested trace file', () => {
    expect(resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' }).enabled).toBe(false);
    const disabled = resolveTelemetryConfig({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }, { traceFile: 't.jsonl' });
    expect(disabled.exporters).toEqual([{ kind: 'file', path: 't.jsonl' }]);
  });

  it('warns about unknown exporter names and protocols instead of failing', () => {
    const config = resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: 'zipkin,otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' });
    expect(config.warnings).toHaveLength(2);
    expect(config.warnings.join('\n')).toMatch(/zipkin/);
    expect(config.exporters).toEqual([{ kind: 'otlp', protocol: 'http/protobuf', url: 'http://localhost:4318/v1/traces' }]);
  });
});
