/**
 * The programmatic API of the engine: `createEngine(options)` then `engine.run(workflow)`.
 * Implemented in ./engine.ts.
 */
import type { Tracer } from '@opentelemetry/api';
import type { RunEvent, RunObserver, RunResult, RunTrigger } from '../events.js';
import type { Executor } from '../executor.js';
import type { TaskOutputs } from '../plugin.js';
import type { PluginRegistry } from '../plugins/registry.js';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** Task types the engine can run (must already hold the workflow's plugins). */
  registry: PluginRegistry;
  /** Where attempts run; default: in this process. */
  executor?: Executor;
  /** Lifecycle observers (terminal view, history, …), called in order. */
  observers?: RunObserver[];
  /** Tracer for run/task/attempt spans; default the global tracer (a no-op unless an SDK is registered). */
  tracer?: Tracer;
  /** Grace between SIGTERM and SIGKILL when a task is cancelled or times out, ms (default 5000). */
  killGraceMs?: number;
}

/** Options of one run. */
export interface RunOptions {
  /** Raw input values (strings from the CLI are coerced to the declared type). */
  inputs?: Record<string, string | number | boolean>;
  /** Abort to cancel the run gracefully. */
  signal?: AbortSignal;
  /** Secret values by name (`${{ secrets.NAME }}`); every value is masked in all output. */
  secrets?: Record<string, string>;
  /** Overrides the workflow's `concurrency` (CLI `-j`). */
  concurrency?: number;
  /** Overrides the workflow's `fail-fast`. */
  failFast?: boolean;
  /** Base environment for tasks; default `process.env`. */
  env?: Record<string, string | undefined>;
  trigger?: RunTrigger;
  /** Use this run id instead of generating one. */
  runId?: string;
  /** Resume: task instances (by instance id) that already succeeded, with their outputs; they are not run again. */
  reuse?: Record<string, TaskOutputs>;
  resumedFrom?: string;
  /** Extra span attributes on the run's root span (e.g. `psr.trigger`, `psr.schedule.cron`). */
  attributes?: Record<string, string | number | boolean>;
}

/** A run in progress: await it for the result, iterate it for events. */
export interface RunHandle extends PromiseLike<RunResult>, AsyncIterable<RunEvent> {
  readonly id: string;
  /** Graceful cancel: tasks get their signal aborted (SIGTERM for processes). */
  cancel(reason?: string): void;
  /** Immediate stop: processes get SIGKILL. */
  kill(): void;
}

/** The engine. */
export interface Engine {
  run(workflow: import('../model.js').Workflow, options?: RunOptions): RunHandle;
}
