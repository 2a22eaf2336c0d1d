/**
 * A hand-written twin of the zod `ReportSchema` (report-schema.ts) for reports read back (baselines): a
 * baseline is read on every pull request, and zod (loading it and validating 2,190 findings with
 * it) cost ~150 ms of a 700-pin scan's ~230. It checks the same fields with the same rules and
 * drops unknown keys in place, as zod's `strip` does, without copying the parsed JSON. It only
 * says yes or no: when it says no, `parseReport` asks zod why (a differential test over the
 * generated JSON Schema keeps the two in step).
 */
import { BASELINE_STATES, CONFIDENCES, CVSS_VERSIONS, FINDING_KINDS, SUPPRESSION_KINDS } from './finding.js';
import type { Report } from './report.js';
import { SEVERITIES } from './severity.js';

type Check = (value: unknown) => boolean;
/** An object field: its check, and whether it may be absent. */
type Field = { check: Check; optional: boolean };

const isString: Check = (v) => typeof v === 'string';
// zod's number() refuses ±Infinity, which JSON.parse gives for a number too big for a double
// (`1e400`); int() means a safe integer.
const numberIn = (min: number, max = Infinity): Check => (v) => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const intFrom = (min: number): Check => (v) => Number.isSafeInteger(v) && (v as number) >= min;
const oneOf = (values: readonly string[]): Check => {
  const allowed = new Set<unknown>(values);
  return (v) => allowed.has(v);
};
const arrayOf = (item: Check): Check => (v) => {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
  return true;
};
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/**
 * Deeper than this a `properties` value is left for zod to judge: zod checks it recursively (and
 * overflows the stack at a few thousand levels), as JSON.stringify writes it when it is reported.
 */
const MAX_JSON_DEPTH = 256;

/** A value of zod's `z.json()`: no ±Infinity at any depth, and `__proto__` keys dropped as its records drop them. */
function isJsonValue(v: unknown, depth: number): boolean {
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object' || depth >= MAX_JSON_DEPTH) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!isJsonValue(v[i], depth + 1)) return false;
    return true;
  }
  return isJsonRecord(v, depth);
}

/** A `z.record(z.string(), z.json())`. */
function isJsonRecord(v: unknown, depth: number): boolean {
  if (!isPlainObject(v)) return false;
  // JSON.parse makes `"__proto__"` an own key, which zod leaves out of what it returns (copied
  // into an object by assignment, it would set its prototype).
  if (Object.hasOwn(v, '__proto__')) delete v['__proto__'];
  for (const key in v) if (!isJsonValue(v[key], depth + 1)) return false;
  return true;
}

const required = (check: Check): Field => ({ check, optional: false });
const optional = (check: Check): Field => ({ check, optional: true });

/** An object with exactly these fields: unknown keys are deleted from the value itself. */
function objectOf(fields: Record<string, Field>): Check {
  // Index loops over arrays: this runs for every finding and location, mostly before V8 has
  // optimised it, where an iterator or a destructured entry costs an allocation each step.
  const keys = Object.keys(fields);
  const checks = keys.map((key) => fields[key]!.check);
  const optionals = keys.map((key) => fields[key]!.optional);
  const known = new Set(keys);
  return (v) => {
    if (!isPlainObject(v)) return false;
    for (let i = 0; i < keys.length; i++) {
      const value = v[keys[i]!];
      if (value === undefined ? !optionals[i] : !checks[i]!(value)) return false;
    }
    for (const key in v) if (!known.has(key)) delete v[key];
    return true;
  };
}

const sourceLocation = objectOf({
  file: required(isString),
  line: required(intFrom(1)),
  col: required(intFrom(1)),
  endLine: optional(intFrom(1)),
  endCol: optional(intFrom(1)),
});

const diagnostic = objectOf({
  code: required(isString),
  message: required(isString),
  hint: optional(isString),
  location: optional(sourceLocation),
});

