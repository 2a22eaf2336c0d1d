/**
 * SARIF 2.1.0 output, shaped for GitHub code scanning: one run per report, one rule per
 * finding id, `security-severity` on rules, `partialFingerprints` and `suppressions` on results.
 * The mapping is documented in docs/report-format.md.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, Log, Notification, ReportingDescriptor, Result, Run, Suppression as SarifSuppression } from 'sarif';
import type { Diagnostic } from '@psr/core/errors';
import type { Finding, FindingLocation } from '../finding.js';
import { computeFingerprint } from '../fingerprint.js';
import { isoTimestamp } from '../iso-timestamp.js';
import type { Report } from '../report.js';
import { compareSeverity, severityFromCvssScore, type Severity } from '../severity.js';
import { packageLabel, sentence, titleBesidePackage } from './finding-text.js';
import type { TextPiece } from './json.js';

/**
 * The `$schema` written into SARIF logs.
 *
 * @example
 * ```ts
 * toSarifLog(report).$schema === SARIF_SCHEMA_URI; // true
 * ```
 */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * Key under `partialFingerprints` that carries {@link Finding.fingerprint}.
 *
 * @example
 * ```ts
 * result.partialFingerprints?.[SARIF_FINGERPRINT_KEY]; // the finding's fingerprint
 * ```
 */
export const SARIF_FINGERPRINT_KEY = 'psrFingerprint/v1';

/**
 * SARIF result level for each severity (GitHub shows error/warning/note).
 *
 * @example
 * ```ts
 * SARIF_LEVELS.high; // 'error'
 * ```
 */
export const SARIF_LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  unknown: 'warning',
};

// Representative `security-severity` scores when a finding has no CVSS score of the same
// rating: GitHub buckets >= 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
const REPRESENTATIVE_SCORE: Record<Exclude<Severity, 'unknown'>, number> = {
  critical: 9.5,
  high: 8.0,
  medium: 5.5,
  low: 2.0,
};

/**
 * Options for {@link toSarifLog} / {@link renderSarif}.
 *
 * @example
 * ```ts
 * const options: RenderSarifOptions = { informationUri: 'https://example.com/psr' };
 * ```
 */
export interface RenderSarifOptions {
  /** Overrides `report.tool.informationUri` as the driver's `informationUri`. */
  informationUri?: string;
}

/**
 * Build the SARIF 2.1.0 log object for a report (see {@link renderSarif} for the text).
 *
 * @example
 * ```ts
 * const log = toSarifLog(report);
 * log.runs[0]?.results?.length; // one result per finding, suppressed ones included
 * ```
 */
export function toSarifLog(report: Report, options: RenderSarifOptions = {}): Log {
  const { log, rules, results } = sarifParts(report, options);
  const run = log.runs[0]!;
  run.tool.driver.rules = [...rules()];
  run.results = [...results()];
  return log;
}

/**
 * The log with its two long arrays (rules, results) left empty, and what fills them, made one
 * at a time: {@link renderSarifPieces} turns a few into text and drops them, so thousands of
 * findings never exist as SARIF objects (or one string) all at once.
 */
