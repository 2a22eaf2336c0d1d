/**
 * The Finding model: one problem a scanning plugin found (a vulnerable package, a leaked
 * credential, a policy violation). Every scanner produces these; every renderer consumes them.
 * The matching zod schema (and the published JSON Schema) lives in `report-schema.ts`; a
 * compile-time check there keeps both in step.
 */
import type { Severity } from './severity.js';

/**
 * The kinds of finding psr's plugins produce.
 *
 * @example
 * ```ts
 * FINDING_KINDS.includes('secret'); // true
 * ```
 */
export const FINDING_KINDS = ['vulnerability', 'secret', 'policy', 'license'] as const;

/**
 * What sort of problem a finding is: `vulnerability` (scan), `secret` (secret-scan),
 * `policy` (cost-tag budgets and required tags), `license` (sbom).
 *
 * @example
 * ```ts
 * const kind: FindingKind = 'secret';
 * ```
 */
export type FindingKind = (typeof FINDING_KINDS)[number];

/**
 * How sure the scanner can be that a finding is real, most sure first.
 *
 * @example
 * ```ts
 * CONFIDENCES[0]; // 'high'
 * ```
 */
export const CONFIDENCES = ['high', 'medium', 'low'] as const;

/**
 * Confidence that a finding is a true positive. Secret-scan marks structurally validated
 * tokens (checksum, decodable JWT, parseable PEM) `high`.
 *
 * @example
 * ```ts
 * const c: Confidence = 'high';
 * ```
 */
export type Confidence = (typeof CONFIDENCES)[number];

/**
 * Any JSON value: what `properties` may hold so every report stays serialisable.
 *
 * @example
 * ```ts
 * const extra: Record<string, JsonValue> = { published: '2019-04-10', withdrawn: false, ranks: [1, 2] };
 * ```
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Where a finding is. `file` is relative to the scanned repository root and uses forward
 * slashes on every OS (`services/api/requirements.txt`), so reports are identical on Windows
 * and Linux and SARIF locations resolve in code-scanning UIs. Lines and columns are 1-based.
 *
 * @example
 * ```ts
 * const where: FindingLocation = { file: 'requirements.txt', line: 12, col: 1 };
 * const inHistory: FindingLocation = {
 *   file: 'deploy/.env', line: 3, col: 14,
 *   commit: '9fceb02d0ae598e95dc970b74767f19372d61af8', author: 'Ada <ada@example.com>',
 *   date: '2024-05-01T10:00:00Z',
 * };
 * ```
 */
export interface FindingLocation {
  /** Path relative to the scanned root with forward slashes (see `toReportPath`); `../` only for files outside the root that the scan was led to. */
  file: string;
  /** 1-based line; absent when the finding is about the file as a whole. */
  line?: number;
  /** 1-based column, in UTF-16 code units (what JavaScript string indices count). */
  col?: number;
  /** 1-based last line of the range. */
  endLine?: number;
  /** 1-based column just AFTER the range (exclusive, as in SARIF). */
  endCol?: number;
  /** For findings from git history: the commit that added the line. */
  commit?: string;
  /** For findings from git history: the commit's author (`Name <email>`). */
  author?: string;
  /** For findings from git history: the commit's author date, ISO 8601. */
  date?: string;
}

/**
 * The CVSS versions a {@link Cvss} may have: one list for the report schema and the hand-written
 * check of reports read back.
 *
 * @example
 * ```ts
 * CVSS_VERSIONS.includes('3.1'); // true
 * ```
 */
export const CVSS_VERSIONS = ['2.0', '3.0', '3.1', '4.0'] as const;

/**
 * A CVSS score as the advisory gave it.
 *
 * @example
 * ```ts
 * const cvss: Cvss = {
 *   version: '3.1',
 *   vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
 *   score: 9.8,
 * };
 * ```
 */
export interface Cvss {
  /** CVSS version: `2.0`, `3.0`, `3.1` or `4.0`. */
  version: '2.0' | '3.0' | '3.1' | '4.0';
  /** The vector string exactly as published. */
  vector: string;
  /** Base score, 0–10. */
  score: number;
}

/**
 * The affected package of a vulnerability finding.
 *
 * @example
 * ```ts
 * const pkg: PackageInfo = {
 *   ecosystem: 'PyPI', name: 'jinja2', version: '2.10',
 *   purl: 'pkg:pypi/jinja2@2.10',
 *   fixedVersions: ['2.10.1'], suggestedUpgrade: '3.1.4',
 *   dependencyPath: ['flask', 'jinja2'], direct: false,
 *   marker: 'python_version >= "3.8"',
 * };
 * ```
 */
