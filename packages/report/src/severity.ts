/**
 * Severity: one ordered scale shared by every scanning plugin, and the `fail-on` threshold
 * users pick in workflows (`fail-on: high`).
 */

/**
 * Severity levels from most to least severe. `unknown` is the lowest rank: a finding whose
 * severity nobody could determine is still shown (never hidden), and only fails a run when
 * `fail-on: unknown` asks for every finding to fail it.
 *
 * @example
 * ```ts
 * for (const s of SEVERITIES) console.log(s, report.summary.bySeverity[s]);
 * ```
 */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;

/**
 * How bad a finding is.
 *
 * @example
 * ```ts
 * const sev: Severity = 'high';
 * ```
 */
export type Severity = (typeof SEVERITIES)[number];

/**
 * The values accepted by a `fail-on` input: a severity (fail on findings at or above it) or
 * `none` (never fail because of findings).
 *
 * @example
 * ```ts
 * const input = z.object({ 'fail-on': z.enum(FAIL_ON_LEVELS).default('high') });
 * ```
 */
export const FAIL_ON_LEVELS = ['critical', 'high', 'medium', 'low', 'unknown', 'none'] as const;

/**
 * A `fail-on` threshold.
 *
 * @example
 * ```ts
 * const threshold: FailOn = 'none'; // report, never fail
 * ```
 */
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 };

/**
 * True when `value` is one of {@link SEVERITIES}.
 *
 * @example
 * ```ts
 * isSeverity('high'); // true
 * isSeverity('HIGH'); // false: severities are lower-case
 * ```
 */
export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/**
 * Order two severities, most severe first: negative when `a` is worse than `b`, so
 * `findings.sort((x, y) => compareSeverity(x.severity, y.severity))` puts critical on top.
 *
 * @example
 * ```ts
 * ['low', 'critical', 'unknown', 'high'].sort(compareSeverity);
 * // → ['critical', 'high', 'low', 'unknown']
 * ```
 */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[b] - RANK[a];
}

/**
 * True when `severity` reaches the `threshold`: the check behind `fail-on`.
 * `none` is never reached; `unknown` is reached by every severity.
 *
 * @example
 * ```ts
 * severityAtLeast('critical', 'high'); // true
 * severityAtLeast('medium', 'high');   // false
 * severityAtLeast('unknown', 'low');   // false: unknown ranks below low
 * severityAtLeast('unknown', 'unknown'); // true
 * severityAtLeast('critical', 'none'); // false
 * ```
 */
export function severityAtLeast(severity: Severity, threshold: FailOn): boolean {
  if (threshold === 'none') return false;
  return RANK[severity] >= RANK[threshold];
}

/**
 * The qualitative severity of a CVSS base score (the CVSS v3.x / v4.0 rating scale:
 * 9.0–10 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low). A score of 0 or a value outside
 * 0–10 gives `unknown` rather than a guess.
 *
 * @example
 * ```ts
 * severityFromCvssScore(9.8); // 'critical'
 * severityFromCvssScore(5.3); // 'medium'
 * ```
 */
export function severityFromCvssScore(score: number): Severity {
  if (!Number.isFinite(score) || score <= 0 || score > 10) return 'unknown';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}
