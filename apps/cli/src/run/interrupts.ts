/**
 * Ctrl-C / SIGTERM during a run: the first one cancels gracefully, the second kills.
 */
import type { RunHandle } from '@psr/core';
import type { SignalSource } from '../io.js';

/** What {@link watchInterrupts} returns. */
export interface InterruptWatch {
  /** True once a signal arrived. */
  readonly interrupted: boolean;
  /** Resolves when the second signal arrived (the run is being killed). */
  readonly killed: Promise<void>;
  /** Stop listening. */
  dispose(): void;
}

/**
 * Listen for SIGINT/SIGTERM while `handle` runs.
 *
 * @example
 * ```ts
 * const watch = watchInterrupts(handle, process, (m) => reporter.notice(m));
 * const result = await handle;
 * watch.dispose();
 * ```
 */
export function watchInterrupts(handle: Pick<RunHandle, 'cancel' | 'kill'>, signals: SignalSource, notice: (message: string) => void): InterruptWatch {
  let count = 0;
  let onKilled: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => (onKilled = resolve));
  const listener = (): void => {
    count++;
    if (count === 1) {
      notice('interrupted: cancelling running tasks (press Ctrl-C again to kill them)');
      handle.cancel('interrupted');
    } else if (count === 2) {
      notice('killing running tasks');
      handle.kill();
      onKilled();
    }
  };
  signals.on('SIGINT', listener);
  signals.on('SIGTERM', listener);
  return {
    get interrupted() {
      return count > 0;
    },
    killed,
    dispose() {
      signals.off('SIGINT', listener);
      signals.off('SIGTERM', listener);
    },
  };
}
