/**
 * The live terminal view: finished tasks are printed once, permanently; below them a small
 * region is redrawn (about 10 times a second) with each running task's spinner, attempt,
 * elapsed time and last log lines, and a footer with counts. When a task finishes its log
 * lines collapse into its one result line (a failed task keeps its last lines, so the cause
 * stays visible).
 */
import type { RunInfo, RunResult, TaskInstance, Workflow } from '@psr/core';
import type { CliIO, OutputStream } from '../io.js';
import { colorsFor, describeFailure, failureBeforeRun, outputLines, formatDuration, formatSummary, LineSplitter, maxAttempts, paintStatus, statusSymbol, type Colors } from './format.js';
import type { Mask, Reporter } from './reporter.js';
import { dynamicMatrixTasks, instanceCount } from '../matrix-size.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const LOG_LINES_PER_TASK = 3;
const FAILURE_LOG_LINES = 10;
const MAX_RUNNING_SHOWN = 12;
// Strip control sequences from task output before drawing, so a task cannot move our cursor.
// eslint-disable-next-line no-control-regex
const CONTROL = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)|[\x00-\x08\x0b-\x1f\x7f]/g;

interface Running {
  task: TaskInstance;
  attempt: number;
  max: number;
  startedAt: number;
  waitingUntil?: number;
  log: string[];
}

