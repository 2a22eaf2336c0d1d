/**
 * The terminal table: what `psr scan` prints when nobody asked for a file. Aligned columns,
 * colour only when asked, cells truncated to fit a narrow terminal, suppressed findings in
 * their own dimmed section, and a summary line that says when a scan was partial.
 */
import { shownDiagnostics } from '@psr/core/errors';
import type { Finding, FindingLocation, PackageInfo } from '../finding.js';
import type { Report } from '../report.js';
import { SEVERITIES, type Severity } from '../severity.js';
import { dataSourceText, packageLabel, titleBesidePackage } from './finding-text.js';

/**
 * Options for {@link renderTable}.
 *
 * @example
 * ```ts
 * renderTable(report, { color: process.stdout.isTTY, width: process.stdout.columns });
 * ```
 */
export interface RenderTableOptions {
  /** Use ANSI colours. Default false: never colour unless the caller knows the output is a terminal. */
  color?: boolean;
  /**
   * Maximum line width in columns: rows take two lines when the title would be cut short, and
   * cells that still do not fit are truncated with `…`. Default: no limit, one line a row.
   */
  width?: number;
  /**
   * List the report's errors and warnings under the findings. Default true; false for a caller
   * that reports them itself (the scan task logs each at its own level: printed twice, every
   * warning of a task's log was there twice).
   */
  diagnostics?: boolean;
}

interface Column {
  header: string;
  /** Narrowest the column may be squeezed to. */
  min: number;
  /** Width kept while other columns can still give way (ids are what people search for). */
  soft?: number;
  /** Which end to cut when truncating: paths keep their end, text keeps its start. */
  keep: 'start' | 'end';
}

const GAP = 2;

/**
 * Render a report as an aligned plain-text table (trailing newline included). Asynchronous
 * because it loads string-width (40–60 ms: an Intl.Segmenter and Unicode-set regular
 * expressions, built when it is imported) only when some text is not one column a character.
 *
 * @example
 * ```ts
 * process.stdout.write(await renderTable(report, { color: true, width: 80 }));
 * // SEVERITY  ID                   PACKAGE         FIX
 * //           LOCATION                           TITLE
 * // critical  GHSA-p6mc-m468-83gw  lodash 4.17.15  4.17.19 (upgrade 4.17.21)
 * //           web/package-lock.json:2113:5       Prototype Pollution in lodash
 * ```
 */
export async function renderTable(report: Report, options: RenderTableOptions = {}): Promise<string> {
  return [...(await renderTablePieces(report, options))].join('');
}

// Lines per piece of renderTablePieces: ~20 KB of text with 300-column rows. Pieces of 512
// lines lived long enough for V8 to move ~2 MB of them to the old generation (2,190 rows).
const LINES_PER_PIECE = 64;

/**
 * {@link renderTable}`(report, options)` in pieces of a few dozen lines, each made as it is
 * asked for: a table of thousands of findings is never held whole (as its lines, then as one
 * string, then encoded), which for 2,000 findings cost a scan more time in the garbage
 * collector than rendering took. The cells are made and measured before the first piece.
 *
 * @example
 * ```ts
 * for (const piece of await renderTablePieces(report)) process.stdout.write(piece);
 * ```
 */
