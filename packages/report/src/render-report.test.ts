import { describe, expect, it } from 'vitest';
import { PLANTED_SECRET, jinjaVuln, sampleReport, secretInHistory } from '../fixtures/sample-report.js';
import { REPORT_FORMATS, isReportFormat, renderReport, renderReportChunks, type ReportFormat } from './render-report.js';

describe('renderReport', () => {
  it('renders every format, and none of them contains the raw secret', async () => {
    // The planted value also hides in places a careless renderer might copy from.
    const report = sampleReport([{ ...secretInHistory, properties: { ruleVersion: 2 } }]);
    for (const format of REPORT_FORMATS) {
      const out = await renderReport(report, format, { table: { color: true } });
      expect(out.length, format).toBeGreaterThan(0);
      expect(out, format).toMatch(/ghp\\?_…\(40\)/);
      expect(out, format).not.toContain(PLANTED_SECRET);
      expect(out, format).not.toContain(PLANTED_SECRET.slice(4, 16));
    }
  });

  it('renders a report of thousands of findings in chunks of about 64 KB that together are the whole text', async () => {
    const findings = Array.from({ length: 3000 }, (_, i) => ({
      ...jinjaVuln,
      id: `GHSA-${String(i).padStart(4, '0')}`,
      locations: [{ file: 'requirements.txt', line: i + 1, col: 1 }],
      // A curly quote now and then: two-byte text in some chunks.
      title: i % 500 === 0 ? `Jinja2 “sandbox” escape ${i}` : `Jinja2 sandbox escape ${i}`,
    }));
    const report = sampleReport(findings);
    for (const format of REPORT_FORMATS) {
      const chunks = [...(await renderReportChunks(report, format, { table: { width: 120 } }))];
      expect(chunks.join(''), format).toBe(await renderReport(report, format, { table: { width: 120 } }));
      if (format === 'markdown') continue; // bounded by GitHub's comment limit: one chunk
      expect(chunks.length, format).toBeGreaterThan(3);
      // A chunk may exceed 64 KB by at most one piece (a few dozen findings or table lines).
      for (const chunk of chunks) expect(chunk.length, format).toBeLessThan(64 * 1024 + 48 * 1024);
    }
  });

  it('rejects unknown formats with a code and the list of valid ones', async () => {
    expect(isReportFormat('sarif')).toBe(true);
    expect(isReportFormat('SARIF')).toBe(false);
    for (const render of [renderReport, renderReportChunks])
      await expect(render(sampleReport(), 'html' as ReportFormat)).rejects.toThrow(
        expect.objectContaining({ code: 'PSR_REPORT_FORMAT', hint: 'use one of: table, json, sarif, markdown' }),
      );
  });
});
