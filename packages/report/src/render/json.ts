import type { Report } from '../report.js';

/**
 * Options for {@link renderJson}.
 *
 * @example
 * ```ts
 * const compact: RenderJsonOptions = { indent: 0 };
 * ```
 */
export interface RenderJsonOptions {
  /** Spaces per indentation level; 0 writes one line. Default 2. */
  indent?: number;
}

/** Explicit key order: `schemaVersion` first so a reader can dispatch on it before the rest. */
function ordered(report: Report, findings: Report['findings']): Report {
  return {
    schemaVersion: report.schemaVersion,
    tool: report.tool,
    run: report.run,
    ...(report.dataSources !== undefined ? { dataSources: report.dataSources } : {}),
    summary: report.summary,
    ...(report.baseline !== undefined ? { baseline: report.baseline } : {}),
    findings,
    warnings: report.warnings,
    errors: report.errors,
  };
}

/**
 * Render a report as JSON in the versioned format of `docs/report-format.md` (validated by
 * `@psr/report/schema/report.schema.json`). Ends with a newline.
 *
 * @example
 * ```ts
 * await writeFile('scan.json', renderJson(report));
 * ```
 */
export function renderJson(report: Report, options: RenderJsonOptions = {}): string {
  const indent = options.indent ?? 2;
  return `${JSON.stringify(ordered(report, report.findings), null, indent > 0 ? indent : undefined)}\n`;
}

// Findings per JSON.stringify call in renderJsonPieces: enough that the calls cost little, few
// enough that one summary with a character beyond Latin-1 (a curly quote) makes only its own
// batch a two-byte string, which encodes to UTF-8 several times slower than a one-byte one.
const FINDINGS_PER_BATCH = 25;
// What JSON.stringify({ findings: batch }, null, 2) puts around the batch's findings, which it
// indents exactly as they are indented inside a whole report (both are one level deep).
const BATCH_OPEN = '{\n  "findings": [\n';
const BATCH_CLOSE = '\n  ]\n}';

/**
 * A piece of text to write: a whole string, or the part of `text` from `start` to `end`, where
 * the parts cut off are ASCII (so a writer can encode the whole string and drop the same number
 * of bytes at each end: no substring is ever copied).
 */
export type TextPiece = string | { text: string; start: number; end: number };

/** The text of a piece (tests and small outputs; writers take the window without copying). */
export function pieceText(piece: TextPiece): string {
  return typeof piece === 'string' ? piece : piece.text.slice(piece.start, piece.end);
}

/**
 * {@link renderJson}`(report)` (indent 2) in pieces, made as they are asked for. A report with
 * thousands of findings then never exists as one multi-megabyte string: the writer encodes each
 * piece into its output buffer and drops it, and findings are stringified in small batches, so
 * one non-Latin-1 character does not turn the whole report into a two-byte string.
 *
 * @example
 * ```ts
 * [...renderJsonPieces(report)].map(pieceText).join('') === renderJson(report); // true
 * ```
 */
export function* renderJsonPieces(report: Report): Generator<TextPiece, void, undefined> {
  const shell = `${JSON.stringify(ordered(report, []), null, 2)}\n`;
  const findings = report.findings;
  if (findings.length === 0) {
    yield shell;
    return;
  }
  // The top-level key is the only one indented by exactly two spaces after a newline.
  const marker = '\n  "findings": [';
  const at = shell.indexOf(`${marker}]`) + marker.length;
  yield shell.slice(0, at);
  for (let i = 0; i < findings.length; i += FINDINGS_PER_BATCH) {
    const batch = JSON.stringify({ findings: findings.slice(i, i + FINDINGS_PER_BATCH) }, null, 2);
    yield i === 0 ? '\n' : ',\n';
    yield { text: batch, start: BATCH_OPEN.length, end: batch.length - BATCH_CLOSE.length };
  }
  yield `\n  ${shell.slice(at)}`;
}
