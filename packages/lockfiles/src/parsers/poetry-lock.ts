import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, lockfileParseError, warning } from '../errors.js';
import { lockedGroup, markerFromEdges, pythonGroup, walkLockGraph, type LockNode } from '../lock-graph.js';
import type { Dependency, DependencyGroup, ParseResult, Unresolvable } from '../model.js';
import { purlFor } from '../purl.js';
import { normalizePypiName } from '../pypi-name.js';
import { parseTomlText, TomlLocator } from '../toml-source.js';
import { missingFromLock, rootsFromManifest } from './python-roots.js';
import { isPackageName } from '../package-name.js';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

function sourceOf(source: unknown): Unresolvable | undefined {
  if (!isTable(source)) return undefined;
  const type = source['type'];
  const url = typeof source['url'] === 'string' ? source['url'] : '';
  const ref = typeof source['resolved_reference'] === 'string' ? source['resolved_reference'] : typeof source['reference'] === 'string' ? source['reference'] : undefined;
  if (type === 'git') return { reason: 'vcs', spec: `git+${url}${ref ? `@${ref}` : ''}` };
  if (type === 'url') return { reason: 'url', spec: url };
  if (type === 'file' || type === 'directory') return { reason: source['develop'] === true ? 'editable' : 'path', spec: url };
  return undefined; // `legacy` / `pypi`-style sources are package indexes: versions are real
}

/**
 * Read a `poetry.lock` (lock format 1.x with `category`, 2.0 with neither, 2.1 with `groups`).
 * With the project's `pyproject.toml` parse result as `manifest`, direct dependencies, dependency
 * paths, a 2.0 lock's groups and the markers of transitive packages are known; without it
 * `direct` stays `undefined`.
 *
 * @example
 * ```ts
 * const lock = parsePoetryLock(text, 'poetry.lock', parsePyprojectToml(pyproject, 'pyproject.toml'));
 * ```
 */
