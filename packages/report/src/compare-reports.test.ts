import { describe, expect, it } from 'vitest';
import { jinjaVuln, jinjaVuln2, lodashVuln, sampleReport, secretInHistory } from '../fixtures/sample-report.js';
import { compareReports } from './compare-reports.js';
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
