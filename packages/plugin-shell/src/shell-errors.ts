/**
 * Error codes of the shell plugin and the one way it reports a problem the user can fix:
 * a `TaskFailure` (what the engine records and `retry.on` matches) whose `cause` is a
 * `PsrError` carrying the stable code and the hint.
 */
import { PsrError, TaskFailure } from '@psr/core';

/**
 * Codes of problems raised by `run:` and `script:` tasks. `docs/plugins/shell.md` lists them.
 *
 * @example
 * ```ts
 * import { ShellErrorCodes } from '@psr/plugin-shell';
 * if ((failure.cause as { code?: string }).code === ShellErrorCodes.SCRIPT_NOT_FOUND) console.log('fix the path');
 * ```
 */
export const ShellErrorCodes = {
  /** `shell:` names no known shell and is not a template containing `{0}`. */
  UNKNOWN_SHELL: 'PSR_SHELL_UNKNOWN',
  /** The shell or interpreter program is not installed (not on `PATH`). */
  NOT_INSTALLED: 'PSR_SHELL_NOT_INSTALLED',
  /** The process could not be started (missing working directory, permission denied, …). */
  SPAWN: 'PSR_SHELL_SPAWN',
  /** `script:` names a file that does not exist. */
  SCRIPT_NOT_FOUND: 'PSR_SHELL_SCRIPT_NOT_FOUND',
  /** `script:` names something that is not a readable regular file (a directory, a symlink loop, …). */
  SCRIPT_INVALID: 'PSR_SHELL_SCRIPT_INVALID',
  /** No interpreter is known for the script's extension and the file is not executable. */
  NO_INTERPRETER: 'PSR_SHELL_NO_INTERPRETER',
  /** The `$PSR_OUTPUT` file is malformed, binary or too large. */
  OUTPUT_FILE: 'PSR_SHELL_OUTPUT_FILE',
} as const;

/**
 * One of {@link ShellErrorCodes}.
 *
 * @example
 * ```ts
 * const code: ShellErrorCode = 'PSR_SHELL_SCRIPT_NOT_FOUND';
 * ```
 */
export type ShellErrorCode = (typeof ShellErrorCodes)[keyof typeof ShellErrorCodes];

/**
 * A failure the user can fix by editing the workflow: `cause` a `PsrError` with the code and
 * hint, which every renderer shows with the message (the hint on a line of its own).
 *
 * @example
 * ```ts
 * throw shellProblem(ShellErrorCodes.UNKNOWN_SHELL, 'unknown shell "fish"', 'use bash, sh, … or "fish {0}"');
 * ```
 */
export function shellProblem(code: ShellErrorCode, message: string, hint: string): TaskFailure {
  return new TaskFailure(message, { kind: 'error', cause: new PsrError(code, message, { hint }) });
}