export async function renderTablePieces(report: Report, options: RenderTableOptions = {}): Promise<Iterable<string>> {
  const width = options.width !== undefined && options.width > 0 ? Math.floor(options.width) : undefined;
  const active = report.findings.filter((f) => !f.suppressed);
  const suppressed = report.findings.filter((f) => f.suppressed);
  const hasPackages = active.some((f) => f.package !== undefined);
  // Against a baseline a NEW column marks what the baseline does not have.
  const marksNew = report.baseline !== undefined;
  // Cells are made terminal-safe and measured once, here: laying out reads them as they are.
  // They live until the last row is printed, so findings that share their locations array (a
  // scan's findings of one dependency do) share their PACKAGE and LOCATION cells too.
  const shared = new Map<readonly FindingLocation[], [pkg: string, location: string]>();
  const activeRows = new TableCells(4 + (hasPackages ? 2 : 0) + (marksNew ? 1 : 0), active.length);
  for (const f of active) {
    // Read once: a finding may build its package details and title on each read.
    const p = f.package;
    const label = packageLabel(p);
    let cells = shared.get(f.locations);
    if (cells === undefined || cells[0] !== label) {
      cells = [label, locationsCell(f.locations)];
      shared.set(f.locations, cells);
    }
    const [pkg, location] = cells;
    // The package's environment marker, as pip writes it: the finding holds only there.
    const pkgCell = p?.marker ? `${pkg}; ${p.marker}` : pkg;
    const title = titleCell(f, pkg);
    if (marksNew) activeRows.add(f.severity, f.baselineState === 'new' ? 'new' : '', f.id);
    else activeRows.add(f.severity, f.id);
    if (hasPackages) activeRows.add(pkgCell, location, fixCell(p), title);
    else activeRows.add(location, title);
  }
  const suppressedRows = new TableCells(4, suppressed.length);
  for (const f of suppressed) {
    suppressedRows.add(f.severity, f.id, locationsCell(f.locations), `${f.suppressed!.kind}: ${f.suppressed!.reason}${f.suppressed!.expires ? ` (until ${f.suppressed!.expires})` : ''}`);
  }
  const resolved = report.baseline?.resolvedFindings ?? [];
  const resolvedRows = new TableCells(4, resolved.length);
  for (const f of resolved) {
    const label = packageLabel(f.package);
    resolvedRows.add(f.severity, f.id, label || locationsCell(f.locations), titleBesidePackage(f.title, label));
  }
  await measureWideCells(report, [activeRows, suppressedRows, resolvedRows]);
  const c = options.color === true ? (await import('picocolors')).default.createColors(true) : PLAIN;
  return linePieces(tableLines(report, { active, activeRows, suppressedRows, resolvedRows, hasPackages, marksNew, width, c, diagnostics: options.diagnostics ?? true }));
}

/** Lines joined into pieces of {@link LINES_PER_PIECE}, each line ending with a newline. */
function* linePieces(lines: Iterable<string>): Generator<string, void, undefined> {
  let batch: string[] = [];
  for (const line of lines) {
    batch.push(line);
    if (batch.length === LINES_PER_PIECE) {
      yield `${batch.join('\n')}\n`;
      batch = [];
    }
  }
  if (batch.length > 0) yield `${batch.join('\n')}\n`;
}

interface TableParts {
  active: Finding[];
  activeRows: TableCells;
  suppressedRows: TableCells;
  /** The baseline's findings this report no longer has. */
  resolvedRows: TableCells;
  hasPackages: boolean;
  marksNew: boolean;
  width: number | undefined;
  c: TableColors;
  diagnostics: boolean;
}

/** The colour functions the table uses (picocolors' when colour is on). */
type TableColors = Pick<Colors, 'isColorSupported' | 'bold' | 'dim' | 'red' | 'yellow' | 'blue' | 'gray'>;
type Colors = ReturnType<(typeof import('picocolors'))['createColors']>;

const same = (text: string | number | null | undefined): string => String(text);
/**
 * No colour, without loading picocolors: importing it reads `process.stdout` to guess whether
 * colour is wanted, and on a pipe that builds Node's socket stream (`net`, a handle: ~3 ms of a
 * scan that only prints plain text). The caller decides colour from its own stream.
 */
const PLAIN: TableColors = { isColorSupported: false, bold: same, dim: same, red: same, yellow: same, blue: same, gray: same };

