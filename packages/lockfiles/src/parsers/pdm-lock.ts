import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, lockfileParseError, warning } from '../errors.js';
import { lockedGroup, markerFromEdges, walkLockGraph, type LockNode } from '../lock-graph.js';
import type { Dependency, ParseResult, Unresolvable } from '../model.js';
import { parseRequirement } from '../pep508.js';
import { lockedDependency } from '../locked-dependency.js';
import { normalizePypiName } from '../pypi-name.js';
import { parseTomlText, TomlLocator } from '../toml-source.js';
import { missingFromLock, rootsFromManifest } from './python-roots.js';
import { isPackageName, scalarText } from '../package-name.js';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

function pdmSource(pkg: Table): Unresolvable | undefined {
  if (pkg['editable'] === true) return { reason: 'editable', spec: scalarText(pkg['path'] ?? pkg['git'] ?? pkg['url']) };
  if (typeof pkg['git'] === 'string') return { reason: 'vcs', spec: `git+${pkg['git']}${typeof pkg['revision'] === 'string' ? `@${pkg['revision']}` : ''}` };
  if (typeof pkg['hg'] === 'string') return { reason: 'vcs', spec: `hg+${pkg['hg']}` };
  if (typeof pkg['url'] === 'string') return { reason: 'url', spec: pkg['url'] };
  if (typeof pkg['path'] === 'string') return { reason: 'path', spec: pkg['path'] };
  return undefined;
}

/**
 * Read a `pdm.lock` (lock_version 4.x). Groups come from each package's `groups`
 * (`default` → `main`); with the project's `pyproject.toml` as `manifest`, direct dependencies and
 * paths are known.
 *
 * @example
 * ```ts
 * parsePdmLock(text, 'pdm.lock').dependencies.map((d) => d.group);
 * ```
 */
export function parsePdmLock(text: string, file: string, manifest?: ParseResult): ParseResult {
  const doc = parseTomlText(text, file);
  const loc = new TomlLocator(text);
  const warnings: Diagnostic[] = [];
  const packages = doc['package'];
  if (packages !== undefined && !Array.isArray(packages)) throw lockfileParseError(`${file}: [package] must be an array of tables ([[package]])`, { file, line: 1, col: 1 });
  const offsets = loc.arrayTableOffsets('package');
  const nodes = new Map<string, LockNode>();
  const byName = new Map<string, string[]>();
  const entries: { key: string; pkg: Table; line: number }[] = [];
  const list = (packages as unknown[] | undefined) ?? [];
  const plain = new Set(list.flatMap((p) => (isTable(p) && !Array.isArray(p['extras']) && isPackageName(p['name']) ? [`${normalizePypiName(p['name'])}@${scalarText(p['version'])}`] : [])));
  const extraEdges = new Map<string, string[]>();
  const edgeMarkers = new Map<string, (string | undefined)[]>();
  list.forEach((pkg, i) => {
    const line = loc.lineAt(offsets[i] ?? 0) + 1;
    if (!isTable(pkg) || !isPackageName(pkg['name'])) {
      warnings.push(warning(LockfileCodes.SKIPPED, 'package entry without a name skipped', file, line));
      return;
    }
    const name = normalizePypiName(pkg['name']);
    const deps = Array.isArray(pkg['dependencies'])
      ? pkg['dependencies'].flatMap((d) => {
          const req = typeof d === 'string' ? parseRequirement(d) : undefined;
          if (!req || req.name === name) return [];
          edgeMarkers.set(req.name, [...(edgeMarkers.get(req.name) ?? []), req.marker]);
          return [req.name];
        })
      : [];
    // pdm writes `requests[socks]` as a second entry with `extras`: same install, listed once,
    // its extra dependencies added to the plain entry's edges.
    if (Array.isArray(pkg['extras']) && plain.has(`${name}@${scalarText(pkg['version'])}`)) {
      extraEdges.set(name, [...(extraEdges.get(name) ?? []), ...deps]);
      return;
    }
    const key = `${name}@${scalarText(pkg['version'])}#${i}`;
    nodes.set(key, { key, name, deps });
    byName.set(name, [...(byName.get(name) ?? []), key]);
    entries.push({ key, pkg, line });
  });
  for (const node of nodes.values()) node.deps = [...node.deps, ...(extraEdges.get(node.name) ?? [])].flatMap((n) => byName.get(n) ?? []);
  const roots = rootsFromManifest(manifest, byName);
  warnings.push(...missingFromLock(manifest, byName, file, 'pdm.lock'));
  const reach = roots ? walkLockGraph(nodes, roots) : undefined;
  const dependencies: Dependency[] = entries.map(({ key, pkg, line }) => {
    const name = nodes.get(key)!.name;
    const unresolvable = pdmSource(pkg);
    const version = unresolvable || typeof pkg['version'] !== 'string' ? undefined : pkg['version'];
    const r = reach?.get(key);
    const groups = Array.isArray(pkg['groups']) ? pkg['groups'].filter((g): g is string => typeof g === 'string') : [];
    const group = groups.length ? lockedGroup(groups) : r?.group ?? 'main';
    const hashes = Array.isArray(pkg['files']) ? pkg['files'].flatMap((f) => (isTable(f) && typeof f['hash'] === 'string' ? [f['hash']] : [])) : [];
    // A marker written on the entry, else (for an indirect package) one derived from the edges to it.
    const marker = typeof pkg['marker'] === 'string' ? pkg['marker'] : (r && !r.direct && markerFromEdges(edgeMarkers.get(name) ?? [])) || undefined;
    return lockedDependency({ ecosystem: 'PyPI', name, version, unresolvable, reach: r, rootsKnown: reach !== undefined, file, line, group, marker, hashes });
  });
  return { file, format: 'pdm.lock', dependencies, warnings, errors: [] };
}