function sarifParts(report: Report, options: RenderSarifOptions): { log: Log; rules: () => Iterable<ReportingDescriptor>; results: () => Iterable<Result> } {
  const byRule = groupBy(report.findings, (f) => f.id);
  const ruleIndex = new Map<string, number>();
  for (const id of byRule.keys()) ruleIndex.set(id, ruleIndex.size);

  const informationUri = options.informationUri ?? report.tool.informationUri;
  const started = Date.parse(report.run.startedAt);
  const invocation = {
    executionSuccessful: report.errors.length === 0,
    ...(Number.isFinite(started)
      ? {
          startTimeUtc: isoTimestamp(started),
          endTimeUtc: isoTimestamp(started + report.run.durationMs),
        }
      : {}),
    toolExecutionNotifications: [
      ...report.errors.map((d) => toNotification(d, 'error')),
      ...report.warnings.map((d) => toNotification(d, 'warning')),
    ],
  };

  const run: Run = {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        // The schema requires an absolute URI; anything else is left out rather than made invalid.
        ...(informationUri !== undefined && isAbsoluteUri(informationUri) ? { informationUri } : {}),
        rules: [],
      },
    },
    // GitHub keeps one analysis per tool name and category: each plugin gets its own category
    // so uploading secret-scan results does not replace scan results.
    automationDetails: { id: `${report.tool.plugin.replace(/[^A-Za-z0-9._-]+/g, '-')}/` },
    invocations: [invocation],
    columnKind: 'utf16CodeUnits',
    results: [],
    properties: {
      psr: {
        schemaVersion: report.schemaVersion,
        plugin: report.tool.plugin,
        target: report.run.target,
        summary: report.summary,
        ...(report.dataSources !== undefined ? { dataSources: report.dataSources } : {}),
        // What the scan left out on request: without it a clean log of a production-only scan
        // reads like a clean project.
        ...(report.run.omitted !== undefined ? { omitted: report.run.omitted } : {}),
        // Counts only: resolved findings are not written as `absent` results (see toResult).
        ...(report.baseline !== undefined
          ? { baseline: { report: report.baseline.report, new: report.baseline.new, unchanged: report.baseline.unchanged, resolved: report.baseline.resolved } }
          : {}),
      },
    },
  };

  return {
    log: { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] },
    *rules() {
      for (const [id, findings] of byRule) yield toRule(id, findings);
    },
    *results() {
      for (const f of report.findings) yield* toResults(f, ruleIndex.get(f.id) ?? 0);
    },
  };
}

/**
 * Render a report as a SARIF 2.1.0 log (pretty-printed JSON, trailing newline), ready for
 * `github/codeql-action/upload-sarif`.
 *
 * @example
 * ```ts
 * await writeReports(report, [{ format: 'sarif', path: 'psr.sarif' }]);
 * // or directly:
 * const text = renderSarif(report);
 * ```
 */
export function renderSarif(report: Report, options: RenderSarifOptions = {}): string {
  return `${JSON.stringify(toSarifLog(report, options), null, 2)}\n`;
}

// Rules or results per JSON.stringify call in renderSarifPieces (see renderJsonPieces).
const ITEMS_PER_BATCH = 25;

/**
 * {@link renderSarif}`(report, options)` in pieces, made as they are asked for: rules and results
 * are built and stringified a batch at a time, so a report with thousands of findings never
 * exists as one SARIF object graph or one multi-megabyte string (writeReports uses this).
 *
 * @example
 * ```ts
 * [...renderSarifPieces(report)].map(pieceText).join('') === renderSarif(report); // true
 * ```
 */
export function* renderSarifPieces(report: Report, options: RenderSarifOptions = {}): Generator<TextPiece, void, undefined> {
  const { log, rules, results } = sarifParts(report, options);
  const shell = `${JSON.stringify(log, null, 2)}\n`;
  if (report.findings.length === 0) {
    yield shell;
    return;
  }
  // The two empty arrays in the shell: keys, so their quotes are the only unescaped ones there.
  const rulesAt = onlyIndexOf(shell, '"rules": []');
  const resultsAt = onlyIndexOf(shell, '"results": []');
  yield `${shell.slice(0, rulesAt)}"rules": [\n`;
  yield* arrayItems(rules(), (items) => ({ runs: [{ tool: { driver: { rules: items } } }] }));
  yield `\n${indentAt(shell, rulesAt)}]${shell.slice(rulesAt + '"rules": []'.length, resultsAt)}"results": [\n`;
  yield* arrayItems(results(), (items) => ({ runs: [{ results: items }] }));
  yield `\n${indentAt(shell, resultsAt)}]${shell.slice(resultsAt + '"results": []'.length)}`;
}