export interface PackageInfo {
  /** OSV ecosystem name: `PyPI`, `npm`. */
  ecosystem: string;
  /** Package name (PEP 503-normalised for PyPI). */
  name: string;
  /** The installed (pinned) version. */
  version?: string;
  /** Package URL (`pkg:pypi/jinja2@2.10`). */
  purl?: string;
  /** The smallest fixed version(s) above the installed one, one per affected range. */
  fixedVersions?: string[];
  /** One version that fixes every finding for this package, when there is one. */
  suggestedUpgrade?: string;
  /** How the package is pulled in: direct dependency first, this package last. */
  dependencyPath?: string[];
  /** True for a direct dependency, false for a transitive one. */
  direct?: boolean;
  /** The environment marker on the requirement (`sys_platform == "win32"`), not evaluated. */
  marker?: string;
  /** Dependency group (`dev`, `optional`, a Poetry group name). */
  group?: string;
}

/**
 * How a suppressed finding was suppressed.
 *
 * @example
 * ```ts
 * SUPPRESSION_KINDS; // ['ignore-file', 'inline', 'baseline', 'allowlist']
 * ```
 */
export const SUPPRESSION_KINDS = ['ignore-file', 'inline', 'baseline', 'allowlist'] as const;

/**
 * Why a finding does not count. Suppressed findings stay in JSON and SARIF (as SARIF
 * `suppressions`), are shown dimmed/separately in the table and Markdown, and never fail a run.
 *
 * @example
 * ```ts
 * const s: Suppression = {
 *   kind: 'ignore-file', reason: 'not reachable: we never call the template loader',
 *   owner: 'security@example.com', expires: '2025-01-31',
 * };
 * ```
 */
export interface Suppression {
  /** `ignore-file` (scan's ignore file), `inline` (`psr-allow` comment), `baseline`, `allowlist` (config). */
  kind: (typeof SUPPRESSION_KINDS)[number];
  /** Why it is accepted: required, shown in reports. */
  reason: string;
  /** Who accepted it. */
  owner?: string;
  /** ISO date after which the suppression no longer applies. */
  expires?: string;
}

/**
 * Where a finding stands against a baseline report: `new` (the baseline does not have it) or
 * `unchanged` (it does). Absent when the report was not compared with a baseline.
 *
 * @example
 * ```ts
 * BASELINE_STATES; // ['new', 'unchanged']
 * ```
 */
export const BASELINE_STATES = ['new', 'unchanged'] as const;

/**
 * A finding's state against a baseline; the same words as SARIF's `result.baselineState`.
 *
 * @example
 * ```ts
 * const state: BaselineState = 'new';
 * ```
 */
export type BaselineState = (typeof BASELINE_STATES)[number];

/**
 * One problem found by a scanner.
 *
 * Secrets: a `secret` finding NEVER carries the raw credential — not in `title`,
 * `description`, `properties` or anywhere else. It carries only {@link Finding.redacted}, made by
 * `redactSecret()` (`ghp_…(40)`), and a salted-hash `fingerprint`.
 *
 * @example
 * ```ts
 * const vuln: Finding = {
 *   id: 'GHSA-462w-v97r-4m45', kind: 'vulnerability',
 *   title: 'jinja2 2.10: sandbox escape via str.format',
 *   severity: 'high', aliases: ['CVE-2019-10906', 'PYSEC-2019-217'],
 *   locations: [{ file: 'requirements.txt', line: 4, col: 1 }],
 *   package: { ecosystem: 'PyPI', name: 'jinja2', version: '2.10', fixedVersions: ['2.10.1'] },
 *   fingerprint: computeFingerprint(['vulnerability', 'GHSA-462w-v97r-4m45', 'PyPI', 'jinja2', '2.10', 'requirements.txt']),
 *   references: ['https://github.com/advisories/GHSA-462w-v97r-4m45'],
 * };
 * ```
 */
export interface Finding {
  /** Stable rule or advisory id (`GHSA-…`, `PYSEC-…`, `github-pat`): the SARIF ruleId. */
  id: string;
  kind: FindingKind;
  /** One-line summary, plain text. */
  title: string;
  /** Longer explanation, Markdown. Renderers escape or fence it as their format needs. */
  description?: string;
  /** How to fix it, Markdown. */
  help?: string;
  severity: Severity;
  cvss?: Cvss;
  /** Where it is; the first entry is the primary location. May be empty. */
  locations: FindingLocation[];
  /** Vulnerabilities: the affected package. */
  package?: PackageInfo;
  /** Other ids of the same problem (`CVE-…`, `GHSA-…`, `PYSEC-…`). */
  aliases?: string[];
  confidence?: Confidence;
  /**
   * Stable identity of this finding across runs (same problem, same place → same value even
   * if lines move where possible). Used by baselines, `compareReports` and SARIF
   * `partialFingerprints`. Make one with `computeFingerprint()`.
   */
  fingerprint: string;
  /** Secrets only: the redacted form of the credential (`ghp_…(40)`), never the value. */
  redacted?: string;
  /** Present when the finding is accepted and must not fail the run. */
  suppressed?: Suppression;
  /**
   * Set when the report was compared with a baseline: `new` when the baseline does not have
   * this finding (by fingerprint, or the same package version under a shared id or alias).
   */
  baselineState?: BaselineState;
  /** Related URLs (advisory pages, provider docs). */
  references?: string[];
  /** Tool-specific extra data, JSON only. */
  properties?: Record<string, JsonValue>;
}