/** The table's lines, each row laid out when it is reached. */
function* tableLines(report: Report, { active, activeRows, suppressedRows, resolvedRows, hasPackages, marksNew, width, c, diagnostics }: TableParts): Generator<string, void, undefined> {
  if (active.length > 0) {
    const columns: Column[] = [
      { header: 'SEVERITY', min: 8, keep: 'start' },
      ...(marksNew ? [{ header: 'NEW', min: 3, keep: 'start' } as const] : []),
      { header: 'ID', min: 8, soft: 20, keep: 'start' },
      ...(hasPackages ? [{ header: 'PACKAGE', min: 8, keep: 'start' } as const] : []),
      { header: 'LOCATION', min: 8, keep: 'end' },
      ...(hasPackages ? [{ header: 'FIX', min: 3, keep: 'start' } as const] : []),
      { header: 'TITLE', min: 8, keep: 'start' },
    ];
    const rendered = layout(columns, activeRows, width);
    yield c.bold(rendered.header);
    // Without colour every row is already what is printed.
    for (let i = 0; i < activeRows.rows; i++) {
      const row = rendered.line(activeRows, i);
      yield c.isColorSupported ? colourSeverity(c, active[i]!.severity, row) : row;
    }
  } else {
    yield* wrap(report.errors.length > 0 ? 'No findings in the parts that could be scanned.' : 'No findings.', width);
  }

  const text = (header: string): Column => ({ header, min: 8, keep: 'start' });
  yield* dimSection(`Suppressed (${suppressedRows.rows}):`, [{ header: 'LOCATION', min: 8, keep: 'end' }, text('REASON')], suppressedRows, width, c);
  yield* dimSection(`Resolved since the baseline (${resolvedRows.rows}):`, [text('PACKAGE'), text('TITLE')], resolvedRows, width, c);

  // Errors, warnings and the summary are wrapped, never cut: each is read whole.
  for (const e of diagnostics ? report.errors : []) {
    yield '';
    for (const line of wrap(`error: ${diagnosticText(e)}`, width)) yield c.red(line);
  }
  if (diagnostics && report.warnings.length > 0) {
    yield '';
    // A flood of one warning (thousands of invalid versions) would bury the findings.
    const { shown, omittedLine } = shownDiagnostics(report.warnings);
    for (const w of shown) for (const line of wrap(`warning: ${diagnosticText(w)}`, width)) yield c.yellow(line);
    if (omittedLine) for (const line of wrap(`warning: ${omittedLine} (\`--format json\` lists them all)`, width)) yield c.yellow(line);
  }

  yield '';
  yield* wrap(summaryLine(report), width);
  if (report.baseline !== undefined) yield* wrap(baselineLine(report.baseline), width);
  if (report.run.omitted !== undefined) yield* wrap(omittedLine(report.run.omitted), width);
  if (report.dataSources !== undefined && report.dataSources.length > 0) {
    for (const line of wrap(`Data: ${report.dataSources.map(dataSourceText).join(', ')}`, width)) yield c.dim(line);
  }
}

/** A secondary table, dimmed under its heading: severity, id, then `rest`; nothing when it has no rows. */
function* dimSection(heading: string, rest: Column[], rows: TableCells, width: number | undefined, c: TableColors): Generator<string, void, undefined> {
  if (rows.rows === 0) return;
  yield '';
  yield c.dim(heading);
  const columns: Column[] = [
    { header: 'SEVERITY', min: 8, keep: 'start' },
    { header: 'ID', min: 8, soft: 20, keep: 'start' },
    ...rest,
  ];
  const rendered = layout(columns, rows, width);
  yield c.dim(rendered.header);
  for (let i = 0; i < rows.rows; i++) yield c.dim(rendered.line(rows, i));
}

/**
 * One line with the counts: `5 findings: 2 critical, 1 high, 1 medium, 1 unknown; 2 suppressed`,
 * prefixed with `PARTIAL SCAN` when errors made the results incomplete.
 *
 * @example
 * ```ts
 * summaryLine(report); // '1 finding: 1 high; 0 suppressed'
 * ```
 */
export function summaryLine(report: Pick<Report, 'summary' | 'errors'>): string {
  const { total, suppressed, bySeverity } = report.summary;
  const counts = SEVERITIES.filter((s) => bySeverity[s] > 0).map((s) => `${bySeverity[s]} ${s}`);
  const partial = report.errors.length > 0 ? `PARTIAL SCAN (${report.errors.length} error${report.errors.length === 1 ? '' : 's'}): ` : '';
  const findings = `${total} finding${total === 1 ? '' : 's'}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`;
  return `${partial}${findings}; ${suppressed} suppressed`;
}

/**
 * The comparison with the baseline, in one line: `3 new, 40 unchanged, 2 resolved (baseline main-scan.json)`.
 *
 * @example
 * ```ts
 * baselineLine(report.baseline!); // '1 new, 0 unchanged, 2 resolved (baseline main-scan.json)'
 * ```
 */
export function baselineLine(b: NonNullable<Report['baseline']>): string {
  return `${b.new} new, ${b.unchanged} unchanged, ${b.resolved} resolved (baseline ${b.report})`;
}

/**
 * What the scan left out on request, in one line: `Not scanned: 12 dependencies in dev, optional (omit)`.
 *
 * @example
 * ```ts
 * omittedLine({ groups: ['dev'], dependencies: 1 }); // 'Not scanned: 1 dependency in dev (omit)'
 * ```
 */
