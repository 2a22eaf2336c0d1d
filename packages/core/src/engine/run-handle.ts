/**
 * The one way a {@link RunHandle} is put together, shared by the scheduler's `createEngine` and
 * the lazy one in front of it (which must not import the scheduler to build a handle).
 */
import type { RunEvent, RunResult } from '../events.js';
import type { RunHandle } from './types.js';

/** What a handle delegates to: the run's id and result, its stop controls and its events. */
export interface RunHandleParts {
  id: string;
  /** The run's result; rejections stay the caller's to see when they await. */
  result: Promise<RunResult>;
  cancel(reason?: string): void;
  kill(): void;
  events(): AsyncIterator<RunEvent>;
}

/** A handle over `parts`: awaitable for the result, async-iterable for the events. */
export function runHandle(parts: RunHandleParts): RunHandle {
  // Never an unhandled rejection: a caller that does not await still gets a clean process.
  parts.result.catch(() => undefined);
  return {
    id: parts.id,
    cancel: (reason?: string) => parts.cancel(reason),
    kill: () => parts.kill(),
    then<A = RunResult, B = never>(
      onfulfilled?: ((value: RunResult) => A | PromiseLike<A>) | null,
      onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
    ): PromiseLike<A | B> {
      return parts.result.then(onfulfilled, onrejected);
    },
    [Symbol.asyncIterator]: () => parts.events(),
  };
}
