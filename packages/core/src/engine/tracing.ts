/**
 * Span names and attributes of a run, following the OpenTelemetry CI/CD semantic conventions
 * (`cicd.pipeline.*`; the names are spelled out here rather than importing the incubating
 * entry of @opentelemetry/semantic-conventions, which core does not need at run time).
 * psr-specific facts live under `psr.*`.
 */
import {
  context as otelContext,
  propagation,
  trace,
  ROOT_CONTEXT,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import type { AttemptStatus, RunStatus, TaskStatus } from '../model.js';

/** CI/CD semantic convention attribute names. */
export const CICD = {
  PIPELINE_NAME: 'cicd.pipeline.name',
  PIPELINE_RUN_ID: 'cicd.pipeline.run.id',
  PIPELINE_RESULT: 'cicd.pipeline.result',
  TASK_NAME: 'cicd.pipeline.task.name',
  TASK_RUN_ID: 'cicd.pipeline.task.run.id',
  TASK_RUN_RESULT: 'cicd.pipeline.task.run.result',
  ERROR_TYPE: 'error.type',
} as const;

/** The result values of `cicd.pipeline.result` and `cicd.pipeline.task.run.result`. */
export type CicdResult = 'success' | 'failure' | 'error' | 'timeout' | 'cancellation' | 'skip';

/** Map a run status to `cicd.pipeline.result`. */
export function runResultValue(status: RunStatus): CicdResult {
  switch (status) {
    case 'success':
      return 'success';
    case 'failure':
      return 'failure';
    case 'cancelled':
      return 'cancellation';
    case 'timeout':
      return 'timeout';
  }
}

/** Map an attempt status to `cicd.pipeline.task.run.result`. */
export function attemptResultValue(status: AttemptStatus): CicdResult {
  switch (status) {
    case 'success':
      return 'success';
    case 'failure':
      return 'failure';
    case 'error':
      return 'error';
    case 'timeout':
      return 'timeout';
    case 'cancelled':
      return 'cancellation';
  }
}

/** Map a task status (plus its last attempt) to `cicd.pipeline.task.run.result`. */
export function taskResultValue(status: TaskStatus, lastAttempt?: AttemptStatus): CicdResult {
  switch (status) {
    case 'success':
      return 'success';
    case 'skipped':
      return 'skip';
    case 'cancelled':
      return 'cancellation';
    case 'failure':
      return lastAttempt && lastAttempt !== 'success' && lastAttempt !== 'cancelled' ? attemptResultValue(lastAttempt) : 'failure';
  }
}

/** Continue an incoming trace from `TRACEPARENT`/`TRACESTATE`/`BAGGAGE` in an environment. */
export function extractTraceContext(env: Record<string, string | undefined>): Context {
  const carrier: Record<string, string> = {};
  if (env.TRACEPARENT) carrier.traceparent = env.TRACEPARENT;
  if (env.TRACESTATE) carrier.tracestate = env.TRACESTATE;
  if (env.BAGGAGE) carrier.baggage = env.BAGGAGE;
  if (Object.keys(carrier).length === 0) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/**
 * The trace context of `span` as environment variables (`TRACEPARENT`, `TRACESTATE`,
 * `BAGGAGE`: the OTel environment-carrier names), via the globally registered propagator.
 */
export function injectTraceContext(parent: Context, span: Span): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(carrier)) env[k.toUpperCase()] = v;
  return env;
}

/**
 * The tracer handed to tasks as `ctx.tracer`: spans opened without an explicit parent nest
 * under the attempt span, even when no async context manager is registered.
 */
export class AttemptTracer implements Tracer {
  readonly #tracer: Tracer;
  readonly #parent: Context;

  constructor(tracer: Tracer, parent: Context) {
    this.#tracer = tracer;
    this.#parent = parent;
  }

  /** Spans opened through this tracer: when one is active, new spans nest under it. */
  readonly #own = new WeakSet<Span>();

  #contextFor(ctx: Context | undefined): Context {
    if (ctx) return ctx;
    // Only a span this tracer opened counts as a parent from the active context; any other
    // active span (the embedding program's, say) must not capture the task's spans.
    const active = otelContext.active();
    const span = trace.getSpan(active);
    return span && this.#own.has(span) ? active : this.#parent;
  }

  startSpan(name: string, options?: SpanOptions, ctx?: Context): Span {
    const span = this.#tracer.startSpan(name, options, this.#contextFor(ctx));
    this.#own.add(span);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, a?: SpanOptions | F, b?: Context | F, c?: F): ReturnType<F> {
    let options: SpanOptions = {};
    let ctx: Context | undefined;
    let fn: F;
    if (typeof a === 'function') fn = a;
    else if (typeof b === 'function') {
      options = a ?? {};
      fn = b;
    } else {
      options = a ?? {};
      ctx = b;
      fn = c!;
    }
    const parent = this.#contextFor(ctx);
    const span = this.#tracer.startSpan(name, options, parent);
    this.#own.add(span);
    return otelContext.with(trace.setSpan(parent, span), fn as (s: Span) => ReturnType<F>, undefined, span);
  }
}

/** Span attribute values must be primitives: objects become JSON. */
export function attributeValue(value: unknown): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value) ?? 'null';
}

/** `psr.matrix.<k>` attributes of a matrix instance. */
export function matrixAttributes(matrix: Record<string, unknown> | undefined, mask: (s: string) => string): Attributes {
  const attrs: Attributes = {};
  if (!matrix) return attrs;
  for (const [k, v] of Object.entries(matrix)) {
    const value = attributeValue(v);
    attrs[`psr.matrix.${k}`] = typeof value === 'string' ? mask(value) : value;
  }
  return attrs;
}