export function omittedLine(o: NonNullable<Report['run']['omitted']>): string {
  return `Not scanned: ${o.dependencies} ${o.dependencies === 1 ? 'dependency' : 'dependencies'} in ${o.groups.join(', ')} (omit)`;
}

/**
 * The terminal-safe cells of a table's rows and their widths in columns, stored flat (cell `c` of
 * row `r` at `r * columns + c`): they live until the last row is printed, and thousands of rows
 * then hold no arrays of their own. A width of -1 marks a cell that is not one column a
 * character, measured by {@link measureWideCells}. Measuring each cell once matters: thousands
 * of findings times six cells, read for the column widths and again for each line.
 */
class TableCells {
  readonly cells: string[] = [];
  readonly widths: Int32Array;

  constructor(
    readonly columns: number,
    capacity: number,
  ) {
    this.widths = new Int32Array(columns * capacity);
  }

  /** Rows added so far. */
  get rows(): number {
    return this.cells.length / this.columns;
  }

  /** Add cells, made terminal-safe, to the rows in order (a row is `columns` cells: it may be added in parts). */
  add(...cells: string[]): void {
    for (const cell of cells) {
      const safe = terminalSafe(cell);
      this.widths[this.cells.length] = ONE_COLUMN_EACH.test(safe) ? safe.length : -1;
      this.cells.push(safe);
    }
  }
}

/** Narrowest the text column (TITLE, REASON) is cut to on a row's line before the row takes two. */
const TEXT_MIN_ON_ONE_LINE = 30;

/** Columns printed on one line of a row, at these widths, after `indent` spaces. */
interface LineLayout {
  indent: number;
  cols: Array<Column & { index: number }>;
  widths: number[];
}

/**
 * Lay out the rows of `table` under `columns`, within `width` when given: the header, and how to
 * print a row. The last column is free text (TITLE, REASON). When it would get fewer than
 * {@link TEXT_MIN_ON_ONE_LINE} columns, each row takes two lines instead, the text on the
 * second, under the ID — with the location in front of it when the first line is still too
 * wide — so that an 80-column terminal shows whole packages and fixes, and a readable title.
 */
function layout(columns: Column[], table: TableCells, width: number | undefined): { header: string; line: (table: TableCells, row: number) => string } {
  const cols = columns.map((col, i) => ({ ...col, index: i }));
  const natural = columns.map((col) => displayWidth(col.header));
  for (let at = 0; at < table.cells.length; at++) {
    const column = at % table.columns;
    natural[column] = Math.max(natural[column]!, table.widths[at]!);
  }
  const naturalOf = (some: readonly (Column & { index: number })[]): number[] => some.map((col) => natural[col.index]!);
  let lines: LineLayout[];
  const text = cols[cols.length - 1]!;
  const first = cols.slice(0, -1);
  const firstWidth = totalWidth(naturalOf(first));
  if (width === undefined) lines = [{ indent: 0, cols, widths: naturalOf(cols) }];
  else if (first.length === 0 || firstWidth + GAP + Math.min(natural[text.index]!, TEXT_MIN_ON_ONE_LINE) <= width) {
    // One line: only the text is cut.
    lines = [{ indent: 0, cols, widths: [...naturalOf(first), Math.max(1, Math.min(natural[text.index]!, width - firstWidth - (first.length > 0 ? GAP : 0)))] }];
  } else {
    const location = first.find((col) => col.header === 'LOCATION');
    const moveLocation = location !== undefined && firstWidth > width;
    let top = moveLocation ? first.filter((col) => col !== location) : first;
    let topWidths = shrink(naturalOf(top), top, width);
    // Still too wide at every column's minimum: drop the optional columns, least useful first.
    for (const optional of ['FIX', 'PACKAGE']) {
      if (totalWidth(topWidths) <= width) break;
      top = top.filter((col) => col.header !== optional);
      topWidths = shrink(naturalOf(top), top, width);
    }
    // The second line starts under the second column (the ID).
    const indent = Math.min(natural[cols[0]!.index]! + GAP, Math.floor(width / 3));
    const room = width - indent;
    if (moveLocation) {
      const locationWidth = Math.min(natural[location.index]!, Math.max(8, Math.floor((room * 3) / 5)));
      lines = [
        { indent: 0, cols: top, widths: topWidths },
        { indent, cols: [location, text], widths: [locationWidth, Math.max(1, Math.min(natural[text.index]!, room - locationWidth - GAP))] },
      ];
    } else {
      lines = [
        { indent: 0, cols: top, widths: topWidths },
        { indent, cols: [text], widths: [Math.max(1, Math.min(natural[text.index]!, room))] },
      ];
    }
  }
  const gap = ' '.repeat(GAP);
  const printLine = ({ indent, cols: shown, widths }: LineLayout, rows: TableCells, row: number): string => {
    let text = ' '.repeat(indent);
    for (let i = 0; i < shown.length; i++) {
      const col = shown[i]!;
      const w = widths[i]!;
      const at = row * rows.columns + col.index;
      const cell = rows.cells[at]!;
      const cellWidth = rows.widths[at]!;
      if (i > 0) text += gap;
      if (cellWidth <= w) {
        text += cell;
        if (i < shown.length - 1) text += ' '.repeat(w - cellWidth);
      } else {
        const cut = truncate(cell, w, col.keep);
        text += cut;
        if (i < shown.length - 1) text += ' '.repeat(Math.max(0, w - displayWidth(cut)));
      }
    }
    return text.trimEnd();
  };
  const line =
    lines.length === 1 ? (rows: TableCells, row: number): string => printLine(lines[0]!, rows, row) : (rows: TableCells, row: number): string => `${printLine(lines[0]!, rows, row)}\n${printLine(lines[1]!, rows, row)}`;
  const header = new TableCells(columns.length, 1);
  header.add(...columns.map((col) => col.header));
  return { header: line(header, 0), line };
}