/**
 * The items of an array, pretty-printed as they appear inside a whole document: each batch is
 * stringified inside `wrap`, which nests it as deep as in the document, and the wrapper's text
 * around the items (ASCII) is cut off; batches are joined by `,\n`.
 */
function* arrayItems<T>(items: Iterable<T>, wrap: (items: T[]) => unknown): Generator<TextPiece, void, undefined> {
  const probe = JSON.stringify(wrap([PROBE as T]), null, 2);
  const at = probe.indexOf(PROBE_TEXT);
  const head = probe.lastIndexOf('\n', at) + 1;
  const tail = probe.length - at - PROBE_TEXT.length;
  let batch: T[] = [];
  let first = true;
  const piece = (): TextPiece => {
    const text = JSON.stringify(wrap(batch), null, 2);
    batch = [];
    return { text, start: head, end: text.length - tail };
  };
  for (const item of items) {
    batch.push(item);
    if (batch.length === ITEMS_PER_BATCH) {
      if (!first) yield ',\n';
      first = false;
      yield piece();
    }
  }
  if (batch.length > 0) {
    if (!first) yield ',\n';
    yield piece();
  }
}

/** Stands for the items while measuring the text a wrapper puts around them. */
const PROBE = '\u0000psr-items\u0000';
const PROBE_TEXT = JSON.stringify(PROBE);

/** Index of the one occurrence of `needle`; more or none is a bug in this module. */
function onlyIndexOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0 || text.indexOf(needle, at + 1) >= 0) throw new Error(`SARIF shell holds ${at < 0 ? 'no' : 'more than one'} ${needle}`);
  return at;
}

/** The spaces that indent the line holding `at`. */
function indentAt(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at) + 1;
  return text.slice(lineStart, at);
}

function toRule(id: string, findings: readonly Finding[]): ReportingDescriptor {
  // Findings of one rule normally agree; when they do not, the rule shows the worst case.
  const worst = [...findings].sort((a, b) => compareSeverity(a.severity, b.severity))[0]!;
  const first = findings[0]!;
  const securitySeverity = securitySeverityOf(findings, worst.severity);
  const tags = unique(['security', first.kind, ...findings.map((f) => f.package?.ecosystem).filter(isString)]);
  // Each field read once: a finding may build them on each read.
  const { title: fullTitle, description, help, references = [] } = first;
  const helpUri = references.find(isAbsoluteUri);
  // A rule is the advisory, whichever package version a result finds it in.
  const title = titleBesidePackage(fullTitle, packageLabel(first.package));
  return {
    id,
    name: friendlyName(title, id),
    shortDescription: { text: oneLine(title) },
    fullDescription: { text: oneLine(description ?? fullTitle) },
    ...(helpUri !== undefined ? { helpUri } : {}),
    help: {
      text: [description ?? fullTitle, help, ...references].filter(isString).join('\n\n'),
      markdown: ruleHelpMarkdown(first, title, description, help, references),
    },
    defaultConfiguration: { level: SARIF_LEVELS[worst.severity] },
    properties: {
      tags,
      ...(securitySeverity !== undefined ? { 'security-severity': securitySeverity } : {}),
      ...(first.confidence !== undefined ? { precision: first.confidence } : {}),
      severity: worst.severity,
      ...(first.aliases !== undefined && first.aliases.length > 0 ? { aliases: first.aliases } : {}),
    },
  };
}

/**
 * GitHub's `security-severity`: a numeric string. The CVSS score when its rating matches the
 * finding's severity (the scanner may have picked the severity from another source), else a
 * representative score for the severity; none for `unknown`.
 */
function securitySeverityOf(findings: readonly Finding[], severity: Severity): string | undefined {
  if (severity === 'unknown') return undefined;
  const scores = findings
    .map((f) => f.cvss?.score)
    .filter((s): s is number => s !== undefined && severityFromCvssScore(s) === severity);
  const score = scores.length > 0 ? Math.max(...scores) : REPRESENTATIVE_SCORE[severity];
  return score.toFixed(1);
}

