import { describe, expect, it } from 'vitest';
import { allFindings, jinjaVuln, lodashVuln, sampleReport, suppressedByIgnoreFile } from '../fixtures/sample-report.js';
import { computeFingerprint } from './fingerprint.js';
import { REPORT_SCHEMA_VERSION, createReport, failingFindings } from './report.js';

describe('createReport', () => {
  it('counts active findings by severity and suppressed ones apart', () => {
    const report = sampleReport();
    expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(report.summary).toEqual({
      total: 5,
      suppressed: 2,
      bySeverity: { critical: 2, high: 1, medium: 1, low: 0, unknown: 1 },
    });
  });

  it('orders findings most severe first, then by file and line, whatever the input order', () => {
    const a = sampleReport([...allFindings].reverse());
    const b = sampleReport(allFindings);
    expect(a.findings.map((f) => f.id)).toEqual(b.findings.map((f) => f.id));
    expect(a.findings.map((f) => f.severity)).toEqual(['critical', 'critical', 'high', 'high', 'medium', 'medium', 'unknown']);
    expect(a.findings[0]?.locations[0]?.file).toBe('deploy/.env');
  });

  it('does not alias the caller’s arrays', () => {
    const findings = [jinjaVuln];
    const report = createReport({ tool: { name: 'psr', version: '1', plugin: 'psr:scan' }, run: { startedAt: '2024-01-01T00:00:00Z', durationMs: 1, target: '.' }, findings });
    findings.push(lodashVuln);
    expect(report.findings).toHaveLength(1);
  });
});

describe('failingFindings', () => {
  it('returns active findings at or above the threshold and ignores suppressed ones', () => {
    const report = sampleReport();
    expect(failingFindings(report, 'critical').map((f) => f.id).sort()).toEqual(['GHSA-p6mc-m468-83gw', 'github-pat-classic']);
    expect(failingFindings(report, 'medium').map((f) => f.id)).not.toContain(suppressedByIgnoreFile.id);
    expect(failingFindings(report, 'unknown')).toHaveLength(5);
    expect(failingFindings(report, 'none')).toHaveLength(0);
  });
});

describe('computeFingerprint', () => {
  it('is stable, separates parts and depends on the salt', () => {
    const fp = computeFingerprint(['a b', 'c']);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(computeFingerprint(['a b', 'c'])).toBe(fp);
    expect(computeFingerprint(['a', 'b c'])).not.toBe(fp);
    expect(computeFingerprint(['a b', 'c'], { salt: 's1' })).not.toBe(computeFingerprint(['a b', 'c'], { salt: 's2' }));
  });
});