function totalWidth(widths: readonly number[]): number {
  return widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
}

/**
 * Fit the columns into `width` by always narrowing the currently widest column that is above
 * its minimum, so a long title and a long path are cut evenly instead of one vanishing.
 */
function shrink(natural: readonly number[], columns: readonly Column[], width: number): number[] {
  const widths = [...natural];
  let excess = totalWidth(widths) - width;
  for (const floor of [(c: Column) => Math.max(c.min, c.soft ?? 0), (c: Column) => c.min]) {
    while (excess > 0) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) {
        if (widths[i]! > floor(columns[i]!) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      }
      if (widest < 0) break;
      widths[widest]!--;
      excess--;
    }
  }
  return widths;
}

function truncate(text: string, width: number, keep: 'start' | 'end'): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  if (ONE_COLUMN_EACH.test(text)) return keep === 'start' ? `${text.slice(0, width - 1)}…` : `…${text.slice(text.length - (width - 1))}`;
  // Measure one code point at a time (linear); a multi-code-point emoji may be counted a little
  // wide, which only ever cuts one character early.
  const chars = [...text];
  const room = width - 1;
  let used = 0;
  const kept: string[] = [];
  const ordered = keep === 'start' ? chars : chars.reverse();
  for (const ch of ordered) {
    const w = displayWidth(ch);
    if (used + w > room) break;
    used += w;
    kept.push(ch);
  }
  return keep === 'start' ? `${kept.join('')}…` : `…${kept.reverse().join('')}`;
}

/**
 * Text whose every character takes exactly one column: printable ASCII, Latin-1 letters and signs
 * (not the soft hyphen) and general punctuation (dashes, quotes, `…`, which string-width
 * counts as narrow too). Cells are nearly always this, and string-width segments each string into
 * graphemes with Intl.Segmenter (~20 µs a cell): thousands of findings made the table slower to
 * render than the scan that found them.
 */
const ONE_COLUMN_EACH = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u00ff\u2010-\u2027\u2030-\u205e]*$/;

/** string-width, once some text needed it (see {@link measureWideCells}). */
let stringWidth: ((text: string) => number) | undefined;

/**
 * Measure the cells of `tables` that are not one column a character, loading string-width first
 * when one of them, or any other text the table shows (warnings, errors, data sources), needs it.
 */
