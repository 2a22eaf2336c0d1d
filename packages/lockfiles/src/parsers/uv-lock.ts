import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, lockfileParseError, warning } from '../errors.js';
import { groupRank, markerFromEdges, pythonGroup, walkLockGraph, type LockNode, type LockRoot } from '../lock-graph.js';
import { lockedDependency } from '../locked-dependency.js';
import type { Dependency, DependencyGroup, ParseResult, Unresolvable } from '../model.js';
import { normalizePypiName } from '../pypi-name.js';
import { parseTomlText, TomlLocator } from '../toml-source.js';
import { isPackageName, scalarText } from '../package-name.js';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

interface DepRef {
  name: string;
  version?: string;
  marker?: string;
  extras: string[];
}

/** A package's edges (`{ name, version, marker, extra }`) or the manifest's requirements (`{ name, specifier, marker, extras }`). */
function refsOf(list: unknown): DepRef[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((d) => {
    if (!isTable(d) || !isPackageName(d['name'])) return [];
    const extras = Array.isArray(d['extra']) ? d['extra'] : Array.isArray(d['extras']) ? d['extras'] : [];
    return [{
      name: normalizePypiName(d['name']),
      ...(typeof d['version'] === 'string' ? { version: d['version'] } : {}),
      ...(typeof d['marker'] === 'string' ? { marker: d['marker'] } : {}),
      extras: extras.filter((e): e is string => typeof e === 'string').map(normalizePypiName),
    }];
  });
}

function markerOf(edges: (string | undefined)[] | undefined): { marker?: string } {
  const marker = edges ? markerFromEdges(edges) : undefined;
  return marker ? { marker } : {};
}

/** uv's `source`: registry installs are matchable; the project itself is editable/virtual. */
function sourceKind(source: unknown): { root: boolean; unresolvable?: Unresolvable } {
  if (!isTable(source)) return { root: false };
  if (typeof source['editable'] === 'string') return { root: true, unresolvable: { reason: 'editable', spec: source['editable'] } };
  if (typeof source['virtual'] === 'string') return { root: true, unresolvable: { reason: 'path', spec: source['virtual'] } };
  if (typeof source['git'] === 'string') return { root: false, unresolvable: { reason: 'vcs', spec: `git+${source['git']}` } };
  if (typeof source['url'] === 'string') return { root: false, unresolvable: { reason: 'url', spec: source['url'] } };
  if (typeof source['path'] === 'string') return { root: false, unresolvable: { reason: 'path', spec: source['path'] } };
  if (typeof source['directory'] === 'string') return { root: false, unresolvable: { reason: 'path', spec: source['directory'] } };
  return { root: false };
}

/**
 * Read a `uv.lock`. The project (and workspace members) appear as editable/virtual packages:
 * they are not reported, but their `dependencies`, `optional-dependencies` and
 * `dev-dependencies` are the direct dependencies, which gives direct/transitive, paths and groups.
 * So are the requirements uv records for the project outside any member: `[manifest]
 * requirements` (a PEP 723 script's) and `[manifest.dependency-groups]` (the groups of a
 * workspace root without `[project]`).
 *
 * @example
 * ```ts
 * const { dependencies } = parseUvLock(await readFile('uv.lock', 'utf8'), 'uv.lock');
 * ```
 */
