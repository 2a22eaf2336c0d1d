import { describe, expect, it } from 'vitest';
import { PLANTED_SECRET, sampleReport, secretInHistory } from '../fixtures/sample-report.js';
import { REPORT_FORMATS, isReportFormat, renderReport, type ReportFormat } from './render-report.js';

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

  it('rejects unknown formats with a code and the list of valid ones', async () => {
    expect(isReportFormat('sarif')).toBe(true);
    expect(isReportFormat('SARIF')).toBe(false);
    await expect(renderReport(sampleReport(), 'html' as ReportFormat)).rejects.toThrow(
      expect.objectContaining({ code: 'PSR_REPORT_FORMAT', hint: 'use one of: table, json, sarif, markdown' }),
    );
  });
});
