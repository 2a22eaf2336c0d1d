import type { RunObserver, RunResult } from '@psr/core';

/** A terminal reporter: a run observer that can also print notices and the final summary. */
export interface Reporter extends RunObserver {
  /** A message from psr itself (e.g. "cancelling…"). */
  notice(message: string): void;
  /** Print the summary and stop any timers. */
  close(result?: RunResult): void;
}

/** Replaces secret values with `***`. */
export type Mask = (text: string) => string;
