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
  const indent = options.indent ?? 2;
  // Explicit key order: `schemaVersion` first so a reader can dispatch on it before the rest.
  const ordered: Report = {
    schemaVersion: report.schemaVersion,
    tool: report.tool,
    run: report.run,
    ...(report.dataSources !== undefined ? { dataSources: report.dataSources } : {}),
    summary: report.summary,
    findings: report.findings,
    warnings: report.warnings,
    errors: report.errors,
  };
  return `${JSON.stringify(ordered, null, indent > 0 ? indent : undefined)}\n`;
}