const findingLocation = objectOf({
  file: required(isString),
  line: optional(intFrom(1)),
  col: optional(intFrom(1)),
  endLine: optional(intFrom(1)),
  endCol: optional(intFrom(1)),
  commit: optional(isString),
  author: optional(isString),
  date: optional(isString),
});

const strings = arrayOf(isString);

const finding = objectOf({
  id: required(isString),
  kind: required(oneOf(FINDING_KINDS)),
  title: required(isString),
  description: optional(isString),
  help: optional(isString),
  severity: required(oneOf(SEVERITIES)),
  cvss: optional(objectOf({ version: required(oneOf(CVSS_VERSIONS)), vector: required(isString), score: required(numberIn(0, 10)) })),
  locations: required(arrayOf(findingLocation)),
  package: optional(
    objectOf({
      ecosystem: required(isString),
      name: required(isString),
      version: optional(isString),
      purl: optional(isString),
      fixedVersions: optional(strings),
      suggestedUpgrade: optional(isString),
      dependencyPath: optional(strings),
      direct: optional((v) => typeof v === 'boolean'),
      marker: optional(isString),
      group: optional(isString),
    }),
  ),
  aliases: optional(strings),
  confidence: optional(oneOf(CONFIDENCES)),
  fingerprint: required((v) => typeof v === 'string' && v.length > 0),
  redacted: optional(isString),
  suppressed: optional(objectOf({ kind: required(oneOf(SUPPRESSION_KINDS)), reason: required(isString), owner: optional(isString), expires: optional(isString) })),
  baselineState: optional(oneOf(BASELINE_STATES)),
  references: optional(strings),
  properties: optional((v) => isJsonRecord(v, 0)),
});

const count = intFrom(0);

const report = objectOf({
  schemaVersion: required((v) => typeof v === 'string' && /^1\.\d+\.\d+$/.test(v)),
  tool: required(objectOf({ name: required((v) => v === 'psr'), version: required(isString), plugin: required(isString), informationUri: optional(isString) })),
  run: required(
    objectOf({
      startedAt: required(isString),
      durationMs: required(numberIn(0)),
      target: required(isString),
      omitted: optional(objectOf({ groups: required(strings), dependencies: required(count) })),
    }),
  ),
  dataSources: optional(arrayOf(objectOf({ name: required(isString), snapshot: required(isString), fetchedAt: optional(isString), newestModified: optional(isString) }))),
  findings: required(arrayOf(finding)),
  summary: required(
    objectOf({
      total: required(count),
      suppressed: required(count),
      bySeverity: required(objectOf({ critical: required(count), high: required(count), medium: required(count), low: required(count), unknown: required(count) })),
    }),
  ),
  baseline: optional(
    objectOf({
      report: required(isString),
      new: required(count),
      unchanged: required(count),
      resolved: required(count),
      resolvedFindings: required(arrayOf(finding)),
    }),
  ),
  warnings: required(arrayOf(diagnostic)),
  errors: required(arrayOf(diagnostic)),
});

/**
 * Whether parsed JSON is a valid report by the rules of `ReportSchema`; unknown keys are deleted
 * from `data` on the way (even when the answer is no). `false` says nothing about why: ask zod.
 *
 * @example
 * ```ts
 * const data: unknown = JSON.parse(text);
 * if (matchesReportSchema(data)) data.findings.length;
 * ```
 */
export function matchesReportSchema(data: unknown): data is Report {
  return report(data);
}

/**
 * The report in `text` when it is valid JSON of a valid 1.x report; `undefined` otherwise, for
 * `parseReport` to say what is wrong (where, and with what hint). Loads neither zod nor
 * jsonc-parser.
 *
 * @example
 * ```ts
 * const baseline = validReportOf(text) ?? (await import('./parse-report.js')).parseReport(text, file);
 * ```
 */
export function validReportOf(text: string): Report | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
  return matchesReportSchema(data) ? data : undefined;
}
