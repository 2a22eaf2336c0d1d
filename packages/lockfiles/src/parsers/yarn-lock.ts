import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, lockfileParseError, warning } from '../errors.js';
import type { Dependency, DependencyGroup, ParseResult, Unresolvable } from '../model.js';
import { classifyNpmSpec, unresolvableFromResolved } from '../npm-spec.js';
import { lockedDependency } from '../locked-dependency.js';
import { parseYamlSource } from '../yaml-source.js';
import { readBerryLayout } from './berry-layout.js';
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

/** The characters `String.prototype.trim` removes (ECMAScript WhiteSpace and LineTerminator). */
function isTrimmed(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.startsWith('"')) {
    if (t.length < 2 || !t.endsWith('"')) throw new UnterminatedString(t);
    // Without a backslash JSON.parse could only return the inner text or fail (and fall back to
    // it): skip it, as nearly every quoted value in a lock has no escape.
    if (!t.includes('\\')) return t.slice(1, -1);
    try {
      return JSON.parse(t) as string;
    } catch {
      return t.slice(1, -1);
    }
  }
  return t;
}

/** Split `key value` / `"key" "value"` of a classic yarn.lock line (`t` is trimmed). */
function splitKeyValue(t: string): [string, string | undefined] {
  if (t.startsWith('"')) {
    const end = t.indexOf('"', 1);
    if (end === -1) throw new UnterminatedString(t);
    return [unquote(t.slice(0, end + 1)), t.slice(end + 1).trim() || undefined];
  }
  let sp = 0;
  while (sp < t.length && !isTrimmed(t.charCodeAt(sp))) sp++;
  return sp === t.length ? [t, undefined] : [t.slice(0, sp), t.slice(sp + 1).trim()];
}

const HEADER_SEPARATOR = /,\s*/;

/**
 * Yarn classic (v1) lockfile reader, hand-written: `@yarnpkg/lockfile` is unmaintained (last
 * release 2018) and, like `@yarnpkg/parsers`' `parseSyml`, returns no line numbers, which every
 * finding needs. The format is small: indented `key value` lines under `desc1, desc2:` headers.
 * It walks the text line by line in place (no array of all lines, one string per line at most):
 * a 150,000-entry lock holds about a million lines.
 */
