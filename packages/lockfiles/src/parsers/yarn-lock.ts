import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, lockfileParseError, warning } from '../errors.js';
import type { Dependency, DependencyGroup, ParseResult, Unresolvable } from '../model.js';
import { classifyNpmSpec, unresolvableFromResolved } from '../npm-spec.js';
import { lockedDependency } from '../locked-dependency.js';
import { parseYamlSource } from '../yaml-source.js';
import { walkLockGraph, type LockNode, type LockRoot, type Reach } from '../lock-graph.js';
import { isPackageName } from '../package-name.js';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One lock entry: the descriptors (`name@range`) it satisfies, its fields and its line. */
interface YarnEntry {
  descriptors: string[];
  fields: Table;
  line: number;
}

class UnterminatedString extends Error {}

function unquote(s: string): string {
  const t = s.trim();
  if (t.startsWith('"')) {
    if (t.length < 2 || !t.endsWith('"')) throw new UnterminatedString(t);
    try {
      return JSON.parse(t) as string;
    } catch {
      return t.slice(1, -1);
    }
  }
  return t;
}

/** Split `key value` / `"key" "value"` of a classic yarn.lock line. */
function splitKeyValue(s: string): [string, string | undefined] {
  const t = s.trim();
  if (t.startsWith('"')) {
    const end = t.indexOf('"', 1);
    if (end === -1) throw new UnterminatedString(t);
    return [unquote(t.slice(0, end + 1)), t.slice(end + 1).trim() || undefined];
  }
  const sp = t.search(/\s/);
  return sp === -1 ? [t, undefined] : [t.slice(0, sp), t.slice(sp + 1).trim()];
}

/**
 * Yarn classic (v1) lockfile reader, hand-written: `@yarnpkg/lockfile` is unmaintained (last
 * release 2018) and, like `@yarnpkg/parsers`' `parseSyml`, returns no line numbers, which every
 * finding needs. The format is small: indented `key value` lines under `desc1, desc2:` headers.
 */
function parseClassic(text: string, file: string): YarnEntry[] {
  const entries: YarnEntry[] = [];
  const lines = text.split('\n');
  let current: YarnEntry | undefined;
  let nested: Table | undefined;
  for (let i = 0; i < lines.length; i++) {
    try {
      parseClassicLine(i);
    } catch (err) {
      if (err instanceof UnterminatedString) throw lockfileParseError(`${file}: unterminated string ${err.message}`, { file, line: i + 1, col: 1 });
      throw err;
    }
  }
  return entries;

  function parseClassicLine(i: number): void {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const indent = raw.length - raw.trimStart().length;
    if (indent === 0) {
      if (!raw.endsWith(':')) throw lockfileParseError(`${file}: expected an entry header ending in ":"`, { file, line: i + 1, col: raw.length + 1 }, 'regenerate the file with `yarn install`');
      const descriptors = raw
        .slice(0, -1)
        .split(/,\s*/)
        .map(unquote)
        .filter((d) => d.length > 0);
      current = { descriptors, fields: {}, line: i + 1 };
      nested = undefined;
      entries.push(current);
      return;
    }
    if (!current) throw lockfileParseError(`${file}: indented line outside any entry`, { file, line: i + 1, col: indent + 1 });
    const body = raw.trim();
    if (indent <= 2) {
      if (body.endsWith(':')) {
        nested = {};
        current.fields[unquote(body.slice(0, -1))] = nested;
        return;
      }
      nested = undefined;
      const [key, value] = splitKeyValue(body);
      if (value === undefined) throw lockfileParseError(`${file}: "${key}" has no value`, { file, line: i + 1, col: indent + 1 });
      current.fields[key] = unquote(value);
    } else {
      if (!nested) throw lockfileParseError(`${file}: unexpected indentation`, { file, line: i + 1, col: indent + 1 });
      const [key, value] = splitKeyValue(body);
      nested[key] = value === undefined ? '' : unquote(value);
    }
  }
}

