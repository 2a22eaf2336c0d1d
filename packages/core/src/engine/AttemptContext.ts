/**
 * The `ctx` a task receives for one attempt. A class rather than an object literal so the
 * expensive parts (abort signals, the environment copy, the child tracer) are built only
 * when the task asks for them.
 */
import { trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { AttemptMetrics, TaskContext, TaskLogger } from '../plugin.js';
import type { LazyAbortController } from './LazyAbortController.js';
import { AttemptTracer, injectTraceContext } from './tracing.js';

/** Everything an {@link AttemptContext} is made from. */
export interface AttemptContextParts {
  controller: LazyAbortController;
  kill: LazyAbortController;
  log: TaskLogger;
  workdir: string;
  attempt: number;
  secrets: Readonly<Record<string, string>>;
  /** The environment's layers, later ones win: base (process) env, workflow env, task env. */
  baseEnv: Readonly<Record<string, string>>;
  workflowEnv: Readonly<Record<string, string>>;
  taskEnv: Readonly<Record<string, string>>;
  run: TaskContext['run'];
  task: TaskContext['task'];
  span: Span;
  /** Context holding the task span (the attempt span's parent). */
  parentContext: Context;
  tracer: Tracer;
  mask: (text: string) => string;
}

/** The task context of one attempt. */
export class AttemptContext implements TaskContext {
  readonly log: TaskLogger;
  readonly workdir: string;
  readonly attempt: number;
  readonly secrets: Readonly<Record<string, string>>;
  readonly run: TaskContext['run'];
  readonly task: TaskContext['task'];
  readonly span: Span;
  readonly mask: (text: string) => string;
  /** What the task reported through `setMetrics`. */
  metrics: AttemptMetrics | undefined;
  readonly #parts: AttemptContextParts;
  #env: Record<string, string> | undefined;
  #tracer: Tracer | undefined;

  constructor(parts: AttemptContextParts) {
    this.#parts = parts;
    this.log = parts.log;
    this.workdir = parts.workdir;
    this.attempt = parts.attempt;
    this.secrets = parts.secrets;
    this.run = parts.run;
    this.task = parts.task;
    this.span = parts.span;
    this.mask = parts.mask;
  }

  get signal(): AbortSignal {
    return this.#parts.controller.signal;
  }

  get killSignal(): AbortSignal {
    return this.#parts.kill.signal;
  }

  get env(): Readonly<Record<string, string>> {
    if (!this.#env) {
      const p = this.#parts;
      const env: Record<string, string> = { ...p.baseEnv, ...p.workflowEnv, ...p.taskEnv };
      env.PSR_RUN_ID = this.run.id;
      env.PSR_TASK_ID = this.task.id;
      env.PSR_TASK_INSTANCE = this.task.instanceId;
      env.PSR_ATTEMPT = String(this.attempt);
      env.PSR_WORKFLOW = this.run.workflow;
      // The attempt span's context, as TRACEPARENT/TRACESTATE/BAGGAGE for child processes.
      Object.assign(env, injectTraceContext(this.#parts.parentContext, this.span));
      this.#env = env;
    }
    return this.#env;
  }

  get tracer(): Tracer {
    this.#tracer ??= new AttemptTracer(this.#parts.tracer, trace.setSpan(this.#parts.parentContext, this.span));
    return this.#tracer;
  }

  setMetrics(metrics: AttemptMetrics): void {
    this.metrics = { ...this.metrics, ...metrics };
  }
}
