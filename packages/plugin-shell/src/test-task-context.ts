/**
 * A real `TaskContext` for this package's tests (the engine builds the real one): abort
 * controllers for `signal`/`killSignal`, a logger that records every chunk in arrival order,
 * and the metrics the task reported. Not part of the public API.
 */
import { trace } from '@opentelemetry/api';
import { TaskFailure, type AttemptMetrics, type TaskContext } from '@psr/core';

/** One recorded log call. */
export interface LogEntry {
  stream: 'stdout' | 'stderr' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
  /** `performance.now()` when it arrived. */
  at: number;
}

/** A test context plus handles on what the task did. */
export interface TestTaskContext {
  ctx: TaskContext;
  /** Every log call, in order. */
  entries: LogEntry[];
  /** Every `setMetrics` call, in order. */
  metrics: AttemptMetrics[];
  /** Concatenated stdout / stderr. */
  stdout(): string;
  stderr(): string;
  /** Abort `ctx.signal` (graceful stop: SIGTERM). */
  cancel(reason?: string): void;
  /** Abort `ctx.killSignal` (SIGKILL). */
  kill(): void;
  /** Resolves when stdout contains `text`. */
  waitForStdout(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves when stderr contains `text`. */
  waitForStderr(text: string, timeoutMs?: number): Promise<void>;
}

/**
 * Build a context for running a task type directly in a test.
 *
 * @example
 * ```ts
 * const t = createTestTaskContext({ workdir: dir, env: { PATH: process.env.PATH! } });
 * await runTask.run(t.ctx, { run: 'echo hi' });
 * expect(t.stdout()).toBe('hi\n');
 * ```
 */
export function createTestTaskContext(options: { workdir: string; env?: Record<string, string>; attempt?: number }): TestTaskContext {
  const signal = new AbortController();
  const killSignal = new AbortController();
  const entries: LogEntry[] = [];
  const metrics: AttemptMetrics[] = [];
  const waiters = new Set<() => void>();
  const record = (stream: LogEntry['stream']) => (text: string) => {
    entries.push({ stream, text, at: performance.now() });
    for (const w of waiters) w();
  };
  const tracer = trace.getTracer('psr-plugin-shell-test');
  const env = options.env ?? defaultEnv();
  const ctx: TaskContext = {
    signal: signal.signal,
    killSignal: killSignal.signal,
    log: {
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
      debug: record('debug'),
      stdout: record('stdout'),
      stderr: record('stderr'),
    },
    workdir: options.workdir,
    attempt: options.attempt ?? 1,
    secrets: {},
    env,
    run: { id: 'test-run', workflow: 'test', startedAt: new Date().toISOString() },
    task: { id: 'task', instanceId: 'task' },
    span: trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }),
    tracer,
    mask: (text) => text,
    setMetrics: (m) => {
      metrics.push(m);
    },
  };
  const joined = (stream: 'stdout' | 'stderr') =>
    entries
      .filter((e) => e.stream === stream)
      .map((e) => e.text)
      .join('');
  return {
    ctx,
    entries,
    metrics,
    stdout: () => joined('stdout'),
    stderr: () => joined('stderr'),
    cancel: (reason = 'cancelled by test') => signal.abort(new Error(reason)),
    kill: () => killSignal.abort(new Error('killed by test')),
    waitForStdout: (text, timeoutMs) => waitFor('stdout', text, timeoutMs),
    waitForStderr: (text, timeoutMs) => waitFor('stderr', text, timeoutMs),
  };

  function waitFor(stream: 'stdout' | 'stderr', text: string, timeoutMs = 20_000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (joined(stream).includes(text)) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${stream} never contained ${JSON.stringify(text)}; got ${JSON.stringify(joined(stream))}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }
}

/** The environment of the test process, without undefined values. */
export function defaultEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return env;
}

/**
 * The `TaskFailure` that `promise` rejects with; throws (failing the test) when it resolves or
 * rejects with anything else.
 */
export async function taskFailureOf(promise: unknown): Promise<TaskFailure> {
  const outcome = await Promise.resolve(promise).then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof TaskFailure)) throw new Error(`expected a TaskFailure, got ${String(outcome.error)}`);
  return outcome.error;
}

/** The error code a failure carries (its `PsrError` cause's), if any. */
export function codeOf(failure: TaskFailure): unknown {
  return (failure.cause as { code?: unknown } | undefined)?.code;
}

/** What a user is shown of a failure: its message, then its hint (from its `PsrError` cause). */
export function shownText(failure: TaskFailure): string {
  const hint = (failure.cause as { hint?: unknown } | undefined)?.hint;
  return typeof hint === 'string' ? `${failure.message}\nhint: ${hint}` : failure.message;
}