export function parsePoetryLock(text: string, file: string, manifest?: ParseResult): ParseResult {
  const doc = parseTomlText(text, file);
  const loc = new TomlLocator(text);
  const warnings: Diagnostic[] = [];
  const packages = doc['package'];
  if (packages !== undefined && !Array.isArray(packages)) throw lockfileParseError(`${file}: [package] must be an array of tables ([[package]])`, { file, line: 1, col: 1 });
  const metadata = isTable(doc['metadata']) ? doc['metadata'] : {};
  const lockVersion = typeof metadata['lock-version'] === 'string' ? metadata['lock-version'] : undefined;
  if (lockVersion !== undefined && !/^[12]\./.test(lockVersion)) {
    warnings.push(warning(LockfileCodes.SKIPPED, `poetry lock-version ${lockVersion} is newer than psr knows (1.x, 2.x); reading it as 2.x`, file, loc.lineAt(Math.max(loc.keyOffset('lock-version', Math.max(loc.tableOffset(['metadata']), 0)), 0))));
  }
  const offsets = loc.arrayTableOffsets('package');
  const nodes = new Map<string, LockNode>();
  const byName = new Map<string, string[]>();
  const entries: { key: string; pkg: Table; line: number }[] = [];
  const edgeMarkers = new Map<string, (string | undefined)[]>();
  (packages as unknown[] | undefined ?? []).forEach((pkg, i) => {
    const line = loc.lineAt(offsets[i] ?? 0);
    if (!isTable(pkg) || !isPackageName(pkg['name']) || typeof pkg['version'] !== 'string') {
      warnings.push(warning(LockfileCodes.SKIPPED, 'package entry without a name or version skipped', file, line));
      return;
    }
    const name = normalizePypiName(pkg['name']);
    const key = `${name}@${pkg['version']}#${i}`;
    const deps = isTable(pkg['dependencies']) ? Object.keys(pkg['dependencies']).map(normalizePypiName) : [];
    if (isTable(pkg['dependencies'])) {
      for (const [dep, spec] of Object.entries(pkg['dependencies'])) {
        // `dep = "*"`, `{version, markers}`, or several `[{…markers}, {…markers}]`
        const variants = Array.isArray(spec) ? spec : [spec];
        const markers = variants.map((v) => (isTable(v) && typeof v['markers'] === 'string' ? v['markers'] : undefined));
        const n = normalizePypiName(dep);
        edgeMarkers.set(n, [...(edgeMarkers.get(n) ?? []), ...(markers.length ? markers : [undefined])]);
      }
    }
    nodes.set(key, { key, name, deps });
    byName.set(name, [...(byName.get(name) ?? []), key]);
    entries.push({ key, pkg, line });
  });
  for (const node of nodes.values()) node.deps = node.deps.flatMap((n) => byName.get(n) ?? []);
  const roots = rootsFromManifest(manifest, byName);
  warnings.push(...missingFromLock(manifest, byName, file, 'poetry.lock'));
  const reach = roots ? walkLockGraph(nodes, roots) : undefined;
  // Lock 2.0 (Poetry 1.5 to 1.8) writes neither 1.x's `category` nor 2.1's `groups`: only the
  // walk from pyproject.toml can tell dev from main, and without it every package reads as main.
  if (!reach && entries.length > 0 && entries.every(({ pkg }) => pkg['category'] === undefined && pkg['groups'] === undefined)) {
    warnings.push(
      warning(
        LockfileCodes.SKIPPED,
        `${file} records no groups and its pyproject.toml was not read: every package is listed as main, direct unknown, without the markers of the edges that require it`,
        file,
        1,
        'scan the folder holding pyproject.toml and poetry.lock, so dev packages and markers are known',
      ),
    );
  }

  const dependencies: Dependency[] = entries.map(({ key, pkg, line }) => {
    const name = nodes.get(key)!.name;
    const version = pkg['version'] as string;
    const unresolvable = sourceOf(pkg['source']);
    const r = reach?.get(key);
    let group: DependencyGroup;
    const gs = Array.isArray(pkg['groups']) ? pkg['groups'].filter((g): g is string => typeof g === 'string') : [];
    if (gs.length > 0) {
      group = lockedGroup(gs);
    } else if (typeof pkg['category'] === 'string') group = pythonGroup(pkg['category']);
    else group = r?.group ?? 'main';
    if (group === 'main' && pkg['optional'] === true) group = r?.group.startsWith('optional') ? r.group : 'optional';
    // Lock 2.1 writes the install marker on the package; 2.0 and 1.x only on the requiring edges,
    // which give a transitive package's marker. Without pyproject.toml psr cannot tell a
    // transitive package from a direct one (`tomli` required by pytest on python < 3.11 may also
    // be the project's own unconditional requirement), so it derives none rather than narrow a
    // direct requirement away under a target.
    const marker =
      typeof pkg['markers'] === 'string'
        ? pkg['markers']
        : isTable(pkg['markers'])
          ? (pkg['markers'][group === 'main' ? 'main' : group.replace(/^group:/, '')] as string | undefined)
          : r && !r.direct
            ? markerFromEdges(edgeMarkers.get(name) ?? [])
            : undefined;
    const hashes = Array.isArray(pkg['files']) ? pkg['files'].flatMap((f) => (isTable(f) && typeof f['hash'] === 'string' ? [f['hash']] : [])) : [];
    return {
      ecosystem: 'PyPI',
      name,
      version: unresolvable ? undefined : version,
      pinned: !unresolvable,
      ...(unresolvable ? { unresolvable } : {}),
      direct: r ? r.direct : reach ? false : undefined,
      path: r?.path ?? [name],
      location: { file, line: line + 1, col: 1 },
      extras: [],
      ...(marker ? { marker } : {}),
      group,
      purl: purlFor('PyPI', name, unresolvable ? undefined : version),
      ...(hashes.length ? { hashes } : {}),
    };
  });
  return { file, format: 'poetry.lock', dependencies, warnings, errors: [] };
}