function parseClassic(text: string, file: string): YarnEntry[] {
  const entries: YarnEntry[] = [];
  let current: YarnEntry | undefined;
  let nested: Table | undefined;
  let line = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    try {
      parseClassicLine(start, end);
    } catch (err) {
      if (err instanceof UnterminatedString) throw lockfileParseError(`${file}: unterminated string ${err.message}`, { file, line, col: 1 });
      throw err;
    }
    start = end + 1;
  }
  return entries;

  function parseClassicLine(start: number, lineEnd: number): void {
    // The line without its `\r`, and where its text starts and ends (what trim() would keep).
    const rawEnd = lineEnd > start && text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
    let first = start;
    while (first < rawEnd && isTrimmed(text.charCodeAt(first))) first++;
    if (first === rawEnd || text.charCodeAt(first) === 0x23 /* # */) return;
    let last = rawEnd;
    while (isTrimmed(text.charCodeAt(last - 1))) last--;
    const indent = first - start;
    if (indent === 0) {
      if (text.charCodeAt(rawEnd - 1) !== 0x3a /* : */) throw lockfileParseError(`${file}: expected an entry header ending in ":"`, { file, line, col: rawEnd - start + 1 }, 'regenerate the file with `yarn install`');
      const descriptors = text
        .slice(start, rawEnd - 1)
        .split(HEADER_SEPARATOR)
        .map(unquote)
        .filter((d) => d.length > 0);
      current = { descriptors, fields: {}, line };
      nested = undefined;
      entries.push(current);
      return;
    }
    if (!current) throw lockfileParseError(`${file}: indented line outside any entry`, { file, line, col: indent + 1 });
    const body = text.slice(first, last);
    if (indent <= 2) {
      if (body.endsWith(':')) {
        // Without a prototype V8 keeps it as a hash table: `{}` would get a hidden class per set
        // of package names, hundreds of thousands of them in a big lock.
        nested = Object.create(null) as Table;
        current.fields[unquote(body.slice(0, -1))] = nested;
        return;
      }
      nested = undefined;
      const [key, value] = splitKeyValue(body);
      if (value === undefined) throw lockfileParseError(`${file}: "${key}" has no value`, { file, line, col: indent + 1 });
      current.fields[key] = unquote(value);
    } else {
      if (!nested) throw lockfileParseError(`${file}: unexpected indentation`, { file, line, col: indent + 1 });
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

/**
 * Whether a `yarn.lock` is berry's (v2+): a `__metadata:` line, as `^__metadata:\s*$` with the
 * `m` flag finds it, without running a regular expression over a huge lock.
 */
export function isBerryLock(text: string): boolean {
  const isLineBreak = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
  for (let at = text.indexOf('__metadata:'); at !== -1; at = text.indexOf('__metadata:', at + 1)) {
    if (at > 0 && !isLineBreak(text.charCodeAt(at - 1))) continue;
    let i = at + '__metadata:'.length;
    while (i < text.length && isTrimmed(text.charCodeAt(i)) && !isLineBreak(text.charCodeAt(i))) i++;
    if (i === text.length || isLineBreak(text.charCodeAt(i))) return true;
  }
  return false;
}

/** What an entry installs: its registry name, and why it cannot be looked up, if it cannot. */
interface Installs {
  name: string;
  unresolvable: Unresolvable | undefined;
  /** For a berry workspace (the project itself): its folder relative to the lock's (`.`, `packages/app`). */
  workspace: string | undefined;
}

function installsOf(e: YarnEntry, berry: boolean): Installs {
  const first = e.descriptors[0] ?? '';
  if (berry) {
    const resolution = typeof e.fields['resolution'] === 'string' ? e.fields['resolution'] : first;
    const res = berryResolution(resolution);
    return { name: res.name, unresolvable: res.unresolvable, workspace: res.workspace ? splitDescriptor(resolution).range.slice('workspace:'.length) : undefined };
  }
  const declared = splitDescriptor(first);
  const spec = classifyNpmSpec(declared.name, declared.range);
  return { name: spec.name, unresolvable: spec.unresolvable ?? unresolvableFromResolved(typeof e.fields['resolved'] === 'string' ? e.fields['resolved'] : undefined), workspace: undefined };
}

/**
 * The group of each dependency a package.json declares, asked by what a berry workspace entry
 * writes for it: its name and range (`lodash: "npm:^4.17.21"`). An alias (`"lodash3":
 * "npm:lodash@3.10.1"`) is found by its range, written as declared: the manifest result lists
 * it under the package it installs, whose own declaration (in another group) it must not hide.
 */
type DeclaredGroups = (name: string, range: string) => DependencyGroup | undefined;

function declaredGroups(manifest: ParseResult | undefined): DeclaredGroups {
  const byName = new Map<string, DependencyGroup>();
  const byAliasRange = new Map<string, DependencyGroup>();
  for (const d of manifest?.dependencies ?? []) {
    if (d.specifier === undefined) continue;
    const spec = d.specifier.trim();
    if (spec.startsWith('npm:')) byAliasRange.set(spec, d.group);
    else byName.set(d.name, d.group);
  }
  return (name, range) => (range.startsWith('npm:') ? byAliasRange.get(range) : undefined) ?? byName.get(name);
}

/**
 * Read a `yarn.lock`: classic (v1) or berry (v2+, YAML with `__metadata`). Berry workspace
 * entries give the direct dependencies; for classic, pass the `package.json` parse result as
 * `manifest` to know them (else `direct` is `undefined`).
 *
 * Neither format records which dependencies are dev ones: they come from the package.json files.
 * `manifest` is the root's; `members` are workspace members', by folder relative to the lock's
 * (`packages/app`). A package reached only from a devDependencies entry of the root or of a
 * member is `dev`.
 *
 * @example
 * ```ts
 * parseYarnLock(text, 'yarn.lock', parsePackageJson(pkg, 'package.json')).dependencies;
 * ```
 */
export function parseYarnLock(text: string, file: string, manifest?: ParseResult, members?: ReadonlyMap<string, ParseResult>): ParseResult {
  const warnings: Diagnostic[] = [];
  const berry = isBerryLock(text);
  let entries: YarnEntry[];
  if (berry) {
    entries = [];
    const layout = readBerryLayout(text);
    const toEntry = (key: string, value: unknown, line: number): YarnEntry => ({ descriptors: key.split(HEADER_SEPARATOR).map((d) => d.trim()), fields: isTable(value) ? value : {}, line });
    if (layout) {
      for (const { key, value, line } of layout) if (key !== '__metadata') entries.push(toEntry(key, value, line));
    } else {
      // Not in the layout yarn writes (hand-edited, or malformed: js-yaml then says where).
      const src = parseYamlSource(text, file, []);
      const top = src.value;
      if (!isTable(top)) throw lockfileParseError(`${file}: expected a YAML mapping`, { file, line: 1, col: 1 });
      for (const [k, v] of Object.entries(top)) if (k !== '__metadata') entries.push(toEntry(k, v, src.topKeyLine(k) ?? 1));
    }
  } else {
    entries = parseClassic(text, file);
  }

  // Entries are known by their index in `entries` from here on (graph keys, reach).
  const installs = entries.map((e) => installsOf(e, berry));
  const byDescriptor = new Map<string, number>();
  // Berry keys a portal:, link:, file: or patch: dependency by its descriptor bound to the
  // package that asked for it (`x@portal:../x::locator=app%40workspace%3A.`), while the asker's
  // `dependencies` write `x: "portal:../x"`: the unbound spelling finds the entry too.
  const byUnboundDescriptor = new Map<string, number>();
  entries.forEach((e, i) => {
    for (const d of e.descriptors) {
      byDescriptor.set(d, i);
      const bound = berry ? d.indexOf('::') : -1;
      if (bound !== -1 && !byUnboundDescriptor.has(d.slice(0, bound))) byUnboundDescriptor.set(d.slice(0, bound), i);
    }
  });
  /** The entry a dependency `name@range` of `from` resolves to: exactly, else (berry) bound to `from` or not. */
  const lookup = (descriptor: string, from: YarnEntry): number | undefined => {
    const hit = byDescriptor.get(descriptor);
    if (hit !== undefined || !berry) return hit;
    const asker = typeof from.fields['resolution'] === 'string' ? from.fields['resolution'] : undefined;
    return (asker !== undefined ? byDescriptor.get(`${descriptor}::locator=${encodeURIComponent(asker)}`) : undefined) ?? byUnboundDescriptor.get(descriptor);
  };
  // The dependencies each workspace's package.json declares, and in which group.
  const groupsOf = (path: string | undefined): DeclaredGroups | undefined =>
    path === undefined ? undefined : path === '.' ? rootGroups : memberGroups.get(path);
  const rootGroups = declaredGroups(manifest);
  const memberGroups = new Map([...(members ?? [])].map(([path, m]) => [path, declaredGroups(m)]));

  const dangling = new Set<string>();
  const nodes = new Map<number, LockNode<number>>();
  entries.forEach((e, i) => {
    const deps: number[] = [];
    // A workspace reached as another's dependency brings its own dependencies, not its dev tools.
    const declared = groupsOf(installs[i]!.workspace);
    for (const section of ['dependencies', 'optionalDependencies']) {
      const table = e.fields[section];
      if (!isTable(table)) continue;
      for (const n in table) {
        const range = String(table[n]);
        const hit = byDescriptor.get(`${n}@${range}`) ?? (berry ? (byDescriptor.get(`${n}@npm:${range}`) ?? lookup(`${n}@${range}`, e)) : undefined);
        if (hit !== undefined) {
          if (declared?.(n, range) !== 'dev') deps.push(hit);
        } else if (section === 'dependencies' && !range.startsWith('workspace:')) dangling.add(`${n}@${range}`);
      }
    }
    nodes.set(i, { key: i, name: installs[i]!.name, deps });
  });

  // Roots: berry workspaces (their dependencies), else package.json's declarations.
  const roots: LockRoot<number>[] = [];
  const addRoot = (i: number | undefined, group: DependencyGroup): void => {
    if (i !== undefined) roots.push({ key: i, group });
  };
  let workspaces = 0;
  entries.forEach((ws, i) => {
    const path = installs[i]!.workspace;
    if (path === undefined) return;
    workspaces++;
    // Berry writes all of a workspace's dependencies, dev ones too, under `dependencies`, and
    // optional ones also under `dependenciesMeta`; which are dev ones only its package.json says
    // (a workspace whose package.json is not known has them listed as main, never hidden).
    const declared = groupsOf(path);
    const meta = isTable(ws.fields['dependenciesMeta']) ? ws.fields['dependenciesMeta'] : {};
    for (const section of ['dependencies', 'optionalDependencies']) {
      const deps = ws.fields[section];
      if (!isTable(deps)) continue;
      for (const n in deps) {
        const optional = section === 'optionalDependencies' || (isTable(meta[n]) && meta[n]['optional'] === true);
        const range = String(deps[n]);
        addRoot(lookup(`${n}@${range}`, ws), declared?.(n, range) ?? (optional ? 'optional' : 'main'));
      }
    }
  });
  if (!berry) {
    // Classic records no workspaces: the root's and the members' package.json files are the roots.
    for (const declaring of [manifest, ...(members?.values() ?? [])]) {
      for (const d of declaring?.dependencies ?? []) {
        const declared = d.specifier ?? '';
        // An alias (`"x": "npm:y@^1"`) is keyed by the declared name, which the manifest result renamed.
        const hit = declared.startsWith('npm:') ? [...byDescriptor.entries()].find(([k]) => k.endsWith(`@${declared}`))?.[1] : byDescriptor.get(`${d.name}@${declared}`);
        addRoot(hit, d.group);
      }
    }
  }
  const reach = walkLockGraph(nodes, roots);
  // Held until this function returns otherwise: let a huge lock's index and graph go before the
  // records are built, the moment memory peaks.
  byDescriptor.clear();
  byUnboundDescriptor.clear();
  nodes.clear();
  if (dangling.size > 0) {
    const list = [...dangling];
    warnings.push(warning(LockfileCodes.SKIPPED, `${list.length} dependency reference(s) have no entry in the lock: ${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''}`, file, 1, 'the lock is truncated or out of date; run `yarn install`'));
  }
  const rootsKnown = workspaces > 0 || (!berry && manifest !== undefined);

  const dependencies: Dependency[] = [];
  // Where each install (`name@version`) sits in `dependencies`, and how its entry is reached.
  const listed = new Map<string, { at: number; reach: Reach | undefined }>();
  entries.forEach((e, i) => {
    const first = e.descriptors[0];
    if (!first) return;
    const { name, unresolvable, workspace } = installs[i]!;
    if (workspace !== undefined) return; // the project itself
    if (!isPackageName(name)) {
      warnings.push(warning(LockfileCodes.SKIPPED, `${first}: entry without a package name skipped`, file, e.line));
      return;
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
    const r = reach.get(i);
    const seen = listed.get(once);
    if (seen && !reachesCloser(r, seen.reach)) return;
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
  });
  return { file, format: 'yarn.lock', dependencies, warnings, errors: [] };
}

/** Whether reach `a` is closer to the project than `b`: direct beats transitive beats unreached. */
function reachesCloser(a: Reach | undefined, b: Reach | undefined): boolean {
  const rank = (r: Reach | undefined): number => (r === undefined ? 0 : r.direct ? 2 : 1);
  return rank(a) > rank(b);
}
