/**
 * Every error a user can cause carries a stable `code` (matched by code, never by
 * `instanceof`, because errors cross process and worker boundaries), a message, an
 * optional source location and a hint that says how to fix it.
 */

/** A position in a source file, 1-based like editors show it. */
export interface SourceLocation {
  /** Path of the file as the user named it (or `<inline>` for text). */
  file: string;
  line: number;
  col: number;
  /** Optional end of the range, 1-based. */
  endLine?: number;
  endCol?: number;
  /**
   * The file may hold secrets (a secret-scan config or baseline): renderers show the position
   * only, never the source line (no code frame).
   */
  sensitive?: boolean;
}

/**
 * The catalogue of error codes. `docs/errors.md` documents each one; keep both in step.
 */
export const ErrorCodes = {
  /** The workflow file could not be read (missing, a directory, unreadable). */
  FILE_READ: 'PSR_FILE_READ',
  /** The workflow file is larger than psr accepts. */
  FILE_TOO_LARGE: 'PSR_FILE_TOO_LARGE',
  /** The workflow file is binary, not text. */
  FILE_BINARY: 'PSR_FILE_BINARY',
  /** The YAML itself does not parse. */
  YAML_SYNTAX: 'PSR_YAML_SYNTAX',
  /** A key has the wrong type, is missing, or is not allowed here. */
  SCHEMA: 'PSR_SCHEMA',
  /** Two tasks (or matrix instances) share one id. */
  DUPLICATE_ID: 'PSR_DUPLICATE_ID',
  /** `needs` names a task that does not exist. */
  UNKNOWN_NEEDS: 'PSR_UNKNOWN_NEEDS',
  /** `needs` edges form a cycle. */
  WORKFLOW_CYCLE: 'PSR_WORKFLOW_CYCLE',
  /** `uses` names a task type no loaded plugin provides. */
  UNKNOWN_TASK_TYPE: 'PSR_UNKNOWN_TASK_TYPE',
  /** A `plugins:` entry cannot be resolved or imported. */
  UNKNOWN_PLUGIN: 'PSR_UNKNOWN_PLUGIN',
  /** A plugin module does not export a valid plugin object. */
  PLUGIN_INVALID: 'PSR_PLUGIN_INVALID',
  /** A `${{ }}` expression does not parse or names an unknown context/function. */
  EXPRESSION: 'PSR_EXPRESSION',
  /** A duration such as `timeout: 10x` is not valid. */
  DURATION: 'PSR_DURATION',
  /** A `strategy.matrix` is malformed or expands to nothing. */
  MATRIX: 'PSR_MATRIX',
  /** A run input (`--input k=v`) is unknown, missing or of the wrong type. */
  INPUT: 'PSR_INPUT',
  /** A task's `with:` does not match its task type's input schema. */
  TASK_INPUT: 'PSR_TASK_INPUT',
  /** An `on.schedule` cron expression or timezone is invalid. */
  CRON: 'PSR_CRON',
  /** The command line is invalid. */
  USAGE: 'PSR_USAGE',
  /** A previous run cannot be resumed safely. */
  RESUME: 'PSR_RESUME',
  /** The secrets file (`--secrets-file`) is missing, unreadable, binary or too large. */
  SECRETS_FILE: 'PSR_SECRETS_FILE',
  /** A run observer (reporter, history store, …) threw; the run is marked failed. */
  OBSERVER: 'PSR_OBSERVER',
  /** Something psr did not expect: a bug in psr. */
  INTERNAL: 'PSR_INTERNAL',
} as const;

/** One of the documented error codes (plugins may add their own `PSR_<PLUGIN>_*` codes). */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes] | (string & {});

/** The plain-data form of a problem: what crosses processes and lands in JSON output. */
export interface Diagnostic {
  code: ErrorCode;
  message: string;
  hint?: string;
  location?: SourceLocation;
}

