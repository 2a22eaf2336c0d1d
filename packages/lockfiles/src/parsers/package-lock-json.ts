import { basename } from 'node:path';
import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, lockfileParseError, warning } from '../errors.js';
import { parseJsonSource, type JsonSource } from '../json-source.js';
import type { Dependency, DependencyGroup, ParseResult } from '../model.js';
import { classifyNpmSpec, unresolvableFromResolved } from '../npm-spec.js';
import { lockedDependency } from '../locked-dependency.js';
import { isPackageName } from '../package-name.js';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One installed package at a `node_modules/…` location (the v2/v3 `packages` shape). */
interface Installed {
  location: string;
  entry: Table;
  line: number;
}

/** The package name a `node_modules/a/node_modules/@s/b` location installs (`@s/b`). */
function nameFromLocation(location: string): string {
  const i = location.lastIndexOf('node_modules/');
  return location.slice(i + 'node_modules/'.length);
}

/** The folder node resolution searches next when `location` has no `node_modules/<dep>`. */
function parentLocation(location: string): string | undefined {
  if (location === '') return undefined;
  const i = location.lastIndexOf('/node_modules/');
  if (i !== -1) return location.slice(0, i);
  return '';
}

function requiredNames(entry: Table, isProject: boolean): string[] {
  const names: string[] = [];
  // Only the project and workspace members install their devDependencies.
  const sections = ['dependencies', 'optionalDependencies', 'peerDependencies', 'requires', ...(isProject ? ['devDependencies'] : [])];
  for (const section of sections) {
    const deps = entry[section];
    if (isTable(deps)) for (const n of Object.keys(deps)) if (!names.includes(n)) names.push(n);
  }
  return names;
}

/** Flatten a lockfile v1 nested `dependencies` tree into v2-style locations. */
function flattenV1(src: JsonSource, deps: Table, prefix: string, pathKeys: string[], out: Map<string, Installed>): void {
  for (const [name, entry] of Object.entries(deps)) {
    if (!isTable(entry)) continue;
    const location = `${prefix}node_modules/${name}`;
    const keys = [...pathKeys, name];
    const line = src.lineOf(keys) ?? 1;
    // v1 writes an alias as `"version": "npm:abbrev@1.0.3"` under the alias's folder name.
    const alias = typeof entry['version'] === 'string' && entry['version'].startsWith('npm:') ? classifyNpmSpec(name, entry['version']) : undefined;
    // v1 keeps the requirement ranges in `requires` and nested installs in `dependencies`.
    const normalised: Table = {
      ...entry,
      ...(alias?.range !== undefined && isPackageName(alias.name) ? { name: alias.name, version: alias.range } : {}),
      dependencies: isTable(entry['requires']) ? entry['requires'] : {},
    };
    out.set(location, { location, entry: normalised, line });
    if (isTable(entry['dependencies'])) flattenV1(src, entry['dependencies'], `${location}/`, [...keys, 'dependencies'], out);
  }
}

/**
 * Read a `package-lock.json` / `npm-shrinkwrap.json`: lockfile v1 (nested `dependencies`) and
 * v2/v3 (`packages`). Links and workspace folders are not registry packages and are not listed
 * (workspace members' own dependencies are direct). Paths follow Node's resolution from the root.
 *
 * @example
 * ```ts
 * const lock = parsePackageLockJson(text, 'package-lock.json');
 * lock.dependencies.filter((d) => d.group === 'dev');
 * ```
 */
