/**
 * What the engine tells the world while a run goes on. Observers (terminal rendering,
 * run history, cost attribution) implement the optional `on*` methods of {@link RunObserver};
 * the same events are also available as an async iterable from `engine.run(...)`.
 * A throwing observer is reported as an error, never silently ignored.
 */
import type { Diagnostic } from './errors.js';
import type { AttemptStatus, RunStatus, TaskStatus, Workflow } from './model.js';
import type { TaskOutputs } from './plugin.js';

/** How a run was started. */
export type RunTrigger = 'manual' | 'api' | 'schedule' | 'resume';

/** Facts about a run known at its start. */
export interface RunInfo {
  /** Unique run id (sortable: time-ordered). */
  id: string;
  workflow: Workflow;
  trigger: RunTrigger;
  inputs: Record<string, string | number | boolean>;
  /** ISO 8601. */
  startedAt: string;
  /** Trace id of the run's root span when tracing is on. */
  traceId?: string;
  /** Run this one resumes, if any. */
  resumedFrom?: string;
}

/** One instance of a task (a matrix task has one per combination). */
export interface TaskInstance {
  /** `build` or `build (python=3.11, os=linux)`. */
  id: string;
  /** The key under `tasks:`. */
  taskId: string;
  name: string;
  /** The task type (`run`, `script`, `scan`, …). */
  uses: string;
  matrix?: Record<string, unknown>;
}

/** Why a task failed, as plain data. */
export interface FailureInfo {
  /** `exit`, `timeout`, `cancelled`, `error`, `network`, or a plugin's own kind. */
  kind: string;
  /** Secret-masked message. */
  message: string;
  exitCode?: number;
  diagnostic?: Diagnostic;
  /** False when the task said another attempt would give the same answer (`TaskFailure`'s `retryable`). */
  retryable?: false;
}

/** The record of one attempt. */
export interface AttemptResult {
  /** 1-based. */
  attempt: number;
  status: AttemptStatus;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  exitCode?: number;
  cpuMs?: number;
  peakRssBytes?: number;
  failure?: FailureInfo;
  /** Masked tail of the attempt's combined output (for history and summaries). */
  logTail?: string;
}

/** The record of one task instance. */
export interface TaskResult {
  task: TaskInstance;
  status: TaskStatus;
  attempts: AttemptResult[];
  outputs: TaskOutputs;
  /** Failed but `continue-on-error` kept the run going. */
  continuedOnError?: boolean;
  /** Outputs were reused from an earlier run (resume). */
  reused?: boolean;
  /** For skipped/cancelled tasks: why; for a failure, why `continue-on-error` could not be decided. */
  reason?: string;
  startedAt?: string;
  endedAt?: string;
  durationMs: number;
}

/** The result of a whole run. */
export interface RunResult {
  run: RunInfo;
  status: RunStatus;
  endedAt: string;
  durationMs: number;
  /** Every task instance, in topological order. */
  tasks: TaskResult[];
  /**
   * Observers that threw (code `PSR_OBSERVER`). A throwing observer is never silent: when
   * there is any, a run that would have succeeded has status `failure`.
   */
  observerErrors?: Diagnostic[];
}

/** The events, as one discriminated union (for `--json` NDJSON and the async iterable). */
export type RunEvent =
  | { type: 'run-start'; run: RunInfo }
  | { type: 'task-start'; run: RunInfo; task: TaskInstance }
  | { type: 'attempt-start'; run: RunInfo; task: TaskInstance; attempt: number }
  | { type: 'output'; run: RunInfo; task: TaskInstance; attempt: number; stream: 'stdout' | 'stderr' | 'log'; text: string; level?: 'info' | 'warn' | 'error' | 'debug' }
  | { type: 'attempt-end'; run: RunInfo; task: TaskInstance; result: AttemptResult }
  | { type: 'retry-wait'; run: RunInfo; task: TaskInstance; attempt: number; delayMs: number }
  | { type: 'task-end'; run: RunInfo; task: TaskInstance; result: TaskResult }
  | { type: 'run-end'; run: RunInfo; result: RunResult };

type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/** Lifecycle observer: implement only the methods you need. */
export interface RunObserver {
  onRunStart?(event: EventOf<'run-start'>): void | Promise<void>;
  onTaskStart?(event: EventOf<'task-start'>): void | Promise<void>;
  onAttemptStart?(event: EventOf<'attempt-start'>): void | Promise<void>;
  onOutput?(event: EventOf<'output'>): void;
  onAttemptEnd?(event: EventOf<'attempt-end'>): void | Promise<void>;
  onRetryWait?(event: EventOf<'retry-wait'>): void | Promise<void>;
  onTaskEnd?(event: EventOf<'task-end'>): void | Promise<void>;
  onRunEnd?(event: EventOf<'run-end'>): void | Promise<void>;
}
