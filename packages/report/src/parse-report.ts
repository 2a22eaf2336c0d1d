/** Parsing JSON report text back into a validated {@link Report}, saying what is wrong with one that is not (zod, jsonc-parser). */
import { PsrError, type SourceLocation } from '@psr/core/errors';
import { parse as parseLenient, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ReportErrorCodes } from './report-errors.js';
import { ReportSchema } from './report-schema.js';
import { matchesReportSchema } from './report-shape.js';
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
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    data = JSON.parse(json);
  } catch (error) {
    const { reason, location } = jsonErrorAt(json, error, source);
    throw new PsrError(ReportErrorCodes.INVALID, `${source} is not valid JSON: ${reason}`, {
      hint: 'pass a report written by psr with `--format json` (the file may be truncated)',
      location,
      cause: error,
    });
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || typeof version !== 'string') {
    const other = typeof data === 'object' && data !== null && !Array.isArray(data) ? otherFormat(data as Record<string, unknown>) : undefined;
    throw new PsrError(ReportErrorCodes.INVALID, `${source} is ${other ?? 'not a psr JSON report (no "schemaVersion")'}`, {
      hint: 'a baseline is a JSON report of psr itself (`psr scan --format json --output scan.json`), not SARIF or other tools’ output',
      location: { file: source, line: 1, col: 1 },
    });
  }
  if (!/^1\.\d+\.\d+$/.test(version)) {
    const major = Number(/^(\d+)\./.exec(version)?.[1]);
    throw new PsrError(ReportErrorCodes.INVALID, `${source} uses report format ${version}; this psr reads 1.x`, {
      hint: major > 1 ? 'it was written by a newer psr: upgrade psr, or regenerate the report with this one' : 'regenerate the report with this version of psr',
      location: { file: source, line: 1, col: 1 },
    });
  }
  // zod only for a report that is not valid, to say why: validating thousands of findings
  // with it costs ~40 µs each.
  if (matchesReportSchema(data)) return data;
  let parsed: ReturnType<typeof ReportSchema.safeParse>;
  try {
    parsed = ReportSchema.safeParse(data);
  } catch (error) {
    // zod checks a finding's `properties` recursively: thousands of levels overflow the stack.
    if (!(error instanceof RangeError)) throw error;
    throw new PsrError(ReportErrorCodes.INVALID, `${source}: a finding's properties are nested too deeply to check`, {
      hint: 'the report does not match docs/report-format.md; regenerate it with psr',
      location: { file: source, line: 1, col: 1 },
      cause: error,
    });
  }
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

/**
 * What a JSON document that is no psr report is, when it is a format people mistake for one:
 * a SARIF log (psr writes those too), a secret-scan baseline, or another scanner's report.
 * Recognised by keys those formats always have.
 */
function otherFormat(data: Record<string, unknown>): string | undefined {
  if (typeof data['version'] === 'string' && Array.isArray(data['runs'])) return `a SARIF log (version ${data['version']}), not a psr JSON report`;
  if (data['tool'] === 'psr secret-scan') return 'a secret-scan baseline (`psr secret-scan --update-baseline`), not a psr JSON report';
  if ('auditReportVersion' in data) return 'an npm audit report, not a psr JSON report';
  if ('SchemaVersion' in data && 'ArtifactName' in data) return 'a Trivy report, not a psr JSON report';
  if (Array.isArray(data['matches']) && 'descriptor' in data) return 'a Grype report, not a psr JSON report';
  if (Array.isArray(data['dependencies']) && Array.isArray(data['fixes'])) return 'a pip-audit report, not a psr JSON report';
  if (Array.isArray(data['results']) && !('findings' in data)) return 'not a psr JSON report (it has "results", as osv-scanner writes, and no "schemaVersion")';
  return undefined;
}

/**
 * The reason and `file:line:col` of a JSON syntax error. `JSON.parse`'s message gives no position
 * for an unexpected token and quotes the text itself; jsonc-parser's scanner (as @psr/lockfiles
 * uses it) names the first error and its offset.
 */
function jsonErrorAt(text: string, error: unknown, file: string): { reason: string; location: SourceLocation } {
  const errors: ParseError[] = [];
  try {
    parseLenient(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // Nested deeper than its recursion goes: V8's position below.
  }
  const first = errors[0];
  const message = (error as Error).message;
  // jsonc-parser names its errors in camel case (`CloseBraceExpected`): said as words.
  const code = first && printParseErrorCode(first.error);
  const words = code?.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const reason = first === undefined ? message.replace(/,? ".*$/s, '') : code === 'InvalidSymbol' ? `${words} ${JSON.stringify(text[first.offset])}` : words!;
  const offset = first?.offset ?? Number(/position (\d+)/.exec(message)?.[1] ?? text.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { reason, location: { file, line, col } };
}
