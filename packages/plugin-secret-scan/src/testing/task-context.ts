import { INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import type { Span, Tracer } from '@opentelemetry/api';
import type { TaskContext } from '@psr/core';

/** A real TaskContext for tests and the CLI-less harness: logs captured line by line. */
export function captureContext(workdir: string, options: { span?: Span; tracer?: Tracer } = {}): { ctx: TaskContext; logs: string[] } {
  const logs: string[] = [];
  const push = (level: string) => (m: string) => logs.push(`${level} ${m}`);
  const controller = new AbortController();
  const ctx: TaskContext = {
    signal: controller.signal,
    killSignal: new AbortController().signal,
    log: { info: push('info'), warn: push('warn'), error: push('error'), debug: push('debug'), stdout: push('stdout'), stderr: push('stderr') },
    workdir,
    attempt: 1,
    secrets: {},
    env: {},
    run: { id: 'test-run', workflow: 'test', startedAt: new Date().toISOString() },
    task: { id: 'secrets', instanceId: 'secrets' },
    span: options.span ?? trace.wrapSpanContext(INVALID_SPAN_CONTEXT),
    tracer: options.tracer ?? trace.getTracer('test'),
    mask: (t) => t,
    setMetrics: () => {},
  };
  return { ctx, logs };
}
