/**
 * The plugin API. A plugin is a plain object `{ name, apiVersion: 1, tasks }`; each task
 * type declares a zod schema for its `with:` input and a `run(ctx, input)` function.
 * Built-in plugins (`psr:shell`, `psr:scan`, …) use exactly this API.
 */
import type { Span, Tracer } from '@opentelemetry/api';
import type { z } from 'zod';

/** The plugin contract version this release of psr speaks. */
export const PLUGIN_API_VERSION = 1 as const;

/** Values a task may return as outputs (readable as `tasks.<id>.outputs.<key>`). */
export type OutputValue = string | number | boolean | null | OutputValue[] | { [key: string]: OutputValue };

/** The outputs of a task. */
export type TaskOutputs = Record<string, OutputValue>;

/** Where a task writes human-readable output. Everything written is secret-masked. */
export interface TaskLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /** Raw chunk of a child process's stdout (shell tasks). */
  stdout(chunk: string): void;
  /** Raw chunk of a child process's stderr (shell tasks). */
  stderr(chunk: string): void;
}

/** Resource usage of one attempt, reported by the task (shell tasks measure their child). */
export interface AttemptMetrics {
  exitCode?: number;
  signal?: string;
  /** User + system CPU time in ms. */
  cpuMs?: number;
  /** Peak resident set size in bytes. */
  peakRssBytes?: number;
}

/** Everything a task receives besides its input. */
export interface TaskContext {
  /** Aborted on timeout, cancel (Ctrl-C) or fail-fast. Pass it to everything that waits. */
  readonly signal: AbortSignal;
  /**
   * Aborted when psr must stop at once (a second Ctrl-C, or the kill grace period after
   * `signal` ran out): kill child processes with SIGKILL, skip clean-up.
   */
  readonly killSignal: AbortSignal;
  readonly log: TaskLogger;
  /** Absolute working directory of the task. */
  readonly workdir: string;
  /** 1-based attempt number. */
  readonly attempt: number;
  /** Secrets the workflow may use, by name. Never log them: use `mask`. */
  readonly secrets: Readonly<Record<string, string>>;
  /**
   * The environment for child processes: the process environment, workflow `env`, task `env`,
   * `PSR_*` variables and trace context (`TRACEPARENT`, `TRACESTATE`, `BAGGAGE`).
   */
  readonly env: Readonly<Record<string, string>>;
  readonly run: { readonly id: string; readonly workflow: string; readonly startedAt: string };
  readonly task: {
    /** The key under `tasks:`. */
    readonly id: string;
    /** The instance id: the task id, plus matrix values for matrix instances (`build (py=3.12)`). */
    readonly instanceId: string;
    readonly matrix?: Readonly<Record<string, unknown>>;
  };
  /** The span of this attempt (a no-op span when tracing is off). */
  readonly span: Span;
  /** Open child spans with this tracer; they nest under the attempt span. */
  readonly tracer: Tracer;
  /** Replace every secret value in `text` with `***`. */
  mask(text: string): string;
  /** Report resource usage and exit code of this attempt. */
  setMetrics(metrics: AttemptMetrics): void;
}

/**
 * A failure a task reports on purpose. `kind` is what `retry.on` matches
 * (`exit`, `timeout`, `network`, or a plugin's own word); `exitCode` likewise.
 * `outputs` are still published (a scan that fails on findings still reports counts).
 * A `cause` that is a `PsrError` (a user mistake: a bad input file) gives the failure its
 * diagnostic: code, location and hint, shown with the failure and kept in history.
 * `retryable: false` says another attempt would give the same answer (a scan's findings): it
 * is then retried only when `retry.on` names its kind, never by a bare `retry: 3` or
 * `defaults.retry` meant for flaky tasks.
 *
 * @example
 * ```ts
 * throw new TaskFailure(err.message, { kind: 'input', outputs: { status: 'input-error' }, cause: err });
 * throw new TaskFailure('3 vulnerabilities at or above high', { kind: 'findings', retryable: false, outputs });
 * ```
 */
export class TaskFailure extends Error {
  readonly kind: string;
  readonly exitCode: number | undefined;
  readonly outputs: TaskOutputs | undefined;
  /** False when retrying cannot change the outcome (see the class comment); default true. */
  readonly retryable: boolean;
  constructor(message: string, options: { kind?: string; exitCode?: number; outputs?: TaskOutputs; cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TaskFailure';
    this.kind = options.kind ?? 'error';
    this.exitCode = options.exitCode;
    this.outputs = options.outputs;
    this.retryable = options.retryable ?? true;
  }
}

/** A task type: the schema of its `with:` input and what it does. */
export interface TaskType<Schema extends z.ZodType = z.ZodType> {
  /** One line, shown by `psr --help` and in docs. */
  description: string;
  /**
   * zod schema of `with:`; its defaults apply, its errors point at the workflow line. A rule
   * across keys is a refinement adding a `custom` issue whose `path` names the key to fix and
   * whose `params.hint` says how (`psr validate` shows both).
   */
  input: Schema;
  /**
   * The `kind`s of the `TaskFailure`s it throws (`['findings', 'source', 'input']`). When given,
   * `psr validate` refuses a task's `retry.on` naming a kind neither it nor the engine
   * (`timeout`, `error`) ever gives: such a retry would silently never happen.
   */
  failureKinds?: readonly string[];
  /** Do the work. Return outputs, or throw (a `TaskFailure` to control retry matching). */
  run(ctx: TaskContext, input: z.output<Schema>): Promise<TaskOutputs | void> | TaskOutputs | void;
}

/** A plugin: a named set of task types. */
export interface Plugin {
  /** Unique name; built-ins are `psr:<name>`. */
  name: string;
  /** Must be {@link PLUGIN_API_VERSION}. */
  apiVersion: typeof PLUGIN_API_VERSION;
  /** Task types by the name used in `uses:`. */
  tasks: Record<string, TaskType<any>>;
}

/**
 * Declare a plugin. An identity function that only adds types.
 *
 * @example
 * ```ts
 * import { definePlugin, defineTask, z } from '@psr/core';
 *
 * export default definePlugin({
 *   name: 'hello',
 *   apiVersion: 1,
 *   tasks: {
 *     greet: defineTask({
 *       description: 'Say hello',
 *       input: z.object({ who: z.string().default('world') }),
 *       run(ctx, input) {
 *         ctx.log.info(`hello ${input.who}`);
 *         return { greeted: input.who };
 *       },
 *     }),
 *   },
 * });
 * ```
 */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}

/**
 * Declare a task type with full input types inferred from its zod schema.
 *
 * @example
 * ```ts
 * const sleep = defineTask({
 *   description: 'Wait a while',
 *   input: z.object({ ms: z.number().int().min(0) }),
 *   async run(ctx, { ms }) {
 *     await new Promise((r, j) => { const t = setTimeout(r, ms); ctx.signal.addEventListener('abort', () => { clearTimeout(t); j(ctx.signal.reason); }); });
 *   },
 * });
 * ```
 */
export function defineTask<Schema extends z.ZodType>(task: TaskType<Schema>): TaskType<Schema> {
  return task;
}