/**
 * The results of one finding: one per location. Code scanning shows a result at its first
 * location only, so the same pin in two files (one finding) would flag the first file alone.
 * The first location's result carries the finding's fingerprint; each other one a fingerprint
 * of it and its file, so each file's alert is tracked apart.
 */
function* toResults(finding: Finding, ruleIndex: number): Generator<Result, void, undefined> {
  if (finding.locations.length === 0) {
    yield toResult(finding, ruleIndex, undefined, finding.fingerprint);
    return;
  }
  for (const [i, location] of finding.locations.entries()) {
    yield toResult(finding, ruleIndex, location, i === 0 ? finding.fingerprint : computeFingerprint([finding.fingerprint, location.file]));
  }
}

function toResult(finding: Finding, ruleIndex: number, location: FindingLocation | undefined, fingerprint: string): Result {
  const result: Result = {
    ruleId: finding.id,
    ruleIndex,
    kind: 'fail',
    level: SARIF_LEVELS[finding.severity],
    message: { text: resultMessage(finding) },
    ...(location !== undefined ? { locations: [toSarifLocation(location)] } : {}),
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: fingerprint },
    // `new` or `unchanged` against the scan's baseline. Findings the baseline had and this scan
    // does not are left out rather than written as `absent` results: GitHub code scanning does
    // not read baselineState, so it would show an absent result as an open alert (it closes
    // alerts itself when a result stops appearing).
    ...(finding.baselineState !== undefined ? { baselineState: finding.baselineState } : {}),
    properties: resultProperties(finding),
  };
  if (finding.suppressed !== undefined) result.suppressions = [toSarifSuppression(finding.suppressed)];
  return result;
}

function toSarifSuppression(s: NonNullable<Finding['suppressed']>): SarifSuppression {
  return {
    // SARIF knows two kinds: in the source file itself (inline comments) or outside it.
    kind: s.kind === 'inline' ? 'inSource' : 'external',
    status: 'accepted',
    justification: s.reason,
    properties: {
      psrKind: s.kind,
      ...(s.owner !== undefined ? { owner: s.owner } : {}),
      ...(s.expires !== undefined ? { expires: s.expires } : {}),
    },
  };
}

function toSarifLocation(loc: FindingLocation): Location {
  const region =
    loc.line !== undefined
      ? {
          startLine: loc.line,
          ...(loc.col !== undefined ? { startColumn: loc.col } : {}),
          ...(loc.endLine !== undefined ? { endLine: loc.endLine } : {}),
          ...(loc.endCol !== undefined ? { endColumn: loc.endCol } : {}),
        }
      : undefined;
  // A file outside the repository (an ignore file elsewhere) keeps its absolute path: as a file
  // URI, not relative to %SRCROOT%.
  const artifactLocation = isAbsolute(loc.file) ? { uri: pathToFileURL(loc.file).href } : { uri: toRelativeUri(loc.file), uriBaseId: '%SRCROOT%' };
  return {
    physicalLocation: {
      artifactLocation,
      ...(region !== undefined ? { region } : {}),
    },
  };
}

