/**
 * Reading a JSON report file (a baseline). The zod schema that validates it is imported only
 * here, on first use, so renderers and scans that never read a report do not load zod.
 */
// Synchronous fs on purpose: the promise API would cost every scan the load of
// `node:fs/promises` (FileHandle, streams) for one local file.
import { readFileSync, statSync } from 'node:fs';
import { PsrError } from '@psr/core/errors';
import { ReportErrorCodes } from './report-errors.js';
import type { Report } from './report.js';

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
  let text: string;
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
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof PsrError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new PsrError(ReportErrorCodes.READ, `cannot read report ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {
      hint: code === 'ENOENT' ? 'check the path; a baseline is a report written earlier with `--format json`' : 'check the file’s permissions',
      cause: error,
    });
  }
  const { parseReport } = await import('./parse-report.js');
  return parseReport(text, path);
}
