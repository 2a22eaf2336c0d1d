/**
 * Persistent run history. A store is an observer (it records what happens) plus queries.
 * The engine never needs a store to run; the CLI plugs the SQLite store in by default.
 */
import type { RunObserver, RunResult } from './events.js';

/** A stored run, as read back. */
export interface StoredRun extends RunResult {
  /** `interrupted` when psr died before the run ended. */
  storedStatus: RunResult['status'] | 'running' | 'interrupted';
}

/** Run history. */
export interface RunStore extends RunObserver {
  /** Read one run back, or undefined. */
  getRun(runId: string): Promise<StoredRun | undefined>;
  close(): Promise<void>;
}
