/** Texts of a finding that more than one renderer shows. */
import type { Finding } from '../finding.js';

/** `name version` of the finding's package (`name` alone without a version); '' without a package. */
export function packageLabel(f: Finding): string {
  const p = f.package;
  if (p === undefined) return '';
  return p.version !== undefined ? `${p.name} ${p.version}` : p.name;
}

/**
 * The title without a leading `name version: ` naming the finding's own package. Scanners write
 * titles so to be read alone (psr's scan: `jinja2 2.10: sandbox escape`, as the Markdown table
 * shows them); where the package is shown beside the title, it would be said twice.
 */
export function titleBesidePackage(f: Finding): string {
  const pkg = packageLabel(f);
  return pkg && f.title.startsWith(`${pkg}: `) ? f.title.slice(pkg.length + 2) : f.title;
}

/** `text` as a sentence: a full stop is added unless it already ends one (`.`, `!`, `?`, `…`). */
export function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}
