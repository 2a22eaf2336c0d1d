import { describe, expect, it } from 'vitest';
import { PLANTED_SECRET, sampleReport } from '../../fixtures/sample-report.js';
import { renderJson, renderJsonParts } from './json.js';

describe('renderJson', () => {
  it('writes the versioned report with schemaVersion first and a trailing newline', () => {
    const out = renderJson(sampleReport());
    expect(out.startsWith('{\n  "schemaVersion": "1.0.0"')).toBe(true);
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
});

describe('renderJsonParts', () => {
  it('joins to exactly what JSON.stringify writes for the whole report', () => {
    const report = sampleReport();
    const whole = `${JSON.stringify({ schemaVersion: report.schemaVersion, tool: report.tool, run: report.run, dataSources: report.dataSources, summary: report.summary, findings: report.findings, warnings: report.warnings, errors: report.errors }, null, 2)}\n`;
    expect(renderJsonParts(report).length).toBe(report.findings.length + 2);
    expect(renderJsonParts(report).join('')).toBe(whole);
    expect(renderJsonParts({ ...report, findings: [] }).join('')).toBe(whole.replace(/"findings": \[[\s\S]*?\n {2}\],/, '"findings": [],'));
  });
});
