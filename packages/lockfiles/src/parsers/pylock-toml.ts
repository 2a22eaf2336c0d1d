import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, lockfileParseError, warning } from '../errors.js';
import { pythonGroup, walkLockGraph, type LockNode } from '../lock-graph.js';
import type { Dependency, DependencyGroup, ParseResult, Unresolvable } from '../model.js';
import { lockedDependency } from '../locked-dependency.js';
import { normalizePypiName } from '../pypi-name.js';
import { parseTomlText, TomlLocator } from '../toml-source.js';
import { rootsFromManifest } from './python-roots.js';
import { isPackageName, scalarText } from '../package-name.js';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

function pylockSource(pkg: Table): Unresolvable | undefined {
  const vcs = pkg['vcs'];
  if (isTable(vcs)) return { reason: 'vcs', spec: `${String(vcs['type'] ?? 'git')}+${String(vcs['url'] ?? vcs['path'] ?? '')}${typeof vcs['commit-id'] === 'string' ? `@${vcs['commit-id']}` : ''}` };
  const dir = pkg['directory'];
  if (isTable(dir)) return { reason: dir['editable'] === true ? 'editable' : 'path', spec: scalarText(dir['path']) };
  const archive = pkg['archive'];
  if (isTable(archive)) return typeof archive['url'] === 'string' ? { reason: 'url', spec: archive['url'] } : { reason: 'path', spec: String(archive['path'] ?? '') };
  return undefined;
}

function hashesOf(artifact: unknown): string[] {
  if (!isTable(artifact) || !isTable(artifact['hashes'])) return [];
  return Object.entries(artifact['hashes']).map(([alg, h]) => `${alg}:${scalarText(h)}`);
}

/** PEP 751 markers select groups with `'dev' in dependency_groups` / `'s3' in extras`. */
function groupFromMarker(marker: string | undefined): DependencyGroup {
  if (!marker) return 'main';
  const g = /['"]([^'"]+)['"]\s+in\s+dependency_groups/.exec(marker);
  if (g) return pythonGroup(normalizePypiName(g[1]!));
  const e = /['"]([^'"]+)['"]\s+in\s+extras/.exec(marker);
  if (e) return `optional:${normalizePypiName(e[1]!)}`;
  return 'main';
}

/**
 * Read a PEP 751 `pylock.toml` (or `pylock.<name>.toml`). `vcs`, `directory` and `archive`
 * packages are unresolvable; groups come from `dependency_groups` / `extras` markers.
 *
 * @example
 * ```ts
 * parsePylockToml(text, 'pylock.toml').dependencies.filter((d) => d.pinned);
 * ```
 */
export function parsePylockToml(text: string, file: string, manifest?: ParseResult): ParseResult {
  const doc = parseTomlText(text, file);
  const loc = new TomlLocator(text);
  const warnings: Diagnostic[] = [];
  const lockVersion = doc['lock-version'];
  if (typeof lockVersion !== 'string') throw lockfileParseError(`${file}: missing lock-version (is this a PEP 751 pylock.toml?)`, { file, line: 1, col: 1 }, 'a pylock.toml starts with lock-version = "1.0"');
  if (!lockVersion.startsWith('1.')) warnings.push(warning(LockfileCodes.SKIPPED, `pylock lock-version ${lockVersion} is newer than psr knows (1.x); reading it as 1.x`, file, 1));
  const packages = doc['packages'];
  if (packages !== undefined && !Array.isArray(packages)) throw lockfileParseError(`${file}: [packages] must be an array of tables ([[packages]])`, { file, line: 1, col: 1 });
  const offsets = loc.arrayTableOffsets('packages');
  const nodes = new Map<string, LockNode>();
  const byName = new Map<string, string[]>();
  const entries: { key: string; pkg: Table; line: number }[] = [];
  ((packages as unknown[] | undefined) ?? []).forEach((pkg, i) => {
    const line = loc.lineAt(offsets[i] ?? 0) + 1;
    if (!isTable(pkg) || !isPackageName(pkg['name'])) {
      warnings.push(warning(LockfileCodes.SKIPPED, 'package entry without a name skipped', file, line));
      return;
    }
    const name = normalizePypiName(pkg['name']);
    const key = `${name}@${scalarText(pkg['version'])}#${i}`;
    const deps = Array.isArray(pkg['dependencies']) ? pkg['dependencies'].flatMap((d) => (isTable(d) && isPackageName(d['name']) ? [normalizePypiName(d['name'])] : [])) : [];
    nodes.set(key, { key, name, deps });
    byName.set(name, [...(byName.get(name) ?? []), key]);
    entries.push({ key, pkg, line });
  });
  for (const node of nodes.values()) node.deps = node.deps.flatMap((n) => byName.get(n) ?? []);
  const roots = rootsFromManifest(manifest, byName);
  const reach = roots ? walkLockGraph(nodes, roots) : undefined;
  const dependencies: Dependency[] = entries.map(({ key, pkg, line }) => {
    const name = nodes.get(key)!.name;
    const unresolvable = pylockSource(pkg);
    const version = unresolvable || typeof pkg['version'] !== 'string' ? undefined : pkg['version'];
    if (!unresolvable && version === undefined) {
      warnings.push(warning(LockfileCodes.SKIPPED, `${name} has no version in the lock; listed unpinned`, file, line));
    }
    const marker = typeof pkg['marker'] === 'string' ? pkg['marker'] : undefined;
    const r = reach?.get(key);
    const hashes = [hashesOf(pkg['sdist']), ...(Array.isArray(pkg['wheels']) ? pkg['wheels'].map(hashesOf) : []), hashesOf(pkg['archive'])].flat();
    return lockedDependency({
      ecosystem: 'PyPI',
      name,
      version,
      unresolvable,
      reach: r,
      rootsKnown: reach !== undefined,
      file,
      line,
      group: marker ? groupFromMarker(marker) : r?.group ?? 'main',
      marker: marker || undefined,
      hashes,
    });
  });
  return { file, format: 'pylock.toml', dependencies, warnings, errors: [] };
}
