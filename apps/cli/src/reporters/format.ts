/**
 * Shared pieces of the human-readable reporters: durations, status symbols, colours,
 * the final summary table.
 */
import picocolors from 'picocolors';
import type { AttemptResult, FailureInfo, RunResult, TaskInstance, TaskResult, TaskStatus, Workflow } from '@psr/core';
import type { CliIO, OutputStream } from '../io.js';

/** The colour functions used by reporters (identity functions when colour is off). */
export type Colors = ReturnType<typeof picocolors.createColors>;

/** Colour on for terminals unless NO_COLOR is set; FORCE_COLOR forces it. */
export function colorsFor(stream: OutputStream, env: CliIO['env']): Colors {
  const force = env['FORCE_COLOR'];
  const enabled = force !== undefined ? force !== '0' && force !== 'false' : stream.isTTY === true && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb';
  return picocolors.createColors(enabled);
}

/**
 * `850ms`, `1.2s`, `2m 05s`, `1h 02m`.
 *
 * @example
 * ```ts
 * formatDuration(61_000); // '1m 01s'
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One symbol per final task state. */
export const statusSymbol: Record<TaskStatus, string> = {
  success: '✓',
  failure: '✗',
  skipped: '○',
  cancelled: '⊘',
};

/** Colour a status word/symbol. */
export function paintStatus(c: Colors, status: TaskStatus, text: string): string {
  switch (status) {
    case 'success':
      return c.green(text);
    case 'failure':
      return c.red(text);
    case 'cancelled':
      return c.yellow(text);
    default:
      return c.dim(text);
  }
}

/** Total attempts allowed for a task instance (its retry policy). */
export function maxAttempts(workflow: Workflow | undefined, task: TaskInstance): number {
  return workflow?.tasks.find((t) => t.id === task.taskId)?.retry.attempts ?? 1;
}

/**
 * Why a failed attempt with attempts left is the last one, when the task said so: a failure
 * marked not retryable (a scan's findings) whose kind `retry.on` does not name. Otherwise
 * "attempt 1/3 failure" then the task's end reads as if psr forgot the other two.
 */
export function notRetriedNote(workflow: Workflow | undefined, task: TaskInstance, result: AttemptResult): string | undefined {
  const failure = result.failure;
  if (failure?.retryable !== false || result.attempt >= maxAttempts(workflow, task)) return undefined;
  const on = workflow?.tasks.find((t) => t.id === task.taskId)?.retry.on;
  if (on?.includes(failure.kind)) return undefined;
  return `not retried: another attempt would give the same "${failure.kind}" failure (retry.on: [${failure.kind}] retries it anyway)`;
}

/**
 * The summary table printed at the end of a run (live and plain reporters).
 *
 * @example
 * ```
 * task      status     attempts  duration
 * build     ✓ success  1/1       1.2s
 * ```
 */
export function formatSummary(result: RunResult, c: Colors): string {
  const workflow = result.run.workflow as Workflow | undefined;
  const rows = result.tasks.map((t) => {
    const max = maxAttempts(workflow, t.task);
    const status = `${statusSymbol[t.status]} ${t.status}${t.continuedOnError ? ' (continue-on-error)' : ''}`;
    return {
      task: t.task.id,
      status,
      painted: paintStatus(c, t.status, status),
      attempts: t.attempts.length ? `${t.attempts.length}/${max}` : '-',
      duration: t.attempts.length ? formatDuration(t.durationMs) : '-',
      reason: t.status === 'skipped' || t.status === 'cancelled' ? (t.reason ?? '') : '',
    };
  });
  const w = {
    task: Math.max(4, ...rows.map((r) => r.task.length)),
    status: Math.max(6, ...rows.map((r) => r.status.length)),
    attempts: 8,
  };
  const lines = [
    c.bold(`${'task'.padEnd(w.task)}  ${'status'.padEnd(w.status)}  ${'attempts'.padEnd(w.attempts)}  duration`),
    ...rows.map(
      (r) =>
        `${r.task.padEnd(w.task)}  ${r.painted}${' '.repeat(w.status - r.status.length)}  ${r.attempts.padEnd(w.attempts)}  ${r.duration}${r.reason ? c.dim(`  ${r.reason}`) : ''}`,
    ),
  ];
  const counts = new Map<TaskStatus, number>();
  for (const t of result.tasks) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  const parts = (['success', 'failure', 'skipped', 'cancelled'] as const)
    .filter((s) => counts.get(s))
    .map((s) => `${counts.get(s)} ${s === 'success' ? 'succeeded' : s === 'failure' ? 'failed' : s}`);
  const runStatus = result.status === 'success' ? c.green(result.status) : c.red(result.status);
  lines.push('', `run ${runStatus} in ${formatDuration(result.durationMs)} — ${parts.join(', ') || 'no tasks'}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The whole lines of an output event: process output arrives in arbitrary chunks (partial lines
 * are held back per task and stream), while `log` events (ctx.log.info …) are complete lines.
 */
export function outputLines(splitter: LineSplitter, taskId: string, stream: string, text: string): string[] {
  if (stream === 'log') return text.replace(/\r?\n$/, '').split(/\r?\n/);
  return splitter.push(`${taskId}\0${stream}`, text);
}

/** Splits streamed chunks into whole lines, per key (task + stream), keeping partial lines. */
export class LineSplitter {
  readonly #partial = new Map<string, string>();

  /** Whole lines completed by `chunk`. */
  push(key: string, chunk: string): string[] {
    const text = (this.#partial.get(key) ?? '') + chunk;
    const parts = text.split(/\r?\n/);
    this.#partial.set(key, parts.pop() ?? '');
    return parts;
  }

  /** The unfinished last line of `key`, if any (and forget it). */
  flush(key: string): string | undefined {
    const rest = this.#partial.get(key);
    this.#partial.delete(key);
    return rest ? rest : undefined;
  }

  /** Keys with unfinished lines. */
  keys(): string[] {
    return [...this.#partial.keys()];
  }
}

/**
 * Why an attempt failed, as the reporters print it: the message, led by the `file:line:col` of
 * the diagnostic when there is one (a plugin's input error, e.g. a bad ignore file), with its
 * code and hint apart.
 *
 * @example
 * ```ts
 * const why = describeFailure(result.failure);
 * write(`${why.message}${why.code ? ` [${why.code}]` : ''}`);
 * ```
 */
export function describeFailure(failure: FailureInfo): { message: string; code?: string; hint?: string } {
  const d = failure.diagnostic;
  const at = d?.location ? `${d.location.file}:${d.location.line}:${d.location.col}: ` : '';
  return { message: `${at}${failure.message}`, ...(d?.code ? { code: d.code } : {}), ...(d?.hint ? { hint: d.hint } : {}) };
}

/**
 * Why a task failed before any attempt ran (an `if:` or a dynamic matrix that could not be
 * evaluated): no attempt-end event carried the message, so the task's end shows it.
 */
export function failureBeforeRun(result: TaskResult): { message: string; code?: string; hint?: string } | undefined {
  const failure = result.attempts[result.attempts.length - 1]?.failure;
  if (result.status !== 'failure' || !failure) return undefined;
  return describeFailure(failure);
}
