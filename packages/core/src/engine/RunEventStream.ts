/**
 * Delivers a run's events, in order, to observers (each call awaited before the next
 * event) and to any number of async iterators. Every event is buffered for the run's
 * lifetime, so an iterator started late still sees everything from `run-start`.
 */
import { ErrorCodes, type Diagnostic } from '../errors.js';
import type { RunEvent, RunObserver } from '../events.js';

/**
 * Output text kept for iterators. Observers see every chunk, but a task printing gigabytes
 * must not make psr hold them all in memory: past this, output events are not buffered.
 */
export const MAX_BUFFERED_OUTPUT_CHARS = 64 * 1024 * 1024;

const METHOD: Record<RunEvent['type'], keyof RunObserver> = {
  'run-start': 'onRunStart',
  'task-start': 'onTaskStart',
  'attempt-start': 'onAttemptStart',
  output: 'onOutput',
  'attempt-end': 'onAttemptEnd',
  'retry-wait': 'onRetryWait',
  'task-end': 'onTaskEnd',
  'run-end': 'onRunEnd',
};

/** Ordered event delivery with observer error capture. */
export class RunEventStream {
  readonly #observers: readonly RunObserver[];
  readonly #events: RunEvent[] = [];
  readonly #waiters = new Set<() => void>();
  #closed = false;
  #failure: { error: unknown } | undefined;
  /** The delivery chain while an observer is busy; undefined when idle (fast synchronous path). */
  #tail: Promise<void> | undefined;
  /** Problems thrown by observers, as diagnostics. */
  readonly errors: Diagnostic[] = [];

  readonly #maxOutputChars: number;
  #outputChars = 0;
  #outputCapped = false;

  constructor(observers: readonly RunObserver[], maxOutputChars = MAX_BUFFERED_OUTPUT_CHARS) {
    this.#observers = observers;
    this.#maxOutputChars = maxOutputChars;
  }

  /**
   * Publish an event. Returns a promise only when an observer is still busy with an earlier
   * event or returned a promise; callers that must keep order with observers await it.
   */
  emit(event: RunEvent): Promise<void> | undefined {
    if (event.type !== 'output') this.#events.push(event);
    else if ((this.#outputChars += event.text.length) <= this.#maxOutputChars) this.#events.push(event);
    else if (!this.#outputCapped) {
      this.#outputCapped = true;
      this.#events.push({ ...event, stream: 'log', level: 'warn', text: `[psr] more than ${this.#maxOutputChars} characters of output: the rest is only passed to observers, not to event iterators` });
    }
    if (this.#waiters.size > 0) {
      for (const wake of this.#waiters) wake();
      this.#waiters.clear();
    }
    if (this.#observers.length === 0) return undefined;
    if (this.#tail) {
      const next: Promise<void> = this.#tail.then(() => this.#deliver(event, 0));
      this.#track(next);
      return next;
    }
    const pending = this.#deliver(event, 0);
    if (pending) this.#track(pending);
    return pending;
  }

  /** Resolves when every observer call so far has finished. */
  async drain(): Promise<void> {
    while (this.#tail) await this.#tail;
  }

  /** The run could not start: iterators throw `error` after the buffered events. */
  fail(error: unknown): void {
    this.#failure = { error };
    this.close();
  }

  /** No more events: iterators finish after the buffered ones. */
  close(): void {
    this.#closed = true;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  #track(p: Promise<void>): void {
    this.#tail = p;
    void p.then(() => {
      if (this.#tail === p) this.#tail = undefined;
    });
  }

  /** Call observers from index `from` on; switches to async only when one returns a promise. */
  #deliver(event: RunEvent, from: number): Promise<void> | undefined {
    const method = METHOD[event.type];
    for (let i = from; i < this.#observers.length; i++) {
      const observer = this.#observers[i]!;
      const fn = observer[method] as ((e: RunEvent) => unknown) | undefined;
      if (typeof fn !== 'function') continue;
      let result: unknown;
      try {
        result = fn.call(observer, event);
      } catch (error) {
        this.#record(i, method, error);
        continue;
      }
      if (result && typeof (result as Promise<void>).then === 'function') {
        return (result as Promise<void>).then(
          () => this.#deliver(event, i + 1),
          (error: unknown) => {
            this.#record(i, method, error);
            return this.#deliver(event, i + 1);
          },
        );
      }
    }
    return undefined;
  }

  #record(index: number, method: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.errors.push({
      code: ErrorCodes.OBSERVER,
      message: `run observer #${index + 1} failed in ${method}: ${message}`,
      hint: 'an observer (reporter, history store, …) threw; the run is marked failed so the problem is not lost',
    });
  }

  /** Iterate all events from the first one; ends after the last event once closed. */
  async *iterate(): AsyncGenerator<RunEvent> {
    let i = 0;
    for (;;) {
      while (i < this.#events.length) yield this.#events[i++]!;
      if (this.#closed) {
        if (this.#failure) throw this.#failure.error;
        return;
      }
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }
}