/**
 * The base class of every user-facing psr error.
 *
 * @example
 * ```ts
 * throw new PsrError(ErrorCodes.DURATION, 'invalid duration "10x"', {
 *   hint: 'use a number with a unit: 500ms, 30s, 5m, 1h',
 *   location: { file: 'wf.yml', line: 4, col: 10 },
 * });
 * ```
 */
export class PsrError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; location?: SourceLocation; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PsrError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
  }

  /** The plain-data form, safe to serialise. */
  toDiagnostic(): Diagnostic {
    const d: Diagnostic = { code: this.code, message: this.message };
    if (this.hint !== undefined) d.hint = this.hint;
    if (this.location !== undefined) d.location = this.location;
    return d;
  }
}

/**
 * Several problems found at once (a workflow with three mistakes reports all three).
 * `code` is the code of the first problem.
 */
export class PsrAggregateError extends PsrError {
  readonly problems: readonly Diagnostic[];

  constructor(problems: readonly Diagnostic[]) {
    const first = problems[0];
    // The first problem in the message: a program that embeds psr and lets the error reach
    // Node's handler otherwise printed only "1 problem(s) found".
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(first?.code ?? ErrorCodes.INTERNAL, first ? `${count}, the first: ${formatDiagnostic(first)}` : `${count} found`, {
      ...(first?.location ? { location: first.location } : {}),
    });
    this.name = 'PsrAggregateError';
    this.problems = problems;
  }
}

/** True when `value` looks like a psr error (by `code`, so it works across realms). */
export function isPsrError(value: unknown): value is PsrError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code.startsWith('PSR_')
  );
}

/** Render `file:line:col: message` plus an indented hint, the one format every command uses. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.col}: ` : '';
  const hint = d.hint ? `\n  hint: ${d.hint}` : '';
  return `${where}${d.message} [${d.code}]${hint}`;
}

/** What a terminal shows of a report's warnings (see {@link shownDiagnostics}). */
export interface ShownDiagnostics {
  /** The diagnostics to print, in their order. */
  shown: Diagnostic[];
  /** How many were left out. */
  omitted: number;
  /**
   * One line naming what was left out, by code and count
   * (`2350 more warnings not shown: PSR_SCAN_VERSION_INVALID ×2350`); undefined when nothing was.
   */
  omittedLine: string | undefined;
}

/** How many diagnostics of one code a terminal shows by default. */
export const SHOWN_PER_CODE = 10;

/**
 * The first `perCode` diagnostics of each code, in order, and a line for the rest. A scan of a
 * big tree can warn thousands of times about one thing (versions that are not PEP 440, unpinned
 * requirements); printed whole, those bury the findings and any rarer warning. Reports written
 * to files (JSON, SARIF) keep every diagnostic; only what people read in a terminal is cut.
 *
 * @example
 * ```ts
 * const { shown, omittedLine } = shownDiagnostics(report.warnings);
 * for (const w of shown) console.error(`warning: ${w.message}`);
 * if (omittedLine) console.error(`${omittedLine} (every one is in the JSON report)`);
 * ```
 */
export function shownDiagnostics(diagnostics: readonly Diagnostic[], options: { perCode?: number; noun?: 'warning' | 'error' } = {}): ShownDiagnostics {
  const perCode = options.perCode ?? SHOWN_PER_CODE;
  const seen = new Map<string, number>();
  const shown: Diagnostic[] = [];
  for (const d of diagnostics) {
    const n = (seen.get(d.code) ?? 0) + 1;
    seen.set(d.code, n);
    if (n <= perCode) shown.push(d);
  }
  const omitted = diagnostics.length - shown.length;
  if (omitted === 0) return { shown, omitted, omittedLine: undefined };
  const byCode = [...seen]
    .filter(([, n]) => n > perCode)
    .map(([code, n]) => `${code} ×${n - perCode}`)
    .join(', ');
  const noun = options.noun ?? 'warning';
  return { shown, omitted, omittedLine: `${omitted} more ${noun}${omitted === 1 ? '' : 's'} not shown: ${byCode}` };
}
