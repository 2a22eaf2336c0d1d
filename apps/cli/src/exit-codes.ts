/**
 * The exit codes of every psr command, in one place.
 *
 * @example
 * ```ts
 * return result.status === 'success' ? ExitCode.SUCCESS : ExitCode.TASK_FAILED;
 * ```
 */
export const ExitCode = {
  /** Everything succeeded (tasks with `continue-on-error` may have failed). */
  SUCCESS: 0,
  /** A task failed (or psr hit an internal error). */
  TASK_FAILED: 1,
  /** The workflow or the command line is invalid. */
  INVALID: 2,
  /** `psr scan`: an advisory data source failed, so the scan is incomplete (never reported clean). */
  SOURCE_FAILED: 3,
  /** Interrupted by Ctrl-C / SIGINT / SIGTERM. */
  INTERRUPTED: 130,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