export function parseUvLock(text: string, file: string): ParseResult {
  const doc = parseTomlText(text, file);
  const loc = new TomlLocator(text);
  const warnings: Diagnostic[] = [];
  const version = doc['version'];
  if (version !== undefined && version !== 1) {
    warnings.push(warning(LockfileCodes.SKIPPED, `uv.lock version ${scalarText(version)} is not the version psr knows (1); reading it as 1`, file, 1));
  }
  const packages = doc['package'];
  if (packages !== undefined && !Array.isArray(packages)) throw lockfileParseError(`${file}: [package] must be an array of tables ([[package]])`, { file, line: 1, col: 1 });
  // The project's own packages are the workspace members uv lists (`[manifest] members`), else
  // the package at `.`; another editable or virtual package (`editable = "../locallib"`) is a
  // path dependency, listed as unresolvable. Older locks of a workspace without the manifest:
  // every editable or virtual package is one of the project's.
  const manifest = isTable(doc['manifest']) ? doc['manifest'] : undefined;
  const members = Array.isArray(manifest?.['members']) ? new Set(manifest['members'].filter(isPackageName).map(normalizePypiName)) : undefined;
  const atTop = (pkg: unknown): boolean => {
    const source = isTable(pkg) ? pkg['source'] : undefined;
    return isTable(source) && ['.', './'].includes(String(source['editable'] ?? source['virtual']));
  };
  const topKnown = members !== undefined || (packages as unknown[] | undefined ?? []).some(atTop);
  const offsets = loc.arrayTableOffsets('package');
  const nodes = new Map<string, LockNode>();
  const byName = new Map<string, string[]>();
  const entries: { key: string; pkg: Table; line: number; root: boolean; unresolvable?: Unresolvable; edges: DepRef[] }[] = [];
  (packages as unknown[] | undefined ?? []).forEach((pkg, i) => {
    const line = loc.lineAt(offsets[i] ?? 0) + 1;
    if (!isTable(pkg) || !isPackageName(pkg['name'])) {
      warnings.push(warning(LockfileCodes.SKIPPED, 'package entry without a name skipped', file, line));
      return;
    }
    const name = normalizePypiName(pkg['name']);
    const key = `${name}@${scalarText(pkg['version'])}#${i}`;
    const kind = sourceKind(pkg['source']);
    if (kind.root && topKnown && !(members ? members.has(name) : atTop(pkg))) kind.root = false;
    const edges = [
      ...refsOf(pkg['dependencies']),
      ...(isTable(pkg['optional-dependencies']) ? Object.values(pkg['optional-dependencies']).flatMap(refsOf) : []),
    ];
    nodes.set(key, { key, name, deps: [] });
    byName.set(name, [...(byName.get(name) ?? []), key]);
    entries.push({ key, pkg, line, root: kind.root, ...(kind.unresolvable ? { unresolvable: kind.unresolvable } : {}), edges });
  });
  const resolveRef = (ref: DepRef): string[] => {
    const keys = byName.get(ref.name) ?? [];
    if (ref.version === undefined) return keys;
    return keys.filter((k) => k.startsWith(`${ref.name}@${ref.version}#`));
  };
  const roots: LockRoot[] = [];
  const rootMarkers = new Map<string, DepRef>();
  const rootGroups: [DepRef[], DependencyGroup][] = [];
  const incoming = new Map<string, (string | undefined)[]>();
  for (const e of entries) {
    if (!e.root) {
      const deps: string[] = [];
      for (const ref of e.edges) {
        for (const key of resolveRef(ref)) {
          deps.push(key);
          incoming.set(key, [...(incoming.get(key) ?? []), ref.marker]);
        }
      }
      nodes.get(e.key)!.deps = deps;
      continue;
    }
    rootGroups.push([refsOf(e.pkg['dependencies']), 'main']);
    if (isTable(e.pkg['optional-dependencies'])) {
      for (const [extra, list] of Object.entries(e.pkg['optional-dependencies'])) rootGroups.push([refsOf(list), `optional:${normalizePypiName(extra)}`]);
    }
    if (isTable(e.pkg['dev-dependencies'])) {
      for (const [group, list] of Object.entries(e.pkg['dev-dependencies'])) rootGroups.push([refsOf(list), pythonGroup(normalizePypiName(group))]);
    }
  }
  rootGroups.push([refsOf(manifest?.['requirements']), 'main']);
  if (isTable(manifest?.['dependency-groups'])) {
    for (const [group, list] of Object.entries(manifest['dependency-groups'])) rootGroups.push([refsOf(list), pythonGroup(normalizePypiName(group))]);
  }
  rootGroups.sort((a, b) => groupRank(a[1]) - groupRank(b[1]));
  for (const [refs, group] of rootGroups) {
    for (const ref of refs) {
      for (const key of resolveRef(ref)) {
        roots.push({ key, group });
        if (!rootMarkers.has(key)) rootMarkers.set(key, ref);
      }
    }
  }
  const reach = entries.some((e) => e.root) || roots.length > 0 ? walkLockGraph(nodes, roots) : undefined;
  const dependencies: Dependency[] = [];
  const unreached: string[] = [];
  for (const e of entries) {
    if (e.root) continue;
    const name = nodes.get(e.key)!.name;
    const r = reach?.get(e.key);
    if (reach && !r) unreached.push(name);
    const edge = rootMarkers.get(e.key);
    const sdist = e.pkg['sdist'];
    const hashes = [
      ...(isTable(sdist) && typeof sdist['hash'] === 'string' ? [sdist['hash']] : []),
      ...(Array.isArray(e.pkg['wheels']) ? e.pkg['wheels'].flatMap((w) => (isTable(w) && typeof w['hash'] === 'string' ? [w['hash']] : [])) : []),
    ];
    dependencies.push(
      lockedDependency({
        ecosystem: 'PyPI',
        name,
        version: e.unresolvable || typeof e.pkg['version'] !== 'string' ? undefined : e.pkg['version'],
        unresolvable: e.unresolvable,
        reach: r,
        // uv locks only what the project's requirements need, so a package none of them reaches
        // hangs off a requirement psr does not read: whether it is direct is unknown.
        rootsKnown: false,
        file,
        line: e.line,
        extras: r?.direct && edge ? edge.extras : [],
        marker: r?.direct ? edge?.marker : markerOf(incoming.get(e.key)).marker,
        group: r?.group ?? 'main',
        hashes,
      }),
    );
  }
  if (unreached.length > 0) {
    warnings.push(
      warning(
        LockfileCodes.SKIPPED,
        `${unreached.length} locked package(s) are required by nothing psr reads in ${file}: ${unreached.slice(0, 10).join(', ')}${unreached.length > 10 ? ', …' : ''}; listed as main, direct unknown`,
        file,
        1,
        'uv locks only what the project needs, so the lock holds a kind of requirement psr does not read; please report it',
      ),
    );
  }
  return { file, format: 'uv.lock', dependencies, warnings, errors: [] };
}
