/**
 * Reading a JSON report file (a baseline). A valid report is checked without zod
 * (report-shape.ts); the zod schema and jsonc-parser are imported only to say what is wrong
 * with one that is not, so a scan compared with a baseline loads neither.
 */
// Synchronous fs on purpose: the promise API would cost every scan the load of
// `node:fs/promises` (FileHandle, streams) for one local file.
import { isAscii } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { PsrError } from '@psr/core/errors';
import { ReportErrorCodes } from './report-errors.js';
import type { Report } from './report.js';
import { validReportOf } from './report-shape.js';

/** Baselines larger than this are refused rather than read into memory. */
const MAX_REPORT_BYTES = 512 * 1024 * 1024;

/**
 * Read and parse a JSON report file.
 *
 * @throws PsrError `PSR_REPORT_READ` when the file cannot be read, `PSR_REPORT_INVALID` when it
 *   is not a valid report.
 * @example
 * ```ts
 * const baseline = await readReport('.psr/baseline.json');
 * const diff = compareReports(report, baseline);
 * ```
 */
export async function readReport(path: string): Promise<Report> {
  let bytes: Buffer;
  try {
    const info = statSync(path);
    if (info.isDirectory()) {
      throw new PsrError(ReportErrorCodes.READ, `${path} is a directory, not a report file`, {
        hint: 'name the JSON report file itself',
      });
    }
    if (info.size > MAX_REPORT_BYTES) {
      throw new PsrError(ReportErrorCodes.READ, `${path} is ${info.size} bytes; reports over ${MAX_REPORT_BYTES} bytes are refused`, {
        hint: 'is this really a psr JSON report?',
      });
    }
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof PsrError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new PsrError(ReportErrorCodes.READ, `cannot read report ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {
      hint: code === 'ENOENT' ? 'check the path; a baseline is a report written earlier with `--format json`' : 'check the file’s permissions',
      cause: error,
    });
  }
  const report = validReportOf(oneByteJsonText(bytes));
  if (report) return report;
  const { parseReport } = await import('./parse-report.js');
  return parseReport(bytes.toString('utf8'), path);
}

/** A UTF-8 byte order mark, which `parseReport` skips too. */
const BOM = [0xef, 0xbb, 0xbf];

/**
 * The JSON text of `bytes` as a one-byte string: each character beyond ASCII written as a
 * `\uXXXX` escape, which JSON reads as that character. A report of psr's is ASCII but for a
 * few dozen characters in advisory summaries (curly quotes, no-break spaces); decoded as UTF-8,
 * those few make V8 decode the whole text into a two-byte string and parse that (for a 3.5 MB
 * baseline 22 ms, against 9 this way). No escape is put right after a backslash, whose escape
 * it would change, and outside a string an escape is as invalid as the character it stands
 * for: invalid JSON stays invalid, for `parseReport` to say where in the UTF-8 text.
 */
function oneByteJsonText(bytes: Buffer): string {
  if (isAscii(bytes)) return bytes.toString('latin1');
  const start = BOM.every((b, i) => bytes[i] === b) ? BOM.length : 0;
  // Each byte one character: the bytes of a UTF-8 sequence (all ≥ 0x80) stay together in a run.
  const text = bytes.toString('latin1', start);
  return text.replace(/[\x80-\xff]+/g, (run, at: number) => {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 1) return run;
    const chars = Buffer.from(run, 'latin1').toString('utf8');
    let escaped = '';
    for (let i = 0; i < chars.length; i++) escaped += `\\u${chars.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}
