/**
 * The Report: everything one scanning task produced — its findings, what data it used and
 * what went wrong — in the shape every renderer takes.
 */
import type { Diagnostic } from '@psr/core/errors';
import type { Finding } from './finding.js';
import { SEVERITIES, compareSeverity, severityAtLeast, type FailOn, type Severity } from './severity.js';

/**
 * Version of the JSON report format (`docs/report-format.md`). Minor versions only add optional
 * fields; readers accept any `1.x.y`. A breaking change bumps the major.
 *
 * @example
 * ```ts
 * createReport(input).schemaVersion === REPORT_SCHEMA_VERSION; // true
 * ```
 */
export const REPORT_SCHEMA_VERSION = '1.2.0';

/**
 * The tool that made a report.
 *
 * @example
 * ```ts
 * const tool: ReportTool = { name: 'psr', version: '0.1.0', plugin: 'psr:scan' };
 * ```
 */
export interface ReportTool {
  name: 'psr';
  /** psr's version. */
  version: string;
  /** The plugin that produced the findings (`psr:scan`, `psr:secret-scan`). */
  plugin: string;
  /** Absolute URL of the tool's documentation; used as SARIF `informationUri` when set. */
  informationUri?: string;
}

/**
 * When and on what the scan ran.
 *
 * @example
 * ```ts
 * const run: ReportRun = { startedAt: '2024-06-01T12:00:00.000Z', durationMs: 412, target: '.' };
 * ```
 */
export interface ReportRun {
  /** ISO 8601 timestamp. */
  startedAt: string;
  durationMs: number;
  /** What was scanned, as the user named it (a path or git range). */
  target: string;
  /**
   * Dependency groups the scan left out on request (scan's `omit`: `dev`, `optional`,
   * `optional:<extra>`, `group:<name>`), and how many dependencies that was. Present only when
   * something was asked to be left out: a clean report then says what it did not look at.
   */
  omitted?: { groups: string[]; dependencies: number };
}

/**
 * A data set the findings depend on, named so a report is reproducible: scan names the
 * advisory snapshot it matched against.
 *
 * @example
 * ```ts
 * const src: DataSource = { name: 'osv:PyPI', snapshot: 'sha256:4f1c…', fetchedAt: '2024-06-01T00:00:00Z' };
 * ```
 */
export interface DataSource {
  name: string;
  /** Identifier of the exact data used (a content hash, a git commit, an export date). */
  snapshot: string;
  /** When the data was fetched, ISO 8601. */
  fetchedAt?: string;
  /**
   * The newest modification time among the data's records, ISO 8601: how current the data is
   * (an advisory folder imported today may hold nothing newer than last year).
   */
  newestModified?: string;
}

/**
 * Counts over a report's findings. `bySeverity` and `total` count ACTIVE (unsuppressed)
 * findings; `suppressed` counts the others.
 *
 * @example
 * ```ts
 * const s: ReportSummary = {
 *   total: 3, suppressed: 1,
 *   bySeverity: { critical: 0, high: 2, medium: 1, low: 0, unknown: 0 },
 * };
 * ```
 */
export interface ReportSummary {
  total: number;
  suppressed: number;
  bySeverity: Record<Severity, number>;
}

/**
 * How a report compares with the baseline it was given (`--baseline`): counts, and the
 * baseline's findings this report no longer has. `new` and `unchanged` count active
 * (unsuppressed) findings, as `summary.total` does; `resolved` counts every baseline finding
 * that is gone.
 *
 * @example
 * ```ts
 * const b: ReportBaseline = { report: 'main-scan.json', new: 3, unchanged: 40, resolved: 2, resolvedFindings: [] };
 * ```
 */
export interface ReportBaseline {
  /** The baseline report, as the user named it. */
  report: string;
  /** Active findings the baseline does not have. */
  new: number;
  /** Active findings the baseline has too. */
  unchanged: number;
  /** Findings of the baseline that this report does not have. */
  resolved: number;
  /** Those findings, as the baseline holds them (without a `baselineState` of their own). */
  resolvedFindings: Finding[];
}

/**
 * One scanning task's results. Build with {@link createReport} so the summary and ordering
 * are right.
 *
 * `errors` non-empty means the scan is PARTIAL (e.g. an advisory source failed): callers must
 * not treat a partial report as clean.
 *
 * @example
 * ```ts
 * const report: Report = createReport({
 *   tool: { name: 'psr', version: '0.1.0', plugin: 'psr:scan' },
 *   run: { startedAt: new Date().toISOString(), durationMs: 12, target: '.' },
 *   findings: [],
 * });
 * ```
 */
export interface Report {
  schemaVersion: string;
  tool: ReportTool;
  run: ReportRun;
  dataSources?: DataSource[];
  findings: Finding[];
  summary: ReportSummary;
  /** Present when the report was compared with a baseline (see {@link ReportBaseline}). */
  baseline?: ReportBaseline;
  /** Problems that did not stop the scan (a skipped binary file, an expired ignore). */
  warnings: Diagnostic[];
  /** Problems that made the scan incomplete (a data source that failed). */
  errors: Diagnostic[];
}

