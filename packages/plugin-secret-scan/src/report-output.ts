import path from 'node:path';
import { PsrError, ErrorCodes } from '@psr/core';
import { renderJson, renderSarif } from '@psr/report';
import type { Report } from '@psr/report';
import { writeFileAtomic } from './baseline/baseline.js';

/** Report formats the task can write. */
export const REPORT_FORMATS = ['json', 'sarif', 'table', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Render a report in one format. */
export async function renderReport(report: Report, format: ReportFormat): Promise<string> {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report);
    case 'table':
    case 'markdown': {
      const mod = (await import('@psr/report')) as unknown as Record<string, ((r: Report) => string) | undefined>;
      const render = mod[format === 'table' ? 'renderTable' : 'renderMarkdown'];
      if (!render) return renderJson(report);
      return render(report);
    }
  }
}

/**
 * Pair `format[i]` with `output[i]`: each pair is written atomically to its file; formats
 * without a file are returned as text for the caller to print.
 *
 * @example
 * ```ts
 * const printed = await writeReportOutputs(report, ['sarif', 'table'], ['out.sarif'], process.cwd());
 * ```
 */
export async function writeReportOutputs(report: Report, formats: readonly ReportFormat[], outputs: readonly string[], baseDir: string): Promise<{ written: string[]; printed: Array<{ format: ReportFormat; text: string }> }> {
  if (outputs.length > formats.length) {
    throw new PsrError(ErrorCodes.USAGE, `${outputs.length} output file(s) for ${formats.length} format(s)`, { hint: 'give one --format per --output, in the same order' });
  }
  const written: string[] = [];
  const printed: Array<{ format: ReportFormat; text: string }> = [];
  for (let i = 0; i < formats.length; i++) {
    const format = formats[i]!;
    const text = await renderReport(report, format);
    const out = outputs[i];
    if (out === undefined || out === '-') printed.push({ format, text });
    else {
      const file = path.resolve(baseDir, out);
      await writeFileAtomic(file, text.endsWith('\n') ? text : `${text}\n`);
      written.push(file);
    }
  }
  return { written, printed };
}