/** A repository-relative path as a relative URI reference: forward slashes, each segment percent-encoded. */
function toRelativeUri(file: string): string {
  return file
    .replace(/^\.\//, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function resultMessage(f: Finding): string {
  const parts: string[] = [];
  // Read once: a finding may build its package details on each read.
  const p = f.package;
  if (p !== undefined) {
    const ids = [f.id, ...(f.aliases ?? [])].join(', ');
    const label = packageLabel(p);
    parts.push(sentence(`${label} (${p.ecosystem}) is affected by ${ids}: ${oneLine(titleBesidePackage(f.title, label))}`));
    const fixed = p.fixedVersions ?? [];
    if (fixed.length > 0) parts.push(`Fixed in ${fixed.join(', ')}.`);
    if (p.suggestedUpgrade !== undefined) parts.push(`Upgrade to ${p.suggestedUpgrade}.`);
    if (fixed.length === 0 && p.suggestedUpgrade === undefined) parts.push('No fixed version is known.');
    if (p.marker !== undefined) parts.push(`Marker: ${p.marker}.`);
  } else {
    parts.push(f.redacted !== undefined ? `${oneLine(f.title)} (${f.redacted}).` : sentence(oneLine(f.title)));
  }
  const loc = f.locations[0];
  if (loc?.commit !== undefined) {
    parts.push(`Added in commit ${loc.commit.slice(0, 12)}${loc.author !== undefined ? ` by ${loc.author}` : ''}${loc.date !== undefined ? ` on ${loc.date}` : ''}.`);
  }
  return parts.join(' ');
}

function resultProperties(f: Finding): Record<string, unknown> {
  const loc = f.locations[0];
  // Each field read once: a finding may build them on each read.
  const { cvss, package: pkg, properties } = f;
  return {
    severity: f.severity,
    kind: f.kind,
    ...(f.confidence !== undefined ? { confidence: f.confidence } : {}),
    ...(cvss !== undefined ? { cvss } : {}),
    ...(pkg !== undefined ? { package: pkg } : {}),
    ...(f.aliases !== undefined ? { aliases: f.aliases } : {}),
    ...(f.redacted !== undefined ? { redacted: f.redacted } : {}),
    ...(loc?.commit !== undefined ? { commit: loc.commit } : {}),
    ...(loc?.author !== undefined ? { author: loc.author } : {}),
    ...(loc?.date !== undefined ? { date: loc.date } : {}),
    ...(properties !== undefined ? { psr: properties } : {}),
  };
}

function ruleHelpMarkdown(f: Finding, title: string, description: string | undefined, help: string | undefined, references: readonly string[]): string {
  const lines = [`**${f.id}**${f.aliases?.length ? ` (${f.aliases.join(', ')})` : ''}: ${title}`];
  // A scan's title is its description (the advisory's summary): said once, in the first line.
  if (description !== undefined && description !== title) lines.push(description);
  if (help !== undefined) lines.push(`**Fix:** ${help}`);
  const refs = references.filter(isAbsoluteUri);
  if (refs.length > 0) lines.push(`**References:**\n${refs.map((r) => `- <${r}>`).join('\n')}`);
  return lines.join('\n\n');
}

function toNotification(d: Diagnostic, level: 'error' | 'warning'): Notification {
  const n: Notification = { level, message: { text: d.hint !== undefined ? `${d.message} (hint: ${d.hint})` : d.message }, descriptor: { id: d.code } };
  if (d.location !== undefined) {
    n.locations = [toSarifLocation({ file: d.location.file, line: d.location.line, col: d.location.col })];
  }
  return n;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

/**
 * SARIF's `reportingDescriptor.name`: a PascalCase identifier (SARIF multitool rule SARIF2012),
 * from the title's ASCII words, or the id's when the title has none.
 */
function friendlyName(title: string, id: string): string {
  // Words only until the name is long enough: titles run to 200 characters. (An exec loop: the
  // iterator of matchAll cost ~3 µs a rule, 6 ms of a 2,190-rule SARIF file.)
  const pascal = (text: string): string => {
    const words = /[A-Za-z0-9]+/g;
    let out = '';
    for (let m = words.exec(text); m !== null && out.length < 64; m = words.exec(text)) out += m[0].charAt(0).toUpperCase() + m[0].slice(1);
    return out;
  };
  const name = (pascal(title) || pascal(id)).slice(0, 64);
  return /^[A-Za-z]/.test(name) ? name : `Rule${name}`;
}

function oneLine(text: string): string {
  // Most titles already are one line with single spaces: only the others are rebuilt.
  return /[^\S ]| {2}|^ | $/.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isAbsoluteUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value);
}
