/**
 * Where a yarn project's workspace members are, so their package.json files can say which of
 * their dependencies are dev ones (a `yarn.lock` does not record it). Berry locks name each
 * member (`app@workspace:packages/app`); classic locks name none, so the root package.json's
 * `workspaces` patterns are expanded the way yarn 1 does for the usual shapes (`packages/*`,
 * `apps/**`, literal folders, `!` exclusions).
 */
import { readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** Deepest folder a `**` pattern searches; real monorepos nest members two or three levels. */
const MAX_PATTERN_DEPTH = 8;

/** Folders a pattern never matches through (yarn 1 skips installed packages too). */
const SKIPPED = new Set(['node_modules', '.git']);

/**
 * The member folders a berry `yarn.lock` names in its `resolution: "…@workspace:<folder>"`
 * lines, relative to the lock's folder as written, the root (`.`) left out, each once.
 * Found with `indexOf` rather than a parse: the lock may hold hundreds of thousands of entries.
 *
 * @example
 * ```ts
 * berryWorkspaceFolders('"app@workspace:packages/app":\n  resolution: "app@workspace:packages/app"\n'); // ['packages/app']
 * ```
 */
export function berryWorkspaceFolders(text: string): string[] {
  const folders = new Set<string>();
  for (let at = text.indexOf('@workspace:'); at !== -1; at = text.indexOf('@workspace:', at + 1)) {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (!text.startsWith('  resolution: ', lineStart)) continue;
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    let folder = text.slice(at + '@workspace:'.length, end).trimEnd();
    if (folder.endsWith('"')) folder = folder.slice(0, -1);
    if (folder !== '.' && folder !== '') folders.add(folder);
  }
  return [...folders];
}

/**
 * The `workspaces` patterns of a root package.json: `["packages/*"]` or
 * `{ "packages": ["packages/*"] }`; none when the text is not such a JSON object.
 */
export function workspacePatterns(manifestText: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(manifestText);
  } catch {
    return []; // the manifest's own parse reports it
  }
  const field = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['workspaces'] : undefined;
  const list = Array.isArray(field) ? field : typeof field === 'object' && field !== null && Array.isArray((field as Record<string, unknown>)['packages']) ? ((field as Record<string, unknown>)['packages'] as unknown[]) : [];
  return list.filter((p): p is string => typeof p === 'string');
}

/** One path segment of a pattern (`*`, `pkg-?`, `app`) as a regular expression. */
function segmentMatcher(segment: string): RegExp {
  const source = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${source}$`);
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !SKIPPED.has(d.name) && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** The folders under `root` one pattern matches, relative and `/`-separated. */
function matchPattern(root: string, segments: readonly string[], at: string, depth: number, out: Set<string>): void {
  if (segments.length === 0) {
    if (at !== '') out.add(at);
    return;
  }
  const [segment, ...rest] = segments as [string, ...string[]];
  const child = (name: string): string => (at === '' ? name : `${at}/${name}`);
  if (segment === '**') {
    matchPattern(root, rest, at, depth, out);
    if (depth >= MAX_PATTERN_DEPTH) return;
    for (const name of subfolders(join(root, at))) matchPattern(root, segments, child(name), depth + 1, out);
    return;
  }
  if (!/[*?]/.test(segment)) {
    matchPattern(root, rest, child(segment), depth + 1, out);
    return;
  }
  const matcher = segmentMatcher(segment);
  for (const name of subfolders(join(root, at))) if (matcher.test(name)) matchPattern(root, rest, child(name), depth + 1, out);
}

/**
 * Expand yarn 1 `workspaces` patterns to member folders under `root` (relative, `/`-separated,
 * sorted). A pattern that could leave `root` (absolute, or with a `..` segment) matches nothing:
 * members are only ever read inside the project. Whether a folder holds a package.json is for
 * the reader to find out.
 *
 * @example
 * ```ts
 * expandWorkspacePatterns('/repo', ['packages/*', '!packages/legacy']); // ['packages/api', 'packages/web']
 * ```
 */
export function expandWorkspacePatterns(root: string, patterns: readonly string[]): string[] {
  const included = new Set<string>();
  const excluded = new Set<string>();
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
    if (segments.length === 0 || isAbsolute(pattern) || segments.includes('..')) continue;
    matchPattern(root, segments, '', 0, negated ? excluded : included);
  }
  return [...included].filter((f) => !excluded.has(f)).sort();
}
