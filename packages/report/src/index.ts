// The public surface of @psr/report: named re-exports only (no `export *`). Kept free of heavy
// imports: the zod schema and parser are in `@psr/report/schema`, the table renderer (and its
// terminal-width library) in `@psr/report/table`; `renderReport` loads the table on demand.
export { SEVERITIES, FAIL_ON_LEVELS, isSeverity, compareSeverity, severityAtLeast, severityFromCvssScore } from './severity.js';
export type { Severity, FailOn } from './severity.js';
export { FINDING_KINDS, CONFIDENCES, SUPPRESSION_KINDS, BASELINE_STATES } from './finding.js';
export type {
  Finding,
  FindingKind,
  FindingLocation,
  PackageInfo,
  Cvss,
  Confidence,
  Suppression,
  BaselineState,
  JsonValue,
} from './finding.js';
export {
  REPORT_SCHEMA_VERSION,
  createReport,
  summarizeFindings,
  compareFindings,
  failingFindings,
  FAIL_ON_SCOPES,
} from './report.js';
export type { Report, ReportTool, ReportRun, DataSource, ReportSummary, ReportBaseline, CreateReportInput, FailOnScope } from './report.js';
export { computeFingerprint } from './fingerprint.js';
export { isoTimestamp } from './iso-timestamp.js';
export { redactSecret } from './redact-secret.js';
export type { RedactOptions } from './redact-secret.js';
export { renderJson } from './render/json.js';
export type { RenderJsonOptions } from './render/json.js';
export { renderSarif, toSarifLog, SARIF_SCHEMA_URI, SARIF_FINGERPRINT_KEY, SARIF_LEVELS } from './render/sarif.js';
export type { RenderSarifOptions } from './render/sarif.js';
export type { RenderTableOptions } from './render/table.js';
export { renderMarkdown, escapeMarkdownInline, GITHUB_COMMENT_LIMIT } from './render/markdown.js';
export type { RenderMarkdownOptions } from './render/markdown.js';
export { REPORT_FORMATS, isReportFormat, renderReport, renderReportChunks } from './render-report.js';
export type { ReportFormat, RenderOptions } from './render-report.js';
export { writeReports, writeFileAtomic } from './write-reports.js';
export type { ReportTarget, WriteReportsOptions } from './write-reports.js';
export { compareReports, applyBaseline } from './compare-reports.js';
export type { ApplyBaselineOptions, ReportComparison } from './compare-reports.js';
export { readReport } from './read-report.js';
export { ReportErrorCodes } from './report-errors.js';
export { toReportPath } from './report-path.js';
