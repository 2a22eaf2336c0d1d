/**
 * Severity of an advisory: from its CVSS vectors (newest CVSS version wins), else the
 * database's own word (`database_specific.severity`), else `unknown`.
 */
import { createRequire } from 'node:module';

// Loaded on first use: only index builds score vectors, a warm scan never needs the calculator.
let calculator: typeof import('ae-cvss-calculator') | undefined;
function fromVector(vector: string): ReturnType<typeof import('ae-cvss-calculator').fromVector> {
  calculator ??= createRequire(import.meta.url)('ae-cvss-calculator') as typeof import('ae-cvss-calculator');
  return calculator.fromVector(vector);
}
import type { OsvAdvisory, OsvSeverity } from './advisory.js';

/** Severity levels, most severe first. */
export const SEVERITY_LEVELS = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
/** One of {@link SEVERITY_LEVELS}. */
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

/** A resolved severity and where it came from. */
export interface AdvisorySeverity {
  level: SeverityLevel;
  /** CVSS base score when a vector was scored. */
  score?: number;
  /** The vector that was scored. */
  vector?: string;
  /** `CVSS_V4`, `CVSS_V3`, `CVSS_V2`, `database` or `none`. */
  source: string;
}

const CVSS_PREFERENCE = ['CVSS_V4', 'CVSS_V3', 'CVSS_V2'];

/**
 * The level for a CVSS base score. v3/v4 use FIRST's bands; v2 has no "critical" (NVD bands).
 *
 * @example
 * ```ts
 * levelForScore(9.8, 'CVSS_V3'); // 'critical'
 * ```
 */
export function levelForScore(score: number, type: string): SeverityLevel {
  if (type === 'CVSS_V2') return score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

function scoreVector(entry: OsvSeverity): AdvisorySeverity | undefined {
  let vector: ReturnType<typeof fromVector>;
  try {
    vector = fromVector(entry.score);
  } catch {
    return undefined;
  }
  const base = vector?.calculateScores().base;
  if (typeof base !== 'number' || Number.isNaN(base)) return undefined;
  // A 0.0 base score means "no impact": report it as low rather than hide the advisory.
  return { level: levelForScore(base, entry.type), score: base, vector: entry.score, source: entry.type };
}

const WORDS: Record<string, SeverityLevel> = { critical: 'critical', high: 'high', moderate: 'medium', medium: 'medium', low: 'low' };

/**
 * Resolve the severity of `advisory`, looking at `affectedSeverity` (the `affected[].severity`
 * of the matched package) before the top-level `severity`.
 *
 * @example
 * ```ts
 * advisorySeverity({ id: 'X', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }).level; // 'critical'
 * ```
 */
export function advisorySeverity(advisory: OsvAdvisory, affectedSeverity?: OsvSeverity[]): AdvisorySeverity {
  // Records are data from elsewhere: a `severity` that is not a list is no severity.
  const listed = (value: unknown): OsvSeverity[] => (Array.isArray(value) ? value : []);
  const entries = [...listed(affectedSeverity), ...listed(advisory.severity)].filter(
    (e) => e && typeof e.type === 'string' && typeof e.score === 'string',
  );
  for (const type of CVSS_PREFERENCE) {
    for (const entry of entries) {
      if (entry.type !== type) continue;
      const scored = scoreVector(entry);
      if (scored) return scored;
    }
  }
  const word = advisory.database_specific?.['severity'];
  const level = typeof word === 'string' && Object.hasOwn(WORDS, word.toLowerCase()) ? WORDS[word.toLowerCase()] : undefined;
  if (level) return { level, source: 'database' };
  return { level: 'unknown', source: 'none' };
}
