import { describe, expect, it } from 'vitest';
import { PLANTED_SECRET, comparedReport, sampleReport } from '../../fixtures/sample-report.js';
import { pieceText, renderJson, renderJsonPieces } from './json.js';

describe('renderJson', () => {
  it('writes the versioned report with schemaVersion first and a trailing newline', () => {
    const out = renderJson(sampleReport());
    expect(out.startsWith('{\n  "schemaVersion": "1.2.0"')).toBe(true);
    expect(out.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(out) as ReturnType<typeof sampleReport>;
    expect(parsed.summary.total).toBe(5);
    expect(parsed.dataSources?.[0]?.snapshot).toBe('pypa-advisory-db@4f1c2e0');
    const suppressed = parsed.findings.filter((f) => f.suppressed);
    expect(suppressed.map((f) => f.suppressed?.kind).sort()).toEqual(['ignore-file', 'inline']);
  });

  it('is byte-identical for the same input and compact on request', () => {
    expect(renderJson(sampleReport())).toBe(renderJson(sampleReport()));
    const compact = renderJson(sampleReport(), { indent: 0 });
    expect(compact.trimEnd()).not.toContain('\n');
  });

  it('carries the redacted secret, never the raw one', () => {
    const out = renderJson(sampleReport());
    expect(out).toContain('"redacted": "ghp_…(40)"');
    expect(out).not.toContain(PLANTED_SECRET);
    expect(out).toContain('"commit": "9fceb02d0ae598e95dc970b74767f19372d61af8"');
  });

  it('gives the same bytes in pieces as renderJson, whatever the number of findings', () => {
    const base = sampleReport();
    const many = Array.from({ length: 60 }, (_, i) => ({ ...base.findings[i % base.findings.length]!, id: `PYSEC-2024-${i}` }));
    // A character beyond Latin-1 in one finding, and a summary key that looks like the marker.
    many[31] = { ...many[31]!, title: 'don’t "findings": [] ✓' };
    const { dataSources: _omitted, ...withoutSources } = base;
    // A baseline section holds findings of its own (resolved ones), before the report's findings.
    const compared = comparedReport();
    for (const report of [base, { ...base, findings: [] }, { ...base, findings: many }, { ...base, findings: many.slice(0, 25) }, withoutSources, compared, { ...compared, findings: many }]) {
      expect([...renderJsonPieces(report)].map(pieceText).join('')).toBe(renderJson(report));
    }
  });
});
