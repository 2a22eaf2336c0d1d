import type { Finding } from './finding.js';
import type { Report } from './report.js';

/**
 * The difference between a report and a baseline, by fingerprint.
 *
 * @example
 * ```ts
 * const { new: added, resolved } = compareReports(report, baseline);
 * console.log(`${added.length} new, ${resolved.length} resolved`);
 * ```
 */
export interface ReportComparison {
  /** In the current report, not in the baseline. */
  new: Finding[];
  /** In the baseline, gone from the current report. */
  resolved: Finding[];
  /** In both (the current report's copy, which may have a new severity or suppression). */
  unchanged: Finding[];
}

/**
 * Compare a report with a baseline by `fingerprint`. Suppression does not matter for
 * matching: a finding that became suppressed is unchanged, not resolved. Order follows each
 * report's own (deterministic) order.
 *
 * @example
 * ```ts
 * const baseline = await readReport('baseline.json');
 * const diff = compareReports(report, baseline);
 * diff.new.filter((f) => !f.suppressed).length; // new problems to fix
 * ```
 */
export function compareReports(current: Pick<Report, 'findings'>, baseline: Pick<Report, 'findings'>): ReportComparison {
  const before = new Set(baseline.findings.map((f) => f.fingerprint));
  const now = new Set(current.findings.map((f) => f.fingerprint));
  const result: ReportComparison = { new: [], resolved: [], unchanged: [] };
  for (const f of current.findings) (before.has(f.fingerprint) ? result.unchanged : result.new).push(f);
  const seen = new Set<string>();
  for (const f of baseline.findings) {
    if (now.has(f.fingerprint) || seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    result.resolved.push(f);
  }
  return result;
}
