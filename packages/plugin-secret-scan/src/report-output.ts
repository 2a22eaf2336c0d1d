import path from 'node:path';
import { ErrorCodes, PsrError } from '@psr/core';
import { REPORT_FORMATS, renderReport, writeReports } from '@psr/report';
import type { Report, ReportFormat } from '@psr/report';

/** Report formats the task can write (`json`, `sarif`, `markdown`, `table`), from `@psr/report`. */
export { REPORT_FORMATS };
export type { ReportFormat };

/**
 * Pair `format[i]` with `output[i]`: each pair is written atomically by `@psr/report`'s
 * `writeReports`; formats without a file (or with `-`) are rendered and returned as text for
 * the caller to print.
 *
 * @example
 * ```ts
 * const { written, printed } = await writeReportOutputs(report, ['sarif', 'table'], ['out.sarif'], process.cwd());
 * ```
 */
export async function writeReportOutputs(
  report: Report,
  formats: readonly ReportFormat[],
  outputs: readonly string[],
  baseDir: string,
): Promise<{ written: string[]; printed: Array<{ format: ReportFormat; text: string }> }> {
  if (outputs.length > formats.length) {
    throw new PsrError(ErrorCodes.USAGE, `${outputs.length} output file(s) for ${formats.length} format(s)`, { hint: 'give one --format per --output, in the same order' });
  }
  const targets: Array<{ format: ReportFormat; path: string }> = [];
  const printed: Array<{ format: ReportFormat; text: string }> = [];
  for (const [i, format] of formats.entries()) {
    const out = outputs[i];
    if (out === undefined || out === '-') printed.push({ format, text: await renderReport(report, format) });
    else targets.push({ format, path: path.resolve(baseDir, out) });
  }
  const written = targets.length > 0 ? await writeReports(report, targets, { root: baseDir }) : [];
  return { written, printed };
}
