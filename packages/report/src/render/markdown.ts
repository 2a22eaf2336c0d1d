/**
 * Markdown for pull-request comments: a summary line, findings grouped by package (or by file
 * for findings without a package), long text folded into <details>, suppressed findings
 * summarised, everything escaped, and the whole comment kept under GitHub's size limit.
 */
import type { Finding } from '../finding.js';
import type { Report } from '../report.js';
import { SEVERITIES } from '../severity.js';
import { dataSourceText, titleBesidePackage } from './finding-text.js';

/**
 * GitHub rejects issue and pull-request comments longer than 65,536 characters.
 *
 * @example
 * ```ts
 * renderMarkdown(report, { maxLength: GITHUB_COMMENT_LIMIT - header.length });
 * ```
 */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * Options for {@link renderMarkdown}.
 *
 * @example
 * ```ts
 * const options: RenderMarkdownOptions = { title: 'Dependency audit', maxLength: 60_000 };
 * ```
 */
export interface RenderMarkdownOptions {
  /** Heading text. Default: `psr <plugin>` (e.g. `psr scan`). */
  title?: string;
  /**
   * Upper bound on the output length in UTF-16 code units (what GitHub counts). Findings that
   * do not fit are left out and counted in a final "…and N more" line. Default 65,000, a
   * margin under {@link GITHUB_COMMENT_LIMIT} for a bot's own wrapper text.
   */
  maxLength?: number;
}

const DETAILS_THRESHOLD = 160;
const SEVERITY_BADGE: Record<string, string> = {
  critical: '🟥 critical',
  high: '🟧 high',
  medium: '🟨 medium',
  low: '🟦 low',
  unknown: '⬜ unknown',
};

/**
 * Render a report as GitHub-flavoured Markdown for a PR comment.
 *
 * @example
 * ```ts
 * const body = renderMarkdown(report, { title: 'psr scan' });
 * body.length <= 65_000; // always
 * ```
 */
export function renderMarkdown(report: Report, options: RenderMarkdownOptions = {}): string {
  const maxLength = Math.max(200, options.maxLength ?? 65_000);
  const title = options.title ?? `psr ${report.tool.plugin.replace(/^psr:/, '')}`;
  const active = report.findings.filter((f) => !f.suppressed);
  const suppressed = report.findings.filter((f) => f.suppressed);

  const head: string[] = [`### ${escapeInline(title)}`, '', summaryMarkdown(report)];
  if (report.baseline !== undefined) head.push('', baselineMarkdown(report.baseline));
  // A clean comment must not hide that part of the project was left out.
  const omitted = report.run.omitted;
  if (omitted !== undefined)
    head.push('', `Not scanned: ${omitted.dependencies} ${omitted.dependencies === 1 ? 'dependency' : 'dependencies'} in ${omitted.groups.map(codeSpan).join(', ')} (omit)`);
  if (report.errors.length > 0) {
    head.push(
      '',
      `> [!WARNING]\n> **Partial scan**: ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}; findings may be missing.\n${report.errors
        .slice(0, 20)
        .map((e) => `> - ${escapeInline(truncate(e.message, 300))} (\`${escapeCode(e.code)}\`)`)
        .join('\n')}${report.errors.length > 20 ? `\n> - …and ${report.errors.length - 20} more` : ''}`,
    );
  }

  // Blocks are added in order until the budget is spent; the tail (resolved and suppressed
  // summaries, warnings, data sources) is small and always reserved.
  const tail = tailBlocks(report, suppressed);
  const tailText = tail.join('\n\n');
  let body = head.join('\n');
  const reserveForMore = 80;
  let budget = maxLength - body.length - tailText.length - reserveForMore - 4;
  let shown = 0;

  if (report.baseline === undefined) {
    const groups = groupsMarkdown(active, budget);
    body += groups.text;
    shown = groups.shown;
  } else {
    // Against a baseline, what the pull request adds comes first, whatever the comment's size
    // limit leaves for the rest; the findings the baseline has too are folded away.
    const added = active.filter((f) => f.baselineState === 'new');
    const kept = active.filter((f) => f.baselineState !== 'new');
    if (added.length > 0) {
      const intro = `\n\n**🆕 ${added.length} new finding${added.length === 1 ? '' : 's'}** (not in the baseline):`;
      const groups = groupsMarkdown(added, budget - intro.length);
      if (groups.shown > 0) {
        body += intro + groups.text;
        budget -= intro.length + groups.text.length;
        shown += groups.shown;
      }
    } else body += '\n\nNo new findings. ✅';
    if (kept.length > 0 && shown === added.length) {
      const open = `\n\n<details><summary>${kept.length} unchanged finding${kept.length === 1 ? '' : 's'} (in the baseline too)</summary>`;
      const close = '\n\n</details>';
      const groups = groupsMarkdown(kept, budget - open.length - close.length);
      if (groups.shown > 0) {
        body += open + groups.text + close;
        shown += groups.shown;
      }
    }
  }

  const hidden = active.length - shown;
  if (hidden > 0) {
    body += `\n\n…and ${hidden} more finding${hidden === 1 ? '' : 's'} not shown here (the comment size limit); see the JSON or SARIF report.`;
  }
  if (active.length === 0 && report.baseline === undefined) body += report.errors.length > 0 ? '\n\nNo findings in the parts that could be scanned.' : '\n\nNo findings. ✅';
  if (tailText !== '') body += `\n\n${tailText}`;
  body += '\n';
  // Last line of defence (a huge title or error list): never exceed the limit.
  return body.length <= maxLength ? body : `${body.slice(0, maxLength - 2)}…\n`;
}

/**
 * Findings grouped (see {@link groupFindings}), each group a heading and a table, as many as
 * fit in `budget` characters: the text and how many findings it shows.
 */
function groupsMarkdown(findings: readonly Finding[], budget: number): { text: string; shown: number } {
  let text = '';
  let shown = 0;
  for (const group of groupFindings(findings)) {
    const heading = `\n\n#### ${group.heading}\n\n| Severity | ID | Title | Location | Fixed in |\n| --- | --- | --- | --- | --- |`;
    if (heading.length > budget) break;
    let block = heading;
    let rowsShown = 0;
    for (const f of group.findings) {
      const row = `\n${findingRow(f)}`;
      if (row.length > budget - block.length) break;
      block += row;
      rowsShown++;
    }
    if (rowsShown === 0) break;
    const details = detailsBlock(group.findings.slice(0, rowsShown));
    if (details !== '' && block.length + details.length <= budget) block += details;
    text += block;
    budget -= block.length;
    shown += rowsShown;
    if (rowsShown < group.findings.length) break;
  }
  return { text, shown };
}

