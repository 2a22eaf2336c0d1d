/**
 * One attempt's signals and timers, and running it on the executor so that a run always ends:
 * an attempt that ignores both its cancel and its kill signal is abandoned a second after the kill.
 */
import type { ExecutionRequest, Executor } from '../executor.js';
import { LazyAbortController } from './LazyAbortController.js';

/** How long an attempt that ignores both its signals may keep the run waiting after kill. */
const ABANDON_AFTER_KILL_MS = 1000;

/** `sibling`: `strategy.fail-fast` after another instance of the same task failed. */
export type AbortWhy = 'timeout' | 'cancel' | 'run-timeout' | 'sibling';
/**
 * The signals and timers of one attempt. A class with every field declared: objects that
 * change shape, and closures created per attempt, measurably slow the hot path.
 */
export class AttemptControl {
  readonly controller = new LazyAbortController();
  readonly kill = new LazyAbortController();
  why: AbortWhy | undefined = undefined;
  killTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  timeoutTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  abandonTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** Rejects the pending execution (set while the executor runs). */
  reject: ((reason: unknown) => void) | undefined = undefined;

  clearTimers(): void {
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    if (this.killTimer) clearTimeout(this.killTimer);
    if (this.abandonTimer) clearTimeout(this.abandonTimer);
  }
}

/** An Error named `AbortError` or `TimeoutError`, as the signal's reason. */
export function abortError(name: 'AbortError' | 'TimeoutError', message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/**
 * Run one attempt on the executor. Gives up on a task that ignores both of its signals
 * (ABANDON_AFTER_KILL_MS after the kill signal), so a run always ends. A module function
 * rather than a closure in the attempt code: closures there cost the hot path dearly.
 */
export function executeAttempt(executor: Executor, request: ExecutionRequest, control: AttemptControl): Promise<unknown> {
  return new Promise((resolve, reject) => {
    control.reject = reject;
    const execution: unknown = executor.execute(request);
    // Executors promise a Promise; a custom one returning a plain value is tolerated.
    if (typeof (execution as PromiseLike<unknown> | undefined)?.then === 'function') (execution as PromiseLike<unknown>).then(resolve, reject);
    else resolve(execution);
    if (control.kill.aborted) armAbandon(control);
  });
}

function armAbandon(control: AttemptControl): void {
  if (control.reject && !control.abandonTimer) control.abandonTimer = setTimeout(abandon, ABANDON_AFTER_KILL_MS, control);
}

function abandon(control: AttemptControl): void {
  control.reject?.(new AbandonedError());
}

/** Send the attempt its kill signal (once) and start the abandon timer. */
export function killAttempt(control: AttemptControl, message: string): void {
  if (control.killTimer) clearTimeout(control.killTimer);
  if (control.kill.aborted) return;
  control.kill.abort(abortError('AbortError', message));
  armAbandon(control);
}

/** The attempt ignored its kill signal; the run stopped waiting for it. */
export class AbandonedError extends Error {
  constructor() {
    super('the task did not stop after being killed; psr stopped waiting for it');
  }
}
