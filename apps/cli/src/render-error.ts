/**
 * Turning errors into what the user reads, and into exit codes. User errors (anything with a
 * `PSR_*` code) print as `file:line:col: message [CODE]` + hint + a code frame; anything else
 * is a bug in psr and says so, with versions, and a stack only when PSR_DEBUG=1.
 */
import { readFileSync, statSync } from 'node:fs';
import { formatDiagnostic, type Diagnostic } from '@psr/core/errors';
import { ExitCode } from './exit-codes.js';
import type { CliIO } from './io.js';
import { PSR_VERSION } from './version.js';

/** Code frames are read only from files this small (the loader refuses bigger ones anyway). */
const MAX_FRAME_FILE_BYTES = 4 * 1024 * 1024;

/** The diagnostics an error carries, or undefined when it is not a psr user error. */
export function diagnosticsOf(error: unknown): Diagnostic[] | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; message?: unknown; hint?: unknown; location?: unknown; problems?: unknown };
  if (typeof e.code !== 'string' || !e.code.startsWith('PSR_')) return undefined;
  if (Array.isArray(e.problems) && e.problems.length > 0) return e.problems as Diagnostic[];
  const d: Diagnostic = { code: e.code, message: String(e.message ?? '') };
  if (typeof e.hint === 'string') d.hint = e.hint;
  if (e.location && typeof e.location === 'object') d.location = e.location as Diagnostic['location'];
  return [d];
}

/**
 * A source line with a caret under the column, or '' when the file cannot be read or the
 * location is `sensitive` (the line may hold a secret).
 *
 * @example
 * ```ts
 * codeFrame({ file: 'wf.yml', line: 3, col: 12 });
 * // "   3 | timeout: 10x\n     |          ^"
 * ```
 */
export function codeFrame(location: Diagnostic['location'], cwd = process.cwd(), cache = new Map<string, string[] | null>()): string {
  if (!location || location.line < 1 || location.sensitive) return '';
  let lines = cache.get(location.file);
  if (lines === undefined) {
    lines = null;
    try {
      const path = location.file.startsWith('/') ? location.file : `${cwd}/${location.file}`;
      if (statSync(path).size <= MAX_FRAME_FILE_BYTES) lines = readFileSync(path, 'utf8').split(/\r?\n/);
    } catch {
      lines = null;
    }
    cache.set(location.file, lines);
  }
  const text = lines?.[location.line - 1];
  if (text === undefined) return '';
  // Long or binary-looking lines make useless frames.
  if (text.length > 240 || /[\u0000-\u0008\u000e-\u001f]/.test(text)) return '';
  const gutter = String(location.line).padStart(4);
  const col = Math.max(1, Math.min(location.col, text.length + 1));
  const caret = ' '.repeat(col - 1) + '^';
  return `${gutter} | ${text.replace(/\t/g, ' ')}\n${' '.repeat(4)} | ${caret}`;
}

/** Render diagnostics, each with its code frame, separated by blank lines. */
export async function formatDiagnostics(diagnostics: readonly Diagnostic[], cwd: string): Promise<string> {
  const cache = new Map<string, string[] | null>();
  return diagnostics
    .map((d) => {
      const frame = codeFrame(d.location, cwd, cache);
      return `${formatDiagnostic(d)}${frame ? `\n${frame}` : ''}`;
    })
    .join('\n\n');
}

/**
 * Print an error that escaped a command and return the exit code it maps to:
 * 2 for user errors, 1 for bugs.
 */
export async function reportError(error: unknown, io: CliIO): Promise<number> {
  const diagnostics = diagnosticsOf(error);
  if (diagnostics) {
    io.stderr.write(`${await formatDiagnostics(diagnostics, io.cwd)}\n`);
    return ExitCode.INVALID;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const lines = [
    `psr: internal error: ${message}`,
    'this is a bug in psr — please report it with the command you ran and these versions:',
    `  psr ${PSR_VERSION}, node ${process.version}, ${process.platform}-${process.arch}`,
  ];
  if (io.env['PSR_DEBUG'] === '1' && error instanceof Error && error.stack) lines.push(error.stack);
  else lines.push('  (set PSR_DEBUG=1 to print the stack trace)');
  io.stderr.write(`${lines.join('\n')}\n`);
  return ExitCode.TASK_FAILED;
}
