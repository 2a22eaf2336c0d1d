import type { Finding } from './finding.js';
import type { Report, ReportBaseline } from './report.js';

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
 * Compare a report with a baseline. A finding is in the baseline when a baseline finding has
 * its `fingerprint`, or — for findings of a package — names the same kind, package and version
 * under an id or alias the two share: the id a vulnerability is shown under can change
 * between scans without anything changing in the project (osv.dev adds a `PYSEC-` record
 * to a `GHSA-` advisory days after it, and the ecosystem's own id is preferred), and a pull
 * request must not be blamed for that. Suppression does not matter for matching: a finding
 * that became suppressed is unchanged, not resolved. Order follows each report's own
 * (deterministic) order.
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
  // Read once: a scan's findings compute their fingerprint (a SHA-256) on each read.
  const currentFingerprints = current.findings.map((f) => f.fingerprint);
  const now = new Set(currentFingerprints);
  // Baseline findings no current fingerprint matches, by package version and by each id and
  // alias: a second chance for current findings whose fingerprint is not in the baseline.
  const unmatchedByName = new Map<string, Finding[]>();
  for (const f of baseline.findings) {
    if (now.has(f.fingerprint)) continue;
    for (const key of aliasKeys(f)) {
      const list = unmatchedByName.get(key);
      if (list) list.push(f);
      else unmatchedByName.set(key, [f]);
    }
  }
  const claimed = new Set<Finding>();
  const result: ReportComparison = { new: [], resolved: [], unchanged: [] };
  for (let i = 0; i < current.findings.length; i++) {
    const f = current.findings[i]!;
    if (before.has(currentFingerprints[i]!)) {
      result.unchanged.push(f);
      continue;
    }
    // One baseline finding stands for one current finding at most.
    const match = aliasKeys(f)
      .flatMap((key) => unmatchedByName.get(key) ?? [])
      .find((b) => !claimed.has(b));
    if (match) {
      claimed.add(match);
      result.unchanged.push(f);
    } else result.new.push(f);
  }
  const seen = new Set<string>();
  for (const f of baseline.findings) {
    if (now.has(f.fingerprint) || claimed.has(f) || seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    result.resolved.push(f);
  }
  return result;
}

/** Keys under which a finding of a package version is known: one per id and alias. None without a package. */
function aliasKeys(f: Finding): string[] {
  const p = f.package;
  if (p === undefined || p.version === undefined) return [];
  const prefix = `${f.kind}\u0000${p.ecosystem}\u0000${p.name}\u0000${p.version}\u0000`;
  return [f.id, ...(f.aliases ?? [])].map((id) => prefix + id.toUpperCase());
}

/** Options of {@link applyBaseline}. */
export interface ApplyBaselineOptions {
  /**
   * Baseline findings this scan left out on purpose (e.g. of a dependency group it omits and the
   * baseline's scan did not): not being found is not being resolved, so they are not listed as
   * resolved. They still match current findings.
   */
  leftOut?: (baselineFinding: Finding) => boolean;
}

/**
 * Compare `report` with `baseline` and record the result in the report: each finding gets its
 * `baselineState` (`new` or `unchanged`) and the report a `baseline` section with the counts and
 * the baseline's findings that are gone. Every format then shows it (SARIF `baselineState`,
 * a `new` marker in the table and the Markdown). Returns the comparison.
 *
 * @example
 * ```ts
 * const diff = applyBaseline(report, await readReport('main-scan.json'), 'main-scan.json');
 * report.baseline; // { report: 'main-scan.json', new: 3, unchanged: 40, resolved: 2, resolvedFindings: [...] }
 * ```
 */
export function applyBaseline(report: Report, baseline: Pick<Report, 'findings'>, baselineName: string, options: ApplyBaselineOptions = {}): ReportComparison {
  const compared = compareReports(report, baseline);
  const { leftOut } = options;
  // Matching still sees every baseline finding (a package in a left-out group and in one that
  // was scanned stays unchanged); only what is gone is filtered.
  const comparison = leftOut ? { ...compared, resolved: compared.resolved.filter((f) => !leftOut(f)) } : compared;
  for (const f of comparison.new) f.baselineState = 'new';
  for (const f of comparison.unchanged) f.baselineState = 'unchanged';
  const section: ReportBaseline = {
    report: baselineName,
    new: comparison.new.filter((f) => !f.suppressed).length,
    unchanged: comparison.unchanged.filter((f) => !f.suppressed).length,
    resolved: comparison.resolved.length,
    // A baseline that was itself compared with an older one carries states of that comparison.
    resolvedFindings: comparison.resolved.map(({ baselineState: _, ...f }) => f),
  };
  report.baseline = section;
  return comparison;
}