/** Options of {@link createLiveReporter}. */
export interface LiveReporterOptions {
  /** Redraw interval, ms (default 100). */
  intervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Create the live TTY reporter.
 *
 * @example
 * ```ts
 * const reporter = createLiveReporter(io, mask);
 * ```
 */
export function createLiveReporter(io: Pick<CliIO, 'stdout' | 'env'>, mask: Mask, options: LiveReporterOptions = {}): Reporter {
  const out: OutputStream = io.stdout;
  const c: Colors = colorsFor(out, io.env);
  const now = options.now ?? Date.now;
  const lines = new LineSplitter();
  const debug = io.env['PSR_DEBUG'] === '1';
  const running = new Map<string, Running>();
  const tail = new Map<string, string[]>();
  let workflow: Workflow | undefined;
  let total = 0;
  let done = 0;
  // A dynamic matrix task counts once until its first instance appears (taking that count);
  // each further instance grows the total.
  let unexpanded = new Set<string>();
  const expanded = new Map<string, Set<string>>();
  const discover = (task: TaskInstance): void => {
    const seen = expanded.get(task.taskId);
    if (seen) {
      if (!seen.has(task.id)) {
        seen.add(task.id);
        total++;
      }
    } else if (unexpanded.delete(task.taskId)) expanded.set(task.taskId, new Set([task.id]));
  };
  let frame = 0;
  let drawnLines = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let dirty = false;
  const width = (): number => Math.max(40, (out.columns ?? 80) - 1);
  const clip = (s: string): string => (s.length > width() ? `${s.slice(0, width() - 1)}…` : s);
  const clean = (s: string): string => mask(s).replace(CONTROL, '');

  const clearRegion = (): string => (drawnLines > 0 ? `\x1b[${drawnLines}A\r\x1b[J` : '\r\x1b[J');

  const region = (): string[] => {
    const rows: string[] = [];
    const t = now();
    const shown = [...running.values()].slice(0, MAX_RUNNING_SHOWN);
    for (const r of shown) {
      const spin = SPINNER[frame % SPINNER.length]!;
      const state =
        r.waitingUntil !== undefined
          ? `retrying in ${formatDuration(Math.max(0, r.waitingUntil - t))}`
          : `${r.max > 1 ? `attempt ${r.attempt}/${r.max} · ` : ''}${formatDuration(t - r.startedAt)}`;
      const head = clip(`${spin} ${r.task.id}  ${state}`);
      rows.push(`${c.cyan(head.slice(0, 1))}${head.slice(1)}`);
      for (const l of r.log.slice(-LOG_LINES_PER_TASK)) rows.push(c.dim(clip(`    ${l}`)));
    }
    if (running.size > shown.length) rows.push(c.dim(`  … and ${running.size - shown.length} more running`));
    const waiting = Math.max(0, total - done - running.size);
    rows.push(c.dim(`${done}/${total}${unexpanded.size > 0 ? '+' : ''} done · ${running.size} running · ${waiting} waiting`));
    return rows;
  };

  const draw = (permanent = ''): void => {
    const rows = region();
    out.write(`${clearRegion()}${permanent}${rows.join('\n')}\n`);
    drawnLines = rows.length;
    dirty = false;
  };

  const tick = (): void => {
    frame++;
    if (dirty || running.size > 0) draw();
  };

  const push = (task: TaskInstance, text: string): void => {
    const r = running.get(task.id);
    const t = tail.get(task.id) ?? [];
    const l = clean(text);
    t.push(l);
    if (t.length > FAILURE_LOG_LINES) t.shift();
    tail.set(task.id, t);
    if (r) {
      r.log.push(l);
      if (r.log.length > LOG_LINES_PER_TASK) r.log.shift();
    }
    dirty = true;
  };

  return {
    onRunStart({ run }: { run: RunInfo }) {
      workflow = run.workflow;
      total = instanceCount(run.workflow);
      unexpanded = dynamicMatrixTasks(run.workflow);
      // Hide the cursor while redrawing (shown again in close()).
      out.write(`\x1b[?25l${c.bold(`▶ ${run.workflow.name}`)}${c.dim(` run ${run.id}`)}\n`);
      timer = setInterval(tick, options.intervalMs ?? 100);
      timer.unref?.();
      draw();
    },
    onTaskStart({ task }) {
      discover(task);
      running.set(task.id, { task, attempt: 1, max: maxAttempts(workflow, task), startedAt: now(), log: [] });
      dirty = true;
    },
    onAttemptStart({ task, attempt }) {
      const r = running.get(task.id);
      if (r) {
        r.attempt = attempt;
        delete r.waitingUntil;
      }
      dirty = true;
    },
    onOutput({ task, stream, text, level }) {
      if (level === 'debug' && !debug) return;
      for (const line of outputLines(lines, task.id, stream, text)) push(task, line);
    },
    onAttemptEnd({ task, result }) {
      for (const stream of ['stdout', 'stderr', 'log']) {
        const rest = lines.flush(`${task.id}\0${stream}`);
        if (rest !== undefined) push(task, rest);
      }
      if (result.status !== 'success') {
        const r = running.get(task.id);
        const why = result.failure ? describeFailure(result.failure) : { message: result.status };
        const line = `${c.yellow('!')} ${clip(clean(`${task.id}  attempt ${result.attempt}/${r?.max ?? 1} ${result.status}: ${why.message}${why.code ? ` [${why.code}]` : ''}`))}\n`;
        draw(`${line}${why.hint ? `${c.dim(clip(clean(`    hint: ${why.hint}`)))}\n` : ''}`);
      }
    },
    onRetryWait({ task, delayMs }) {
      const r = running.get(task.id);
      if (r) {
        r.waitingUntil = now() + delayMs;
        r.log = [];
      }
      dirty = true;
    },
    onTaskEnd({ task, result }) {
      discover(task);
      // Not running: it ended before any attempt (skipped, or failed before it could run).
      const r = running.get(task.id);
      running.delete(task.id);
      done++;
      const symbol = paintStatus(c, result.status, statusSymbol[result.status]);
      const attempts = result.attempts.length > 1 ? ` · ${result.attempts.length} attempts` : '';
      const detail =
        result.status === 'skipped' || result.status === 'cancelled'
          ? c.dim(result.reason ? `  ${result.status}: ${clean(result.reason)}` : `  ${result.status}`)
          : c.dim(`  ${formatDuration(result.durationMs)}${attempts}${result.continuedOnError ? ' · continue-on-error' : ''}`);
      let permanent = `${symbol} ${clip(task.id)}${detail}\n`;
      if (result.status === 'failure') {
        for (const l of tail.get(task.id) ?? []) permanent += `${c.dim(clip(`    ${l}`))}\n`;
        const early = r === undefined ? failureBeforeRun(result) : undefined;
        if (early) {
          permanent += `    ${c.red(clean(early.message))}${early.code ? c.dim(` [${early.code}]`) : ''}\n`;
          if (early.hint) permanent += `${c.dim(`    hint: ${clean(early.hint)}`)}\n`;
        }
      }
      tail.delete(task.id);
      draw(permanent);
    },
    notice(message) {
      draw(`${c.yellow('psr:')} ${clean(message)}\n`);
    },
    close(result?: RunResult) {
      if (timer) clearInterval(timer);
      timer = undefined;
      out.write(`${clearRegion()}\x1b[?25h`);
      drawnLines = 0;
      if (result) out.write(`\n${mask(formatSummary(result, c))}`);
    },
  };
}