/**
 * What {@link createReport} needs; everything else is derived.
 *
 * @example
 * ```ts
 * const input: CreateReportInput = {
 *   tool: { name: 'psr', version: '0.1.0', plugin: 'psr:secret-scan' },
 *   run: { startedAt: '2024-06-01T12:00:00.000Z', durationMs: 80, target: '.' },
 *   findings: [],
 *   warnings: [{ code: 'PSR_SECRET_SCAN_BINARY', message: 'skipped binary file', location: { file: 'logo.png', line: 1, col: 1 } }],
 * };
 * ```
 */
export interface CreateReportInput {
  tool: ReportTool;
  run: ReportRun;
  findings: readonly Finding[];
  dataSources?: readonly DataSource[];
  warnings?: readonly Diagnostic[];
  errors?: readonly Diagnostic[];
}

/**
 * Count findings: active ones by severity and in total, suppressed ones apart.
 *
 * @example
 * ```ts
 * summarizeFindings(report.findings).bySeverity.high; // active high findings
 * ```
 */
export function summarizeFindings(findings: readonly Finding[]): ReportSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let total = 0;
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) {
      suppressed++;
    } else {
      total++;
      bySeverity[f.severity]++;
    }
  }
  return { total, suppressed, bySeverity };
}

/**
 * The order findings appear in every format: most severe first, then by file, line, id and
 * fingerprint, so two runs over the same input give byte-identical reports.
 *
 * @example
 * ```ts
 * const sorted = [...findings].sort(compareFindings);
 * ```
 */
export function compareFindings(a: Finding, b: Finding): number {
  const bySeverity = compareSeverity(a.severity, b.severity);
  if (bySeverity !== 0) return bySeverity;
  const la = a.locations[0];
  const lb = b.locations[0];
  const byFile = compareText(la?.file ?? '', lb?.file ?? '');
  if (byFile !== 0) return byFile;
  const byLine = (la?.line ?? 0) - (lb?.line ?? 0);
  if (byLine !== 0) return byLine;
  const byCol = (la?.col ?? 0) - (lb?.col ?? 0);
  if (byCol !== 0) return byCol;
  const byId = compareText(a.id, b.id);
  if (byId !== 0) return byId;
  return compareText(a.fingerprint, b.fingerprint);
}

// Code-unit order, not localeCompare: the output must not depend on the machine's locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Build a {@link Report}: stamps the schema version, sorts findings deterministically and
 * computes the summary.
 *
 * @example
 * ```ts
 * const report = createReport({
 *   tool: { name: 'psr', version: '0.1.0', plugin: 'psr:scan' },
 *   run: { startedAt: '2024-06-01T12:00:00.000Z', durationMs: 412, target: '.' },
 *   dataSources: [{ name: 'osv:PyPI', snapshot: 'pypa-advisory-db@4f1c2e0' }],
 *   findings,
 * });
 * report.summary.total; // active findings
 * ```
 */
export function createReport(input: CreateReportInput): Report {
  const findings = [...input.findings].sort(compareFindings);
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { ...input.tool },
    run: { ...input.run },
    findings,
    summary: summarizeFindings(findings),
    warnings: [...(input.warnings ?? [])],
    errors: [...(input.errors ?? [])],
  };
  if (input.dataSources !== undefined) report.dataSources = [...input.dataSources];
  return report;
}

/**
 * Which findings `fail-on` counts: `all` of them, or only those `new` against a baseline.
 *
 * @example
 * ```ts
 * FAIL_ON_SCOPES; // ['all', 'new']
 * ```
 */
export const FAIL_ON_SCOPES = ['all', 'new'] as const;

/**
 * One of {@link FAIL_ON_SCOPES}.
 *
 * @example
 * ```ts
 * const scope: FailOnScope = 'new'; // gate pull requests on what they add
 * ```
 */
export type FailOnScope = (typeof FAIL_ON_SCOPES)[number];

/**
 * The active (unsuppressed) findings at or above a `fail-on` threshold: non-empty means the
 * task should fail. With `scope: 'new'`, only findings whose `baselineState` is `new` count; a
 * report that was not compared with a baseline (no `baseline`: none given, or a partial scan
 * that skipped the comparison) then counts every finding, so it can never pass for want of one.
 *
 * @example
 * ```ts
 * if (failingFindings(report, 'high').length > 0) throw new TaskFailure('vulnerabilities at or above high');
 * failingFindings(report, 'high', 'new'); // only what the baseline does not have
 * ```
 */
export function failingFindings(report: Pick<Report, 'findings' | 'baseline'>, failOn: FailOn, scope: FailOnScope = 'all'): Finding[] {
  const onlyNew = scope === 'new' && report.baseline !== undefined;
  return report.findings.filter((f) => !f.suppressed && severityAtLeast(f.severity, failOn) && (!onlyNew || f.baselineState === 'new'));
}