/** `Against the baseline main-scan.json: **3 new**, 40 unchanged, 2 resolved`. */
function baselineMarkdown(b: NonNullable<Report['baseline']>): string {
  return `Against the baseline ${codeSpan(b.report)}: **${b.new} new**, ${b.unchanged} unchanged, ${b.resolved} resolved`;
}

function summaryMarkdown(report: Report): string {
  const { total, suppressed, bySeverity } = report.summary;
  const counts = SEVERITIES.map((s) => `${SEVERITY_BADGE[s]}: **${bySeverity[s]}**`).join(' · ');
  return `**${total} finding${total === 1 ? '' : 's'}** (${counts})${suppressed > 0 ? `, ${suppressed} suppressed` : ''}`;
}

interface Group {
  heading: string;
  findings: Finding[];
}

/** Vulnerabilities group by package (one upgrade fixes the group); the rest by file. */
function groupFindings(findings: readonly Finding[]): Group[] {
  const groups = new Map<string, Group>();
  for (const f of findings) {
    const file = f.locations[0]?.file;
    let key: string;
    let heading: string;
    const p = f.package;
    if (p !== undefined) {
      key = `pkg\0${p.ecosystem}\0${p.name}\0${p.version ?? ''}\0${file ?? ''}`;
      heading = `${escapeInline(p.name)}${p.version !== undefined ? ` ${escapeInline(p.version)}` : ''} (${escapeInline(p.ecosystem)})${p.marker ? ` where ${codeSpan(p.marker)}` : ''}${file !== undefined ? ` in ${codeSpan(file)}` : ''}${
        p.suggestedUpgrade !== undefined ? ` — upgrade to **${escapeInline(p.suggestedUpgrade)}**` : ''
      }`;
    } else {
      key = `file\0${file ?? ''}`;
      heading = file !== undefined ? codeSpan(file) : 'Other findings';
    }
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { heading, findings: [f] });
    else group.findings.push(f);
  }
  return [...groups.values()];
}

function findingRow(f: Finding): string {
  const url = f.references?.find((r) => /^https?:\/\/\S+$/.test(r));
  const id = url !== undefined ? `[${escapeInline(f.id)}](${url.replace(/[()\s]/g, encodeURIComponent)})` : escapeInline(f.id);
  const aliases = f.aliases !== undefined && f.aliases.length > 0 ? `<br>${f.aliases.map(escapeInline).join(', ')}` : '';
  // Read once: a finding may build its package details on each read.
  const p = f.package;
  // The group's heading names the package: a scan's `jinja2 2.10: …` title need not repeat it.
  const titleText = oneLine(titleBesidePackage(f.title, packageLabel(p))) + (f.redacted !== undefined ? ` (${f.redacted})` : '');
  // Every file it is in (the same pin in two files is one finding), one per line.
  const where = f.locations
    .map((loc) => `${escapeInline(loc.file)}${loc.line !== undefined ? `:${loc.line}` : ''}${loc.commit !== undefined ? ` @${escapeInline(loc.commit.slice(0, 8))}` : ''}`)
    .join('<br>');
  const fixed = p?.fixedVersions?.length ? p.fixedVersions.map(escapeInline).join(', ') : p ? 'none' : '';
  return `| ${SEVERITY_BADGE[f.severity]} | ${id}${aliases} | ${escapeInline(truncate(titleText, 200))} | ${where} | ${fixed} |`;
}

/** `jinja2 2.10`, as a scan's titles start; empty without a package. */
function packageLabel(p: Finding['package']): string {
  return p !== undefined ? `${p.name}${p.version !== undefined ? ` ${p.version}` : ''}` : '';
}

