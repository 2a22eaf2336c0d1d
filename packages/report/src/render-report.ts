import { PsrError } from '@psr/core/errors';
import type { Report } from './report.js';
import { ReportErrorCodes } from './report-errors.js';
import { pieceText, renderJsonPieces, type TextPiece } from './render/json.js';
import { renderMarkdown, type RenderMarkdownOptions } from './render/markdown.js';
import { renderSarifPieces, type RenderSarifOptions } from './render/sarif.js';
import type { RenderTableOptions } from './render/table.js';

/**
 * The output formats every scanning task accepts in its `format` input.
 *
 * @example
 * ```ts
 * const input = z.object({ format: z.array(z.enum(REPORT_FORMATS)).default(['table']) });
 * ```
 */
export const REPORT_FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;

/**
 * One of {@link REPORT_FORMATS}.
 *
 * @example
 * ```ts
 * const format: ReportFormat = 'sarif';
 * ```
 */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Per-format options for {@link renderReport} and `writeReports`.
 *
 * @example
 * ```ts
 * const options: RenderOptions = { table: { color: true, width: 100 }, markdown: { title: 'Audit' } };
 * ```
 */
export interface RenderOptions {
  table?: RenderTableOptions;
  sarif?: RenderSarifOptions;
  markdown?: RenderMarkdownOptions;
}

/**
 * True when `value` names a known format.
 *
 * @example
 * ```ts
 * isReportFormat('sarif'); // true
 * isReportFormat('xml');   // false
 * ```
 */
export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === 'string' && (REPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * Render a report in one format. Async because the table renderer is imported on first use:
 * its terminal-width library costs a JSON-only scan tens of milliseconds of start-up.
 *
 * @throws PsrError `PSR_REPORT_FORMAT` for an unknown format name.
 * @example
 * ```ts
 * process.stdout.write(await renderReport(report, 'table', { table: { color: process.stdout.isTTY } }));
 * ```
 */
export async function renderReport(report: Report, format: ReportFormat, options: RenderOptions = {}): Promise<string> {
  return [...(await renderReportPieces(report, format, options))].map(pieceText).join('');
}

/**
 * The report in one format as a sequence of pieces, each rendered when it is reached (JSON,
 * SARIF and the table: thousands of findings are never one string); what `writeReports` writes.
 *
 * @throws PsrError `PSR_REPORT_FORMAT` for an unknown format name.
 * @example
 * ```ts
 * for (const piece of await renderReportPieces(report, 'sarif')) out.write(pieceText(piece));
 * ```
 */
export async function renderReportPieces(report: Report, format: ReportFormat, options: RenderOptions = {}): Promise<Iterable<TextPiece>> {
  switch (format) {
    case 'table':
      return (await import('./render/table.js')).renderTablePieces(report, options.table);
    case 'json':
      return renderJsonPieces(report);
    case 'sarif':
      return renderSarifPieces(report, options.sarif);
    case 'markdown':
      return [renderMarkdown(report, options.markdown)];
    default:
      throw new PsrError(ReportErrorCodes.FORMAT, `unknown report format "${String(format)}"`, {
        hint: `use one of: ${REPORT_FORMATS.join(', ')}`,
      });
  }
}

// Characters per chunk of renderReportChunks: large enough that writing costs few system calls,
// small enough that a chunk dies young in V8's heap.
const CHUNK_CHARS = 64 * 1024;

/**
 * {@link renderReport}`(report, format, options)` as text in chunks of about 64 KB, each rendered
 * as it is asked for, for printing a report of thousands of findings without holding it whole.
 *
 * @throws PsrError `PSR_REPORT_FORMAT` for an unknown format name.
 * @example
 * ```ts
 * for (const chunk of await renderReportChunks(report, 'json')) process.stdout.write(chunk);
 * ```
 */
export async function renderReportChunks(report: Report, format: ReportFormat, options: RenderOptions = {}): Promise<Iterable<string>> {
  return chunks(await renderReportPieces(report, format, options));
}

function* chunks(pieces: Iterable<TextPiece>): Generator<string, void, undefined> {
  let pending: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    const text = pieceText(piece);
    if (size > 0 && size + text.length > CHUNK_CHARS) {
      yield pending.join('');
      pending = [];
      size = 0;
    }
    pending.push(text);
    size += text.length;
  }
  if (size > 0) yield pending.join('');
}
