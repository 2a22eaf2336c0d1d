/**
 * Plain line-oriented output for CI logs and pipes: every line of task output is prefixed
 * with `[task id]`, state changes get one line each, and the summary table ends the run.
 */
import type { RunInfo, RunResult, TaskInstance, Workflow } from '@psr/core';
import type { CliIO, OutputStream } from '../io.js';
import { colorsFor, describeFailure, failureBeforeRun, outputLines, formatDuration, formatSummary, LineSplitter, maxAttempts, notRetriedNote, paintStatus, statusSymbol, type Colors } from './format.js';
import type { Mask, Reporter } from './reporter.js';

/**
 * Create the plain reporter.
 *
 * @example
 * ```ts
 * const reporter = createPlainReporter(io, mask);
 * createEngine({ registry, observers: [reporter] });
 * ```
 */
export function createPlainReporter(io: Pick<CliIO, 'stdout' | 'env'>, mask: Mask): Reporter {
  const out: OutputStream = io.stdout;
  const c: Colors = colorsFor(out, io.env);
  const lines = new LineSplitter();
  const debug = io.env['PSR_DEBUG'] === '1';
  let workflow: Workflow | undefined;
  /** Instances that started (one that ends without starting was skipped or failed before it could run). */
  const started = new Set<string>();
  const write = (s: string): void => void out.write(mask(s));
  const prefix = (task: TaskInstance): string => c.cyan(`[${task.id}]`);
  const flushTask = (task: TaskInstance): void => {
    for (const stream of ['stdout', 'stderr', 'log']) {
      const rest = lines.flush(`${task.id}\0${stream}`);
      if (rest !== undefined) write(`${prefix(task)} ${rest}\n`);
    }
  };

  return {
    onRunStart({ run }: { run: RunInfo }) {
      workflow = run.workflow;
      write(c.bold(`▶ ${run.workflow.name}`) + c.dim(` run ${run.id}`) + '\n');
    },
    onTaskStart({ task }) {
      started.add(task.id);
      write(`${prefix(task)} ${c.dim('started')}\n`);
    },
    onAttemptStart({ task, attempt }) {
      if (attempt > 1) write(`${prefix(task)} ${c.dim(`attempt ${attempt}/${maxAttempts(workflow, task)}`)}\n`);
    },
    onOutput({ task, stream, text, level }) {
      if (level === 'debug' && !debug) return;
      for (const line of outputLines(lines, task.id, stream, text)) write(`${prefix(task)} ${line}\n`);
    },
    onAttemptEnd({ task, result }) {
      flushTask(task);
      if (result.status === 'success') return;
      const why = result.failure ? describeFailure(result.failure) : { message: result.status };
      write(`${prefix(task)} ${c.red(`attempt ${result.attempt}/${maxAttempts(workflow, task)} ${result.status}`)}: ${why.message}${why.code ? c.dim(` [${why.code}]`) : ''} (${formatDuration(result.durationMs)})\n`);
      if (why.hint) write(`${prefix(task)}   ${c.dim(`hint: ${why.hint}`)}\n`);
      const note = notRetriedNote(workflow, task, result);
      if (note) write(`${prefix(task)} ${c.dim(note)}\n`);
    },
    onRetryWait({ task, attempt, delayMs }) {
      write(`${prefix(task)} ${c.yellow(`retrying in ${formatDuration(delayMs)}`)} (attempt ${attempt}/${maxAttempts(workflow, task)})\n`);
    },
    onTaskEnd({ task, result }) {
      flushTask(task);
      const status = `${statusSymbol[result.status]} ${result.status}`;
      const detail =
        result.status === 'skipped' || result.status === 'cancelled'
          ? result.reason
            ? `: ${result.reason}`
            : ''
          : ` in ${formatDuration(result.durationMs)}${result.continuedOnError ? ' (continue-on-error)' : ''}`;
      write(`${prefix(task)} ${paintStatus(c, result.status, status)}${detail}\n`);
      const early = started.delete(task.id) ? undefined : failureBeforeRun(result);
      if (early) {
        write(`${prefix(task)} ${c.red(early.message)}${early.code ? c.dim(` [${early.code}]`) : ''}\n`);
        if (early.hint) write(`${prefix(task)}   ${c.dim(`hint: ${early.hint}`)}\n`);
      }
    },
    notice(message) {
      write(`${c.yellow('psr:')} ${message}\n`);
    },
    close(result?: RunResult) {
      for (const key of lines.keys()) {
        const rest = lines.flush(key);
        if (rest !== undefined) write(`${c.cyan(`[${key.split('\0')[0]}]`)} ${rest}\n`);
      }
      if (result) write(`\n${formatSummary(result, c)}`);
    },
  };
}
