/** Parsing JSON report text back into a validated {@link Report} (zod: loaded only when a report is read). */
import { PsrError, type SourceLocation } from '@psr/core/errors';
import { ReportErrorCodes } from './report-errors.js';
import { ReportSchema } from './report-schema.js';
import type { Report } from './report.js';

/**
 * Parse a JSON report (as written by `renderJson`), e.g. a baseline to compare against.
 * Accepts any `1.x.y` report; unknown fields from newer minor versions are dropped.
 *
 * @throws PsrError `PSR_REPORT_INVALID` with `file:line:col` for malformed JSON, a document
 *   that is not a psr report, or an unsupported major version.
 * @example
 * ```ts
 * const baseline = parseReport(await readFile('baseline.json', 'utf8'), 'baseline.json');
 * ```
 */
export function parseReport(text: string, source = '<report>'): Report {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const location = jsonErrorLocation(text, error, source);
    throw new PsrError(ReportErrorCodes.INVALID, `${source} is not valid JSON: ${(error as Error).message}`, {
      hint: 'pass a report written by psr with `--format json` (the file may be truncated)',
      location,
      cause: error,
    });
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || typeof version !== 'string') {
    throw new PsrError(ReportErrorCodes.INVALID, `${source} is not a psr JSON report (no "schemaVersion")`, {
      hint: 'baselines are psr reports written with `--format json`, not SARIF or other tools’ output',
      location: { file: source, line: 1, col: 1 },
    });
  }
  if (!/^1\.\d+\.\d+$/.test(version)) {
    throw new PsrError(ReportErrorCodes.INVALID, `${source} uses report format ${version}; this psr reads 1.x`, {
      hint: 'regenerate the report with this version of psr',
      location: { file: source, line: 1, col: 1 },
    });
  }
  const parsed = ReportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') ?? '';
    throw new PsrError(ReportErrorCodes.INVALID, `${source}: ${path || 'report'}: ${issue?.message ?? 'invalid report'}`, {
      hint: 'the report does not match docs/report-format.md; regenerate it with psr',
      location: { file: source, line: 1, col: 1 },
    });
  }
  return parsed.data as Report;
}

/** Turn JSON.parse's "at position N" (or "line L column C") into a file:line:col location. */
function jsonErrorLocation(text: string, error: unknown, file: string): SourceLocation {
  const message = (error as Error).message;
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return { file, line: Number(lineCol[1]), col: Number(lineCol[2]) };
  const pos = /position (\d+)/.exec(message);
  const offset = pos ? Number(pos[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { file, line, col };
}