function detailsBlock(findings: readonly Finding[]): string {
  const parts: string[] = [];
  for (const f of findings) {
    const help = f.help;
    const text = [f.description, help !== undefined ? `Fix: ${help}` : undefined].filter((t): t is string => t !== undefined).join('\n\n');
    if (text === '' || (text.length < DETAILS_THRESHOLD && !text.includes('\n'))) continue;
    parts.push(
      `<details><summary>${escapeHtml(f.id)}: ${escapeHtml(truncate(oneLine(f.title), 120))}</summary>\n\n${escapeBlock(truncate(text, 4000))}\n\n</details>`,
    );
  }
  return parts.length > 0 ? `\n\n${parts.join('\n')}` : '';
}

function tailBlocks(report: Report, suppressed: readonly Finding[]): string[] {
  const blocks: string[] = [];
  const resolved = report.baseline?.resolvedFindings ?? [];
  if (resolved.length > 0) {
    const rows = resolved.slice(0, 50).map((f) => {
      const p = f.package;
      const label = packageLabel(p);
      // A scan's titles start with the package (`urllib3 1.24.1: …`), already in its own column.
      return `| ${SEVERITY_BADGE[f.severity]} | ${escapeInline(f.id)} | ${escapeInline(label)} | ${escapeInline(truncate(oneLine(titleBesidePackage(f.title, label)), 160))} |`;
    });
    const more = resolved.length > 50 ? `\n\n…and ${resolved.length - 50} more resolved.` : '';
    blocks.push(
      `<details><summary>✔️ ${resolved.length} resolved finding${resolved.length === 1 ? '' : 's'} (in the baseline, gone now)</summary>\n\n| Severity | ID | Package | Title |\n| --- | --- | --- | --- |\n${rows.join('\n')}${more}\n\n</details>`,
    );
  }
  if (suppressed.length > 0) {
    const kinds = new Map<string, number>();
    for (const f of suppressed) kinds.set(f.suppressed!.kind, (kinds.get(f.suppressed!.kind) ?? 0) + 1);
    const byKind = [...kinds].map(([k, n]) => `${n} by ${k}`).join(', ');
    const rows = suppressed
      .slice(0, 50)
      .map((f) => `| ${SEVERITY_BADGE[f.severity]} | ${escapeInline(f.id)} | ${escapeInline(truncate(oneLine(f.suppressed!.reason), 160))} | ${escapeInline(f.suppressed!.owner ?? '')} | ${escapeInline(f.suppressed!.expires ?? '')} |`);
    const more = suppressed.length > 50 ? `\n\n…and ${suppressed.length - 50} more suppressed.` : '';
    blocks.push(
      `<details><summary>${suppressed.length} suppressed finding${suppressed.length === 1 ? '' : 's'} (${byKind})</summary>\n\n| Severity | ID | Reason | Owner | Expires |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}${more}\n\n</details>`,
    );
  }
  if (report.warnings.length > 0) {
    const items = report.warnings.slice(0, 20).map((w) => `- ${w.location ? `${escapeInline(w.location.file)}:${w.location.line}: ` : ''}${escapeInline(oneLine(w.message))}`);
    const more = report.warnings.length > 20 ? `\n- …and ${report.warnings.length - 20} more` : '';
    blocks.push(`<details><summary>${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}</summary>\n\n${items.join('\n')}${more}\n\n</details>`);
  }
  if (report.dataSources !== undefined && report.dataSources.length > 0) {
    blocks.push(`<sub>Data: ${report.dataSources.map((d) => escapeInline(dataSourceText(d))).join(', ')} · psr ${escapeInline(report.tool.version)}</sub>`);
  }
  return blocks;
}

/**
 * Escape text for one line of Markdown (a table cell, a heading): table pipes, HTML, code
 * spans, emphasis and link syntax are neutralised, `@mentions` cannot ping anyone, and line
 * breaks become spaces. Hand-written: no Markdown library escapes for GFM table cells.
 *
 * @example
 * ```ts
 * escapeMarkdownInline('a | b <script> `x`'); // 'a \\| b &lt;script&gt; \\`x\\`'
 * ```
 */
export function escapeMarkdownInline(text: string): string {
  return escapeInline(text);
}

function escapeInline(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]|~#]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/(?<![A-Za-z0-9_.\-])@(?=[A-Za-z0-9])/g, '&#64;');
}

/** Text inside an HTML element such as <summary>, where Markdown is not rendered. */
function escapeHtml(text: string): string {
  return escapeBlock(oneLine(text));
}

/** Multi-line advisory text inside <details>: keep line structure, neutralise HTML and mentions. */
function escapeBlock(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/(?<![A-Za-z0-9_.\-])@(?=[A-Za-z0-9])/g, '&#64;');
}

function escapeCode(text: string): string {
  return oneLine(text).replace(/`/g, "'");
}

function codeSpan(text: string): string {
  // <code> rather than backticks: its content is escaped like any other text, so a file
  // name cannot close the span or smuggle markup, and it still renders monospace.
  return `<code>${escapeInline(text)}</code>`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
