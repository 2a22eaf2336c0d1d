/**
 * Where task attempts execute. The scheduler decides *when* a task runs; an executor
 * decides *where*. The default runs attempts in this process; a distributed executor
 * (BullMQ workers) implements the same interface without touching the scheduler.
 */
import type { TaskInstance } from './events.js';
import type { TaskContext, TaskOutputs } from './plugin.js';

/** One attempt to execute. Everything but `context` is plain, serialisable data. */
export interface ExecutionRequest {
  task: TaskInstance;
  /** Plugin that provides the task type (`psr:shell`, a package name, or an absolute path). */
  plugin: string;
  /** Task type name within the plugin. */
  taskType: string;
  /** The task's `with:` input, expressions already evaluated, not yet schema-parsed. */
  input: Record<string, unknown>;
  /** Per-attempt timeout in ms (the context's signal fires on it too). */
  timeoutMs?: number;
  context: TaskContext;
}

/** Runs attempts. */
export interface Executor {
  readonly name: string;
  /** Run one attempt; resolve with outputs or reject (a `TaskFailure` for expected failures). */
  execute(request: ExecutionRequest): Promise<TaskOutputs | void>;
  /** Release resources (connections, workers). */
  close?(): Promise<void>;
}
