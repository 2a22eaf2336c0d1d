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
  return renderJsonParts(report, options).join('');
}

const FINDINGS_SLOT = '\u0000findings\u0000';

/**
 * {@link renderJson} in pieces (one per finding) whose concatenation is the same text, for
 * writing large reports: a report of thousands of findings is never held as one multi-MB string,
 * and pieces without non-ASCII text stay one byte per character.
 *
 * @example
 * ```ts
 * for (const part of renderJsonParts(report)) stream.write(part);
 * ```
 */
export function renderJsonParts(report: Report, options: RenderJsonOptions = {}): string[] {
  const indent = options.indent ?? 2;
  // Explicit key order: `schemaVersion` first so a reader can dispatch on it before the rest.
  const ordered = (findings: unknown): Record<string, unknown> => ({
    schemaVersion: report.schemaVersion,
    tool: report.tool,
    run: report.run,
    ...(report.dataSources !== undefined ? { dataSources: report.dataSources } : {}),
    summary: report.summary,
    findings,
    warnings: report.warnings,
    errors: report.errors,
  });
  if (indent <= 0 || report.findings.length === 0) return [`${JSON.stringify(ordered(report.findings), null, indent > 0 ? indent : undefined)}\n`];
  // The document around the findings, with a placeholder where the array goes. A raw newline
  // only appears as formatting, so the top-level key at its indentation is found exactly once.
  const frame = JSON.stringify(ordered(FINDINGS_SLOT), null, indent);
  const pad = ' '.repeat(indent);
  const slot = `\n${pad}"findings": ${JSON.stringify(FINDINGS_SLOT)}`;
  const at = frame.indexOf(slot);
  // Each finding as JSON.stringify writes it two levels deep: its lines shifted by two indents.
  const itemPad = `\n${pad}${pad}`;
  const parts = [`${frame.slice(0, at)}\n${pad}"findings": [`];
  report.findings.forEach((finding, i) => parts.push(`${i === 0 ? '' : ','}${itemPad}${JSON.stringify(finding, null, indent).replaceAll('\n', itemPad)}`));
  parts.push(`\n${pad}]${frame.slice(at + slot.length)}\n`);
  return parts;
}
