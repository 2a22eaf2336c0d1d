import { basename } from 'node:path';
import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, lockfileParseError, warning } from '../errors.js';
import type { DependencyGroup, ParseResult, Unresolvable } from '../model.js';
import { classifyNpmSpec, unresolvableFromResolved } from '../npm-spec.js';
import { lockedDependency, type LockedPackage } from '../locked-dependency.js';
import { parseYamlDocuments, type YamlSource } from '../yaml-source.js';
import { groupRank, strongerReach, walkLockGraph, type LockNode, type LockRoot, type Reach } from '../lock-graph.js';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

interface PackageKey {
  name: string;
  version: string;
}

/** `/@s/n@1.0.0(peer@1)` (v6), `@s/n@1.0.0(peer)` (v9), `/@s/n/1.0.0_peer` (v5) → name and version. */
function parsePackageKey(key: string, major: number): PackageKey | undefined {
  let k = key.startsWith('/') ? key.slice(1) : key;
  const paren = k.indexOf('(');
  if (paren !== -1) k = k.slice(0, paren);
  if (major < 6) {
    // The peer suffix follows the version (`_react@18.2.0`, scopes written `@types+react`);
    // a name may hold `_` too (`string_decoder`), so the name ends at the last `/`.
    const slash = k.lastIndexOf('/');
    if (slash <= 0) return undefined;
    return { name: k.slice(0, slash), version: bareVersion(k.slice(slash + 1), major) };
  }
  const at = k.indexOf('@', 1);
  if (at === -1) return undefined;
  return { name: k.slice(0, at), version: k.slice(at + 1) };
}

/** Strip a peer suffix `1.2.3(react@18.2.0)` / `1.2.3_react@18.2.0`. */
function bareVersion(version: string, major: number): string {
  const paren = version.indexOf('(');
  let v = paren === -1 ? version : version.slice(0, paren);
  if (major < 6) {
    const u = v.indexOf('_');
    if (u !== -1) v = v.slice(0, u);
  }
  return v;
}

/**
 * Read a `pnpm-lock.yaml` (lockfile v5.x, v6.x, v9.x). Importers (the root and workspace
 * packages) give the direct dependencies and their groups; `packages` (and v9 `snapshots`)
 * give versions and the graph. pnpm 11 and later may write two YAML documents: an "env"
 * document (pnpm itself under `packageManagerDependencies`, config dependencies) before the
 * project's lockfile. Both are read: together they list everything the lockfile installs (what
 * pnpm's docs ask of scanners); the env document's packages are tooling, in the `dev` group.
 *
 * @example
 * ```ts
 * parsePnpmLockYaml(text, 'pnpm-lock.yaml').dependencies.find((d) => d.name === 'react')?.direct;
 * ```
 */
export function parsePnpmLockYaml(text: string, file: string): ParseResult {
  const documents = parseYamlDocuments(text, file, ['packages']).filter((d) => d.value !== null && d.value !== undefined);
  if (documents.length === 0) throw lockfileParseError(`${file}: expected a YAML mapping with lockfileVersion`, { file, line: 1, col: 1 });
  const results = documents.map((d) => parseDocument(d, file));
  if (results.length === 1) return results[0]!;
  return { file, format: 'pnpm-lock.yaml', dependencies: results.flatMap((r) => r.dependencies), warnings: results.flatMap((r) => r.warnings), errors: [] };
}