async function measureWideCells(report: Report, tables: readonly TableCells[]): Promise<void> {
  if (stringWidth === undefined) {
    // Measured as the table shows them: without control characters (the cells already are).
    const others = [...report.errors.map(diagnosticText), ...report.warnings.map(diagnosticText), ...(report.dataSources ?? []).map((d) => `${d.name} ${d.snapshot}`)];
    const wide = tables.some((table) => table.widths.includes(-1)) || others.some((t) => !ONE_COLUMN_EACH.test(terminalSafe(t)));
    if (wide) stringWidth = (await import('string-width')).default;
  }
  for (const table of tables) for (let at = 0; at < table.cells.length; at++) if (table.widths[at] === -1) table.widths[at] = displayWidth(table.cells[at]!);
}

/** Terminal columns of `text`: string-width only for what may be wide, zero-width or combined. */
function displayWidth(text: string): number {
  if (ONE_COLUMN_EACH.test(text)) return text.length;
  if (stringWidth === undefined) throw new Error(`table text was measured before string-width was loaded: ${JSON.stringify(text)}`);
  return stringWidth(text);
}

/**
 * `text` made terminal-safe and broken at spaces into lines of at most `width` columns, the
 * lines after the first indented by two; a word longer than a line is cut.
 */
function wrap(text: string, width: number | undefined): string[] {
  const safe = terminalSafe(text);
  if (width === undefined || displayWidth(safe) <= width) return [safe];
  const lines: string[] = [];
  let line = '';
  for (const word of safe.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    const room = lines.length === 0 ? width : width - 2;
    if (line !== '' && displayWidth(candidate) > room) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? truncate(l, width, 'start') : `  ${truncate(l, width - 2, 'start')}`));
}

/**
 * Advisory titles and file names come from outside: strip control characters (and with them
 * ANSI escape sequences) so data cannot move the cursor or recolour the terminal.
 */
function terminalSafe(text: string): string {
  // Nearly every cell is clean already: only the others are rebuilt (thousands of cells).
  if (!/[\x00-\x1f\x7f-\x9f]| {2}|^\s|\s$/.test(text)) return text;
  return text
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}



function fixCell(p: PackageInfo | undefined): string {
  if (p === undefined) return '';
  const fixed = p.fixedVersions?.join(', ') ?? '';
  if (p.suggestedUpgrade !== undefined && p.suggestedUpgrade !== fixed) {
    return fixed ? `${fixed} (upgrade ${p.suggestedUpgrade})` : `upgrade ${p.suggestedUpgrade}`;
  }
  return fixed || 'none';
}

function titleCell(f: Finding, pkg: string): string {
  // The PACKAGE column names the package, and a narrow terminal keeps the title's start.
  const title = f.title;
  const description = f.description;
  // A title that is the package, then the description (a scan's), shows the description itself:
  // the cell then holds no copy of the title while the table is printed.
  const text =
    description !== undefined && pkg !== '' && title.length === pkg.length + 2 + description.length && title.endsWith(description) && title.startsWith(`${pkg}: `)
      ? description
      : titleBesidePackage(title, pkg);
  return f.redacted !== undefined ? `${text} ${f.redacted}` : text;
}

/**
 * Where a finding is: its first two locations (the same pin in two files is one finding), and
 * how many more there are.
 */
function locationsCell(locations: readonly FindingLocation[]): string {
  const shown = locations.slice(0, 2).map(locationCell).join(', ');
  return locations.length > 2 ? `${shown} (+${locations.length - 2} more)` : shown;
}

function locationCell(loc: FindingLocation | undefined): string {
  if (loc === undefined) return '';
  let text = loc.file;
  if (loc.line !== undefined) text += `:${loc.line}`;
  if (loc.line !== undefined && loc.col !== undefined) text += `:${loc.col}`;
  if (loc.commit !== undefined) text += ` @${loc.commit.slice(0, 8)}`;
  return text;
}

function diagnosticText(d: Report['errors'][number]): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.col}: ` : '';
  return `${where}${d.message} [${d.code}]${d.hint ? ` (hint: ${d.hint})` : ''}`;
}

function colourSeverity(c: TableColors, severity: Severity, row: string): string {
  // Colour only the severity word: the rest stays readable on any theme.
  const word = row.slice(0, severity.length);
  const rest = row.slice(severity.length);
  const painted =
    severity === 'critical'
      ? c.bold(c.red(word))
      : severity === 'high'
        ? c.red(word)
        : severity === 'medium'
          ? c.yellow(word)
          : severity === 'low'
            ? c.blue(word)
            : c.gray(word);
  return painted + rest;
}
