import { PsrError, type Diagnostic, type SourceLocation } from '@psr/core/errors';

/**
 * Error and warning codes of `@psr/lockfiles` (documented in docs/lockfiles.md).
 *
 * @example
 * ```ts
 * if (result.errors.some((e) => e.code === LockfileCodes.PARSE)) process.exitCode = 2;
 * ```
 */
export const LockfileCodes = {
  /** The file is truncated or malformed (TOML/JSON/YAML/requirements syntax). */
  PARSE: 'PSR_LOCKFILE_PARSE',
  /** The file cannot be read. */
  READ: 'PSR_LOCKFILE_READ',
  /** The bytes are not valid UTF-8 (or UTF-16 with a BOM). */
  ENCODING: 'PSR_LOCKFILE_ENCODING',
  /** The file is binary (contains NUL bytes); skipped. */
  BINARY: 'PSR_LOCKFILE_BINARY',
  /** The file name matches no supported format. */
  UNSUPPORTED: 'PSR_LOCKFILE_UNSUPPORTED',
  /**
   * An include (`-r`) points outside the folder includes may reach (the repository; an error: its
   * requirements are not scanned), or a symlink found while discovering files leaves the scanned
   * folder (a warning: not followed), or a yarn workspace member lies outside the lockfile's
   * folder (a warning: its package.json is not read).
   */
  OUTSIDE_ROOT: 'PSR_LOCKFILE_OUTSIDE_ROOT',
  /** An include (`-r`) cannot be read (missing, a folder, binary, remote): its requirements are not scanned. */
  INCLUDE: 'PSR_LOCKFILE_INCLUDE',
  /** A cyclic `-r` include chain or a symlink loop; the repeat was skipped. */
  CYCLE: 'PSR_LOCKFILE_CYCLE',
  /** A line or entry was skipped (unknown option, missing include, odd entry). */
  SKIPPED: 'PSR_LOCKFILE_SKIPPED',
  /** An environment marker is malformed; the dependency is kept, as if the marker held. */
  MARKER: 'PSR_LOCKFILE_MARKER',
  /** A requirements file names an environment variable (`${NAME}`) that is not set; read as written. */
  UNSET_VARIABLE: 'PSR_LOCKFILE_UNSET_VARIABLE',
} as const;

/** Build a `PSR_LOCKFILE_PARSE` error at `file:line:col`. */
export function lockfileParseError(message: string, location: SourceLocation, hint?: string, cause?: unknown): PsrError {
  return new PsrError(LockfileCodes.PARSE, message, {
    location,
    hint: hint ?? 'the file looks truncated or hand-edited; regenerate it with its tool (pip-compile, poetry lock, npm install…)',
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A warning diagnostic at `file:line`. */
export function warning(code: string, message: string, file: string, line?: number, hint?: string): Diagnostic {
  const d: Diagnostic = { code, message };
  if (line !== undefined) d.location = { file, line, col: 1 };
  else d.location = { file, line: 1, col: 1 };
  if (hint !== undefined) d.hint = hint;
  return d;
}

/** 1-based line and column of a 0-based character offset. */
export function positionAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: end - lineStart + 1 };
}