/** Importer sections, and the group of their dependencies. */
const IMPORTER_SECTIONS: [string, DependencyGroup][] = [
  ['dependencies', 'main'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
  // The env document of pnpm 11+: pnpm's own packages and pnpm plugins, installed to run pnpm.
  ['packageManagerDependencies', 'dev'],
  ['configDependencies', 'dev'],
];

/** One document of a `pnpm-lock.yaml`. */
function parseDocument(src: YamlSource, file: string): ParseResult {
  const doc = src.value;
  if (!isTable(doc)) throw lockfileParseError(`${file}: expected a YAML mapping with lockfileVersion`, { file, line: 1, col: 1 });
  const warnings: Diagnostic[] = [];
  const major = Number.parseFloat(String(doc['lockfileVersion'] ?? 'NaN'));
  if (Number.isNaN(major)) throw lockfileParseError(`${file}: missing lockfileVersion (is this a pnpm lockfile?)`, { file, line: 1, col: 1 });
  if (major >= 10) warnings.push(warning(LockfileCodes.SKIPPED, `pnpm lockfileVersion ${String(doc['lockfileVersion'])} is newer than psr knows (5–9); reading it as 9`, file, 1));
  // A section of the wrong type would read as no packages at all: a clean scan of nothing.
  for (const section of ['importers', 'packages', 'snapshots']) {
    const value = doc[section];
    if (value !== undefined && value !== null && !isTable(value))
      throw lockfileParseError(`"${section}" in ${basename(file)} must be a mapping, not ${Array.isArray(value) ? 'a list' : typeof value}`, { file, line: src.topKeyLine(section) ?? 1, col: 1 }, 'the lockfile is damaged; run `pnpm install` to write it again');
  }
  const packages = isTable(doc['packages']) ? doc['packages'] : {};
  const snapshots = isTable(doc['snapshots']) ? doc['snapshots'] : undefined;

  // The key of a dependency edge: `name` + version as written in importers/snapshots.
  const edgeKey = (name: string, version: string): string | undefined => {
    if (version.startsWith('link:') || version.startsWith('file:')) return undefined;
    if (major >= 9) return version.includes('@', 1) && !/^\d/.test(version) ? version : `${name}@${version}`;
    if (version.startsWith('/')) return version; // v5/v6 alias
    if (/^[a-z0-9.-]+\.[a-z]+\//i.test(version)) return version; // v5/v6 non-registry key (github.com/u/r/sha)
    return major < 6 ? `/${name}/${version}` : `/${name}@${version}`;
  };
  const graph = snapshots ?? packages;
  const depsOf = (key: string): string[] => {
    const entry = graph[key];
    if (!isTable(entry)) return [];
    const out: string[] = [];
    for (const section of ['dependencies', 'optionalDependencies']) {
      const deps = entry[section];
      if (isTable(deps)) for (const [n, v] of Object.entries(deps)) {
        const k = typeof v === 'string' ? edgeKey(n, v) : undefined;
        if (k) out.push(k);
      }
    }
    return out;
  };
  /** Map a graph key (snapshot with peers) back to its `packages` key. */
  const packageKeyOf = (key: string): string => {
    if (key in packages) return key;
    const paren = key.indexOf('(');
    return paren === -1 ? key : key.slice(0, paren);
  };

  // Importers: v6/v9 `importers`, or the root-level sections of a single-project v5/v6 lock.
  const importers: Table = isTable(doc['importers']) ? doc['importers'] : { '.': doc };
  const nodes = new Map<string, LockNode>();
  const nodeFor = (key: string): LockNode => {
    let node = nodes.get(key);
    if (!node) {
      const pk = packageKeyOf(key);
      const entry = packages[pk];
      const name = isTable(entry) && typeof entry['name'] === 'string' ? entry['name'] : parsePackageKey(pk, major)?.name ?? key;
      node = { key, name, deps: depsOf(key) };
      nodes.set(key, node);
    }
    return node;
  };
  for (const key of Object.keys(graph)) nodeFor(key);
  const roots: LockRoot[] = [];
  const missing: string[] = [];
  for (const [section, group] of IMPORTER_SECTIONS) {
    for (const importer of Object.values(importers)) {
      if (!isTable(importer) || !isTable(importer[section])) continue;
      for (const [name, spec] of Object.entries(importer[section])) {
        const version = typeof spec === 'string' ? spec : isTable(spec) && typeof spec['version'] === 'string' ? spec['version'] : undefined;
        const key = version === undefined ? undefined : edgeKey(name, version);
        if (!key) continue;
        if (!(key in graph) && !(packageKeyOf(key) in packages)) missing.push(`${name}@${version}`);
        nodeFor(key);
        roots.push({ key, group });
      }
    }
  }
  if (missing.length > 0) {
    warnings.push(warning(LockfileCodes.SKIPPED, `${missing.length} direct dependenc${missing.length === 1 ? 'y has' : 'ies have'} no package entry in the lock: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`, file, 1, 'the lock is truncated or out of date; run `pnpm install`'));
  }
  const reach = walkLockGraph(nodes, roots);
  // Reach is keyed by graph keys (with peer suffixes); fold onto package keys.
  const byPackage = new Map<string, Reach>();
  for (const [key, r] of reach) {
    const pk = packageKeyOf(key);
    byPackage.set(pk, strongerReach(byPackage.get(pk), r)!);
  }

  // One record per package version: v5/v6 list a package once per peer-dependency variant, and
  // it is as needed as its most needed variant (a direct dependency of production, say, while a
  // dev tool pulls in another variant).
  const listed = new Map<string, LockedPackage>();
  const hasImporters = Object.keys(importers).length > 0;
  for (const [key, entry] of Object.entries(packages)) {
    const line = src.keyLine('packages', key) ?? 1;
    const parsed = isTable(entry) && typeof entry['name'] === 'string' && typeof entry['version'] === 'string'
      ? { name: entry['name'], version: entry['version'] }
      : parsePackageKey(key, major);
    if (!parsed || !isTable(entry)) {
      warnings.push(warning(LockfileCodes.SKIPPED, `package key ${key} not understood; skipped`, file, line));
      continue;
    }
    const name = typeof entry['name'] === 'string' ? entry['name'] : parsed.name;
    const resolution = isTable(entry['resolution']) ? entry['resolution'] : {};
    let unresolvable: Unresolvable | undefined;
    const fromTarball = typeof resolution['tarball'] === 'string' ? unresolvableFromResolved(resolution['tarball']) : undefined;
    if (fromTarball) unresolvable = fromTarball;
    else if (resolution['type'] === 'git' || typeof resolution['repo'] === 'string') unresolvable = { reason: 'vcs', spec: `${String(resolution['repo'] ?? '')}#${String(resolution['commit'] ?? '')}` };
    else if (resolution['type'] === 'directory' || typeof resolution['directory'] === 'string') unresolvable = { reason: 'path', spec: String(resolution['directory'] ?? key) };
    else if (typeof resolution['tarball'] === 'string' && !resolution['integrity']) unresolvable = { reason: 'url', spec: resolution['tarball'] };
    else if (typeof resolution['tarball'] === 'string' && resolution['tarball'].startsWith('file:')) unresolvable = { reason: 'path', spec: resolution['tarball'] };
    else {
      const spec = classifyNpmSpec(name, parsed.version);
      if (spec.unresolvable) unresolvable = spec.unresolvable;
    }
    const rawVersion = typeof entry['version'] === 'string' ? entry['version'] : bareVersion(parsed.version, major);
    const version = unresolvable ? undefined : rawVersion;
    const walked = byPackage.get(key);
    const flagged: DependencyGroup = entry['dev'] === true ? 'dev' : entry['optional'] === true ? 'optional' : 'main';
    // pnpm's own `dev: true` wins over a walk that found the package under production.
    const group: DependencyGroup = walked ? (entry['dev'] === true && walked.group === 'main' ? 'dev' : walked.group) : flagged;
    const r: Reach | undefined = walked && { ...walked, group };
    const dedupe = `${name}@${version ?? key}`;
    const variant = listed.get(dedupe);
    if (variant) {
      const stronger = strongerReach(variant.reach && { ...variant.reach, group: variant.group }, r);
      if (stronger) Object.assign(variant, { reach: stronger, group: stronger.group });
      else if (groupRank(group) < groupRank(variant.group)) variant.group = group;
      continue;
    }
    listed.set(dedupe, {
      ecosystem: 'npm',
      name,
      version,
      unresolvable,
      reach: r,
      rootsKnown: hasImporters,
      file,
      line,
      group,
      hashes: typeof resolution['integrity'] === 'string' ? [resolution['integrity']] : [],
    });
  }
  return { file, format: 'pnpm-lock.yaml', dependencies: [...listed.values()].map(lockedDependency), warnings, errors: [] };
}