export function parsePackageLockJson(text: string, file: string, manifest?: ParseResult): ParseResult {
  const src = parseJsonSource(text, file, ['packages', 'dependencies'], true);
  const doc = src.value;
  if (!isTable(doc)) throw lockfileParseError(`${file}: expected a JSON object`, { file, line: 1, col: 1 });
  const warnings: Diagnostic[] = [];
  const lockVersion = typeof doc['lockfileVersion'] === 'number' ? doc['lockfileVersion'] : 1;
  if (lockVersion > 3) warnings.push(warning(LockfileCodes.SKIPPED, `lockfileVersion ${lockVersion} is newer than psr knows (1–3); reading it as 3`, file, 1));
  // A section of the wrong type would read as no packages at all: a clean scan of nothing.
  for (const section of ['packages', 'dependencies']) {
    const value = doc[section];
    if (value !== undefined && value !== null && !isTable(value))
      throw lockfileParseError(`"${section}" in ${basename(file)} must be an object (package entries by ${section === 'packages' ? 'folder' : 'name'}), not ${Array.isArray(value) ? 'an array' : typeof value}`, { file, line: src.lineOf([section]) ?? 1, col: 1 }, 'the lockfile is damaged; run `npm install` to write it again');
  }
  const installed = new Map<string, Installed>();
  let rootEntry: Table | undefined;
  if (isTable(doc['packages'])) {
    for (const [location, entry] of Object.entries(doc['packages'])) {
      if (!isTable(entry)) {
        warnings.push(warning(LockfileCodes.SKIPPED, `entry ${location || '(root)'} is not an object; skipped`, file, src.lineOf(['packages', location]) ?? 1));
        continue;
      }
      if (location === '') rootEntry = entry;
      installed.set(location, { location, entry, line: src.lineOf(['packages', location]) ?? 1 });
    }
  } else if (isTable(doc['dependencies'])) {
    flattenV1(src, doc['dependencies'], '', ['dependencies'], installed);
  } else if (doc['lockfileVersion'] === undefined) {
    throw lockfileParseError(`${file}: no lockfileVersion, packages or dependencies: not a package-lock.json`, { file, line: 1, col: 1 });
  }
  rootEntry ??= manifestRoot(manifest);

  // Node's resolution: from `from`, look for node_modules/<name>, then in each parent folder.
  const resolveDep = (from: string, name: string): Installed | undefined => {
    for (let loc: string | undefined = from; loc !== undefined; loc = parentLocation(loc)) {
      let hit = installed.get(loc === '' ? `node_modules/${name}` : `${loc}/node_modules/${name}`);
      if (hit?.entry['link'] === true && typeof hit.entry['resolved'] === 'string') hit = installed.get(hit.entry['resolved']) ?? hit;
      if (hit) return hit;
    }
    return undefined;
  };

  // Roots: the project, plus workspace members (non-node_modules folders), all direct.
  const reach = new Map<string, { direct: boolean; path: string[] }>();
  const queue: { at: Installed | undefined; location: string; path: string[]; entry: Table }[] = [];
  if (rootEntry) queue.push({ at: undefined, location: '', path: [], entry: rootEntry });
  for (const inst of installed.values()) {
    if (inst.location !== '' && !inst.location.includes('node_modules/')) queue.push({ at: inst, location: inst.location, path: [], entry: inst.entry });
  }
  // A v1 lock read with its package.json names an alias's package (`"old": "npm:abbrev@1.0.3"`
  // is a requirement of abbrev), which v1 installs under the alias's folder (node_modules/old).
  const aliasedAt = new Map<string, Installed>();
  for (const inst of installed.values()) {
    const folder = inst.location.startsWith('node_modules/') ? inst.location.slice('node_modules/'.length) : undefined;
    if (folder !== undefined && !folder.includes('/node_modules/') && typeof inst.entry['name'] === 'string' && inst.entry['name'] !== folder) aliasedAt.set(inst.entry['name'], inst);
  }
  for (let i = 0; i < queue.length; i++) {
    const { location, path, entry } = queue[i]!;
    for (const name of requiredNames(entry, !location.includes('node_modules/'))) {
      const hit = resolveDep(location, name) ?? (location === '' ? aliasedAt.get(name) : undefined);
      if (!hit || reach.has(hit.location)) continue;
      const depName = typeof hit.entry['name'] === 'string' && hit.location.includes('node_modules/') ? hit.entry['name'] : nameFromLocation(hit.location);
      const nextPath = [...path, depName];
      reach.set(hit.location, { direct: path.length === 0, path: nextPath });
      if (hit.location.includes('node_modules/')) queue.push({ at: hit, location: hit.location, path: nextPath, entry: hit.entry });
    }
  }

  const dependencies: Dependency[] = [];
  for (const inst of installed.values()) {
    const { location, entry, line } = inst;
    if (!location.includes('node_modules/')) continue; // the root and workspace folders
    if (entry['link'] === true) continue; // a symlink to a workspace folder, not a registry package
    // An alias (`"node_modules/foo": { "name": "bar" }`) installs `bar` under another name.
    const name = typeof entry['name'] === 'string' ? entry['name'] : nameFromLocation(location);
    if (!isPackageName(name)) {
      warnings.push(warning(LockfileCodes.SKIPPED, `${location}: package without a name skipped`, file, line));
      continue;
    }
    const rawVersion = typeof entry['version'] === 'string' ? entry['version'] : undefined;
    const resolved = typeof entry['resolved'] === 'string' ? entry['resolved'] : undefined;
    // v1 writes a git or tarball install's source as its version (`git+https://…#sha`).
    const unresolvable = unresolvableFromResolved(resolved) ?? (rawVersion === undefined ? undefined : classifyNpmSpec(name, rawVersion).unresolvable);
    const version = unresolvable ? undefined : rawVersion;
    if (!unresolvable && version === undefined) {
      warnings.push(warning(LockfileCodes.SKIPPED, `${location} has no version; listed unpinned`, file, line));
    }
    // `devOptional` marks a package both the dev tree and an optional production dependency need:
    // `npm ci --omit=dev` still installs it, so it is optional, not dev (`dev` + `optional` is an
    // optional dependency of a dev dependency: dev).
    const group: DependencyGroup = entry['dev'] === true ? 'dev' : entry['optional'] === true || entry['devOptional'] === true ? 'optional' : 'main';
    const r = reach.get(location);
    const integrity = typeof entry['integrity'] === 'string' ? [entry['integrity']] : [];
    dependencies.push(
      lockedDependency({
        ecosystem: 'npm',
        name,
        version,
        unresolvable,
        reach: r,
        rootsKnown: rootEntry !== undefined,
        file,
        line,
        group,
        hashes: integrity,
        bundled: entry['inBundle'] === true || entry['bundled'] === true,
      }),
    );
  }
  return { file, format: 'package-lock.json', dependencies, warnings, errors: [] };
}

/** v1 locks do not record the root's requirements: take them from package.json when given. */
function manifestRoot(manifest: ParseResult | undefined): Table | undefined {
  if (!manifest) return undefined;
  const deps: Record<string, string> = {};
  const dev: Record<string, string> = {};
  for (const d of manifest.dependencies) (d.group === 'dev' ? dev : deps)[d.name] = d.specifier ?? '*';
  return { dependencies: deps, devDependencies: dev };
}
