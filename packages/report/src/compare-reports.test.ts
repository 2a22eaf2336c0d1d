import { describe, expect, it } from 'vitest';
import { jinjaVuln, jinjaVuln2, lodashVuln, sampleReport, secretInHistory } from '../fixtures/sample-report.js';
import { applyBaseline, compareReports } from './compare-reports.js';
import { computeFingerprint } from './fingerprint.js';
import type { Finding } from './finding.js';
import { failingFindings } from './report.js';
import { parseReport } from './parse-report.js';
import { renderJson } from './render/json.js';

describe('compareReports', () => {
  it('splits findings into new, resolved and unchanged by fingerprint', () => {
    const baseline = sampleReport([jinjaVuln, lodashVuln]);
    const current = sampleReport([jinjaVuln, jinjaVuln2, secretInHistory]);
    const diff = compareReports(current, baseline);
    expect(diff.new.map((f) => f.id)).toEqual(['github-pat-classic', 'GHSA-h5c8-rqwp-cp95']);
    expect(diff.resolved.map((f) => f.id)).toEqual(['GHSA-p6mc-m468-83gw']);
    expect(diff.unchanged.map((f) => f.id)).toEqual(['GHSA-462w-v97r-4m45']);
  });

  it('matches by fingerprint, not by line or severity, and through a JSON round trip', () => {
    const moved = { ...jinjaVuln, severity: 'critical' as const, locations: [{ file: 'services/api/requirements.txt', line: 40 }] };
    const baseline = parseReport(renderJson(sampleReport([jinjaVuln])));
    const diff = compareReports(sampleReport([moved]), baseline);
    expect(diff.new).toEqual([]);
    expect(diff.resolved).toEqual([]);
    expect(diff.unchanged[0]?.locations[0]?.line).toBe(40);
  });

  it('treats a newly suppressed finding as unchanged and an empty baseline as all new', () => {
    const suppressed = { ...lodashVuln, suppressed: { kind: 'baseline' as const, reason: 'accepted' } };
    expect(compareReports(sampleReport([suppressed]), sampleReport([lodashVuln])).unchanged).toHaveLength(1);
    const diff = compareReports(sampleReport(), sampleReport([]));
    expect(diff.new).toHaveLength(7);
    expect(diff.resolved).toHaveLength(0);
  });
});

/** A copy of `f` as another scan would give it (fresh objects: applyBaseline marks findings). */
function copy(f: Finding, changes: Partial<Finding> = {}): Finding {
  return { ...f, ...changes };
}

describe('compareReports when the id a vulnerability is shown under changes', () => {
  // osv.dev adds a PYSEC record to a GHSA advisory days after it; psr then shows the PYSEC id.
  const asPysec = copy(jinjaVuln, {
    id: 'PYSEC-2019-217',
    aliases: ['CVE-2019-10906', 'GHSA-462w-v97r-4m45'],
    fingerprint: computeFingerprint(['vulnerability', 'PYSEC-2019-217', 'PyPI', 'jinja2', '2.10']),
  });

  it('keeps a finding unchanged when the same package version shares an id or alias with a baseline finding', () => {
    const diff = compareReports(sampleReport([asPysec]), sampleReport([copy(jinjaVuln)]));
    expect([diff.new, diff.resolved, diff.unchanged.map((f) => f.id)]).toEqual([[], [], ['PYSEC-2019-217']]);
    // Whatever order the aliases are listed in.
    const reordered = copy(asPysec, { aliases: ['GHSA-462w-v97r-4m45', 'CVE-2019-10906'] });
    expect(compareReports(sampleReport([reordered]), sampleReport([copy(jinjaVuln)])).new).toEqual([]);
  });

  it('calls it new when the version differs, even under the same advisory and fingerprint scheme', () => {
    const upgraded = copy(jinjaVuln, {
      package: { ...jinjaVuln.package!, version: '2.10.0.1' },
      fingerprint: computeFingerprint(['vulnerability', 'GHSA-462w-v97r-4m45', 'PyPI', 'jinja2', '2.10.0.1']),
    });
    const diff = compareReports(sampleReport([upgraded]), sampleReport([copy(jinjaVuln)]));
    expect([diff.new.map((f) => f.package?.version), diff.resolved.map((f) => f.package?.version)]).toEqual([['2.10.0.1'], ['2.10']]);
  });

  it('lets one baseline finding stand for one current finding only', () => {
    // Two current findings of one package version that both name CVE-2019-10906.
    const other = copy(asPysec, { id: 'GHSA-xxxx-yyyy-zzzz', aliases: ['CVE-2019-10906'], fingerprint: 'f2' });
    const diff = compareReports(sampleReport([asPysec, other]), sampleReport([copy(jinjaVuln)]));
    expect([diff.unchanged.length, diff.new.length, diff.resolved.length]).toEqual([1, 1, 0]);
  });
});

describe('applyBaseline', () => {
  it('marks each finding new or unchanged and records the counts and the resolved findings in the report', () => {
    const report = sampleReport([copy(jinjaVuln), copy(jinjaVuln2), copy(suppressedNew)]);
    const diff = applyBaseline(report, sampleReport([copy(jinjaVuln, { baselineState: 'new' }), copy(lodashVuln, { baselineState: 'unchanged' })]), 'main-scan.json');
    expect(report.findings.map((f) => [f.id, f.baselineState])).toEqual([
      ['GHSA-462w-v97r-4m45', 'unchanged'],
      ['GHSA-h5c8-rqwp-cp95', 'new'],
      ['PYSEC-2099-1', 'new'],
    ]);
    // new and unchanged count active findings, as summary.total does; the suppressed one is new but not counted.
    expect(report.baseline).toMatchObject({ report: 'main-scan.json', new: 1, unchanged: 1, resolved: 1 });
    expect(report.baseline!.resolvedFindings.map((f) => [f.id, f.baselineState])).toEqual([['GHSA-p6mc-m468-83gw', undefined]]);
    expect(diff.new).toHaveLength(2);
  });

  it('survives a JSON round trip: the baseline state and section are part of the format', () => {
    const report = sampleReport([copy(jinjaVuln2)]);
    applyBaseline(report, sampleReport([copy(lodashVuln)]), 'b.json');
    const back = parseReport(renderJson(report));
    expect(back.findings[0]!.baselineState).toBe('new');
    expect(back.baseline).toEqual(report.baseline);
  });
});

describe('failingFindings with scope new', () => {
  it('counts only new findings when the report was compared with a baseline, and every finding when it was not', () => {
    const report = sampleReport([copy(jinjaVuln), copy(jinjaVuln2), copy(lodashVuln)]);
    expect(failingFindings(report, 'medium', 'new').map((f) => f.id)).toHaveLength(3);
    applyBaseline(report, sampleReport([copy(jinjaVuln), copy(lodashVuln)]), 'b.json');
    expect(failingFindings(report, 'medium', 'new').map((f) => f.id)).toEqual(['GHSA-h5c8-rqwp-cp95']);
    expect(failingFindings(report, 'high', 'new')).toEqual([]);
    expect(failingFindings(report, 'high', 'all')).toHaveLength(2);
  });
});

const suppressedNew: Finding = {
  ...jinjaVuln2,
  id: 'PYSEC-2099-1',
  aliases: [],
  severity: 'low',
  fingerprint: computeFingerprint(['vulnerability', 'PYSEC-2099-1', 'PyPI', 'jinja2', '2.10']),
  suppressed: { kind: 'ignore-file', reason: 'not reachable' },
};
