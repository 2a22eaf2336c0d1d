/** Texts of a finding, or of a report, that more than one renderer shows. */
import type { PackageInfo } from '../finding.js';
import type { DataSource } from '../report.js';

/** `name snapshot`, and how current the data is when known: `pypa-advisory-db sha256:94a8… (newest record 2024-10-10)`. */
export function dataSourceText(d: DataSource): string {
  return `${d.name} ${d.snapshot}${d.newestModified ? ` (newest record ${d.newestModified.slice(0, 10)})` : ''}`;
}

/**
 * `name version` of a finding's package (`name` alone without a version); '' without a package.
 * Takes the package, not the finding: a finding may build its package details on each read.
 */
export function packageLabel(p: PackageInfo | undefined): string {
  if (p === undefined) return '';
  return p.version !== undefined ? `${p.name} ${p.version}` : p.name;
}

/**
 * `title` without a leading `name version: ` naming the finding's own package (`label`, from
 * {@link packageLabel}). Scanners write titles so to be read alone (psr's scan: `jinja2 2.10:
 * sandbox escape`, as the Markdown table shows them); where the package is shown beside the
 * title, it would be said twice.
 */
export function titleBesidePackage(title: string, label: string): string {
  return label && title.startsWith(`${label}: `) ? title.slice(label.length + 2) : title;
}

/** `text` as a sentence: a full stop is added unless it already ends one (`.`, `!`, `?`, `…`). */
export function sentence(text: string): string {
  // `\u2026` (…) escaped: one character beyond ASCII in the scan's bundle made V8 hold all its
  // 200 KB of source as a two-byte string (twice the memory, decoded from UTF-8 on every scan).
  return /[.!?\u2026]$/.test(text) ? text : `${text}.`;
}