/** Split a descriptor `name@range` (`@scope/name@npm:^1.0.0`) at the first `@` after the name. */
function splitDescriptor(descriptor: string): { name: string; range: string } {
  const at = descriptor.indexOf('@', 1);
  return at === -1 ? { name: descriptor, range: '' } : { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

/** A berry `resolution` (`lodash@npm:4.17.21`, `x@patch:x@npm%3A1.0.0#…`, `app@workspace:.`). */
function berryResolution(resolution: string): { name: string; workspace: boolean; unresolvable?: Unresolvable } {
  const { name, range } = splitDescriptor(resolution);
  if (range.startsWith('workspace:')) return { name, workspace: true };
  if (range.startsWith('npm:')) return { name, workspace: false };
  if (range.startsWith('patch:')) {
    const inner = decodeURIComponent(range.slice('patch:'.length).split('#')[0] ?? '');
    const innerRange = splitDescriptor(inner).range;
    if (innerRange.startsWith('npm:')) return { name, workspace: false };
    return { name, workspace: false, unresolvable: { reason: 'path', spec: range } };
  }
  if (range.startsWith('link:') || range.startsWith('portal:')) return { name, workspace: false, unresolvable: { reason: 'link', spec: range } };
  if (range.startsWith('file:')) return { name, workspace: false, unresolvable: { reason: 'path', spec: range } };
  if (/^(git|github|https?|ssh)[:+]/.test(range) || range.includes('.git#')) return { name, workspace: false, unresolvable: { reason: /\.git|^git|^github|commit=/.test(range) ? 'vcs' : 'url', spec: range } };
  return { name, workspace: false, unresolvable: { reason: 'unknown', spec: range } };
}

/** The registry name an entry installs (aliases and berry resolutions resolved). */
function entryName(e: YarnEntry, berry: boolean): string {
  const first = e.descriptors[0] ?? '';
  if (berry) return berryResolution(typeof e.fields['resolution'] === 'string' ? e.fields['resolution'] : first).name;
  const d = splitDescriptor(first);
  return classifyNpmSpec(d.name, d.range).name;
}

/**
 * Read a `yarn.lock`: classic (v1) or berry (v2+, YAML with `__metadata`). Berry workspace
 * entries give the direct dependencies; for classic, pass the `package.json` parse result as
 * `manifest` to know them (else `direct` is `undefined`).
 *
 * @example
 * ```ts
 * parseYarnLock(text, 'yarn.lock', parsePackageJson(pkg, 'package.json')).dependencies;
 * ```
 */
export function parseYarnLock(text: string, file: string, manifest?: ParseResult): ParseResult {
  const warnings: Diagnostic[] = [];
  const berry = /^__metadata:\s*$/m.test(text);
  let entries: YarnEntry[];
  if (berry) {
    const src = parseYamlSource(text, file, []);
    const top = src.value;
    if (!isTable(top)) throw lockfileParseError(`${file}: expected a YAML mapping`, { file, line: 1, col: 1 });
    entries = Object.entries(top)
      .filter(([k]) => k !== '__metadata')
      .map(([k, v]) => ({ descriptors: k.split(/,\s*/).map((d) => d.trim()), fields: isTable(v) ? v : {}, line: src.topKeyLine(k) ?? 1 }));
  } else {
    entries = parseClassic(text, file);
  }

  const byDescriptor = new Map<string, YarnEntry>();
  // Berry keys a portal:, link:, file: or patch: dependency by its descriptor bound to the
  // package that asked for it (`x@portal:../x::locator=app%40workspace%3A.`), while the asker's
  // `dependencies` write `x: "portal:../x"`: the unbound spelling finds the entry too.
  const byUnboundDescriptor = new Map<string, YarnEntry>();
  for (const e of entries)
    for (const d of e.descriptors) {
      byDescriptor.set(d, e);
      const bound = d.indexOf('::');
      if (berry && bound !== -1 && !byUnboundDescriptor.has(d.slice(0, bound))) byUnboundDescriptor.set(d.slice(0, bound), e);
    }
  /** The entry a berry dependency `name@range` of `from` resolves to, locator-bound or not. */
  const boundEntry = (descriptor: string, from: YarnEntry | undefined): YarnEntry | undefined => {
    const asker = typeof from?.fields['resolution'] === 'string' ? from.fields['resolution'] : undefined;
    return (asker !== undefined ? byDescriptor.get(`${descriptor}::locator=${encodeURIComponent(asker)}`) : undefined) ?? byUnboundDescriptor.get(descriptor);
  };
  const dangling = new Set<string>();
  const edgesOf = (e: YarnEntry): YarnEntry[] => {
    const out: YarnEntry[] = [];
    for (const section of ['dependencies', 'optionalDependencies']) {
      const deps = e.fields[section];
      if (!isTable(deps)) continue;
      for (const [n, range] of Object.entries(deps)) {
        const hit =
          byDescriptor.get(`${n}@${String(range)}`) ?? (berry ? (byDescriptor.get(`${n}@npm:${String(range)}`) ?? boundEntry(`${n}@${String(range)}`, e)) : undefined);
        if (hit) out.push(hit);
        else if (section === 'dependencies' && !String(range).startsWith('workspace:')) dangling.add(`${n}@${String(range)}`);
      }
    }
    return out;
  };

  // Roots: berry workspaces (their dependencies), else package.json's declarations.
  const keyOf = new Map<YarnEntry, string>();
  const nodes = new Map<string, LockNode>();
  entries.forEach((e, i) => {
    const key = `${i}`;
    keyOf.set(e, key);
    nodes.set(key, { key, name: entryName(e, berry), deps: [] });
  });
  for (const e of entries) nodes.get(keyOf.get(e)!)!.deps = edgesOf(e).map((t) => keyOf.get(t)!);
  const manifestGroup = new Map<string, DependencyGroup>();
  for (const d of manifest?.dependencies ?? []) if (d.specifier !== undefined) manifestGroup.set(d.name, d.group);
  const roots: LockRoot[] = [];
  const addRoot = (e: YarnEntry | undefined, group: DependencyGroup): void => {
    if (e) roots.push({ key: keyOf.get(e)!, group });
  };
  const lookup = (n: string, range: string, from: YarnEntry): YarnEntry | undefined => byDescriptor.get(`${n}@${range}`) ?? boundEntry(`${n}@${range}`, from);
  const workspaces = berry ? entries.filter((e) => typeof e.fields['resolution'] === 'string' && berryResolution(e.fields['resolution']).workspace) : [];
  for (const ws of workspaces) {
    // Berry writes all of a workspace's dependencies, dev ones too, under `dependencies`, and
    // optional ones also under `dependenciesMeta`. package.json beside the lock is the root
    // workspace's (`workspace:.`) only: a member's dev dependencies cannot be told from the lock,
    // and are listed as main (never hidden by leaving dev out).
    const isRoot = String(ws.fields['resolution']).endsWith('@workspace:.');
    const meta = isTable(ws.fields['dependenciesMeta']) ? ws.fields['dependenciesMeta'] : {};
    for (const section of ['dependencies', 'optionalDependencies']) {
      const deps = ws.fields[section];
      if (!isTable(deps)) continue;
      for (const [n, range] of Object.entries(deps)) {
        const optional = section === 'optionalDependencies' || (isTable(meta[n]) && meta[n]['optional'] === true);
        addRoot(lookup(n, String(range), ws), (isRoot ? manifestGroup.get(n) : undefined) ?? (optional ? 'optional' : 'main'));
      }
    }
  }
  if (!berry && manifest) {
    for (const d of manifest.dependencies) {
      const declared = d.specifier ?? '';
      // An alias (`"x": "npm:y@^1"`) is keyed by the declared name, which the manifest result renamed.
      const hit = declared.startsWith('npm:') ? [...byDescriptor.entries()].find(([k]) => k.endsWith(`@${declared}`))?.[1] : byDescriptor.get(`${d.name}@${declared}`);
      addRoot(hit, d.group);
    }
  }
  const reachByKey = walkLockGraph(nodes, roots);
  const reach = new Map<YarnEntry, { direct: boolean; path: string[]; group: DependencyGroup }>();
  for (const e of entries) {
    const r = reachByKey.get(keyOf.get(e)!);
    if (r) reach.set(e, r);
  }
  if (dangling.size > 0) {
    const list = [...dangling];
    warnings.push(warning(LockfileCodes.SKIPPED, `${list.length} dependency reference(s) have no entry in the lock: ${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''}`, file, 1, 'the lock is truncated or out of date; run `yarn install`'));
  }
  const rootsKnown = workspaces.length > 0 || (!berry && manifest !== undefined);

  const dependencies: Dependency[] = [];
  // Where each install (`name@version`) sits in `dependencies`, and how its entry is reached.
  const listed = new Map<string, { at: number; reach: Reach | undefined }>();
  for (const e of entries) {
    const first = e.descriptors[0];
    if (!first) continue;
    const declared = splitDescriptor(first);
    let name = declared.name;
    let unresolvable: Unresolvable | undefined;
    if (berry) {
      const resolution = typeof e.fields['resolution'] === 'string' ? e.fields['resolution'] : first;
      const res = berryResolution(resolution);
      if (res.workspace) continue; // the project itself
      name = res.name;
      unresolvable = res.unresolvable;
    } else {
      const spec = classifyNpmSpec(declared.name, declared.range);
      name = spec.name;
      unresolvable = spec.unresolvable ?? unresolvableFromResolved(typeof e.fields['resolved'] === 'string' ? e.fields['resolved'] : undefined);
    }
    if (!isPackageName(name)) {
      warnings.push(warning(LockfileCodes.SKIPPED, `${first}: entry without a package name skipped`, file, e.line));
      continue;
    }
    // A YAML scalar (berry) may read as a number; a list or a mapping is no version.
    const field = e.fields['version'];
    const rawVersion = typeof field === 'string' ? field : typeof field === 'number' ? String(field) : undefined;
    const version = unresolvable ? undefined : rawVersion;
    if (!unresolvable && version === undefined) warnings.push(warning(LockfileCodes.SKIPPED, `${first} has ${field === undefined ? 'no version' : 'a version that is not text'}; listed unpinned`, file, e.line));
    // Berry lists a patched package (`resolve@patch:…`, the project's own patches) beside the
    // plain one: one install, listed once, as the entry the project's dependencies reach (the
    // patched one, when the project depends on the patch).
    const once = `${name}@${version ?? first}`;
    const r = reach.get(e);
    const seen = listed.get(once);
    if (seen && !reachesCloser(r, seen.reach)) continue;
    const hash = typeof e.fields['integrity'] === 'string' ? e.fields['integrity'] : typeof e.fields['checksum'] === 'string' ? e.fields['checksum'] : undefined;
    const dependency = lockedDependency({
      ecosystem: 'npm',
      name,
      version,
      unresolvable,
      reach: r,
      rootsKnown,
      file,
      line: e.line,
      group: r?.group ?? 'main',
      hashes: hash ? [hash] : [],
    });
    if (seen) dependencies[seen.at] = dependency;
    else dependencies.push(dependency);
    listed.set(once, { at: seen ? seen.at : dependencies.length - 1, reach: r });
  }
  return { file, format: 'yarn.lock', dependencies, warnings, errors: [] };
}

/** Whether reach `a` is closer to the project than `b`: direct beats transitive beats unreached. */
function reachesCloser(a: Reach | undefined, b: Reach | undefined): boolean {
  const rank = (r: Reach | undefined): number => (r === undefined ? 0 : r.direct ? 2 : 1);
  return rank(a) > rank(b);
}
