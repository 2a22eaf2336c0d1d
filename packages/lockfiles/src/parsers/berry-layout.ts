/**
 * A fast reader for the one YAML layout yarn berry writes its `yarn.lock` in: `"descriptor":`
 * entries at column 0, two spaces per level, one `key: value` per line, values plain or
 * double-quoted without escapes. It gives what js-yaml (core schema) gives for such a file, plus
 * each entry's line, at a fraction of the cost: js-yaml took ~60% of the time and most of the
 * memory for a 150,000-entry lock, much of it giving every dependency table its own hidden class.
 *
 * Anything else YAML allows (flow collections, block scalars, escapes, anchors, comments inside
 * entries, odd indentation) makes it return `undefined`, and the caller parses the file with
 * js-yaml, which also reports malformed files at their line and column.
 */
import { CORE_SCHEMA } from 'js-yaml';

type Table = Record<string, unknown>;

/** One top-level key of the lock, its value and its 1-based line. */
export interface BerryLayoutEntry {
  key: string;
  value: Table | null;
  line: number;
}

interface ImplicitType {
  resolve(data: string): boolean;
  construct(data: string): unknown;
}
// js-yaml's own resolvers for plain scalars (null, bool, int, float), so `version: 1.10` reads
// as the number 1.1 here too, exactly as js-yaml reads it.
const IMPLICIT = (CORE_SCHEMA as unknown as { compiledImplicit: ImplicitType[] }).compiledImplicit;

// What js-yaml refuses anywhere in a stream (its PATTERN_NON_PRINTABLE).
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.~-]*$/;
// A plain value yarn writes: no indicator first, no `: ` or ` #` inside, not ending in `:`.
const PLAIN_VALUE = /^[A-Za-z0-9_./~^<=+(][^\t]*$/;

/** A plain scalar as the core schema reads it. Only these first characters can be anything but text. */
function plainScalar(text: string): unknown {
  if (!/^[0-9+\-.~nNtTfF]/.test(text)) return text;
  for (const type of IMPLICIT) if (type.resolve(text)) return type.construct(text);
  return text;
}

/** A value after `key: `, or `NOT_LAYOUT` when it is not one the fast reader is sure of. */
const NOT_LAYOUT = Symbol('not the berry layout');
function scalarAt(text: string): unknown {
  if (text.startsWith('"')) {
    const close = text.indexOf('"', 1);
    return close === text.length - 1 && !text.includes('\\') ? text.slice(1, -1) : NOT_LAYOUT;
  }
  if (!PLAIN_VALUE.test(text) || text.includes(': ') || text.includes(' #') || text.endsWith(':')) return NOT_LAYOUT;
  return plainScalar(text);
}

/** A key before `:`, or `NOT_LAYOUT`. */
function keyOf(text: string): string | typeof NOT_LAYOUT {
  if (text.startsWith('"')) return text.length >= 2 && text.endsWith('"') && text.indexOf('"', 1) === text.length - 1 && !text.includes('\\') ? text.slice(1, -1) : NOT_LAYOUT;
  // js-yaml turns a key that reads as null, a boolean or a number into text (`true` → "true").
  return PLAIN_KEY.test(text) ? String(plainScalar(text)) : NOT_LAYOUT;
}

/**
 * The top-level entries of a berry `yarn.lock`, or `undefined` when the text is not in the
 * layout yarn writes (then parse it with js-yaml).
 *
 * @example
 * ```ts
 * readBerryLayout('"ms@npm:^2.1.3":\n  version: 2.1.3\n'); // [{ key: 'ms@npm:^2.1.3', value: { version: '2.1.3' }, line: 1 }]
 * ```
 */
export function readBerryLayout(text: string): BerryLayoutEntry[] | undefined {
  // A lone `\r` is a line break to YAML; tabs and what js-yaml refuses are left to js-yaml.
  if (text.includes('\t') || NON_PRINTABLE.test(text) || /\r(?!\n)/.test(text)) return undefined;
  const entries: BerryLayoutEntry[] = [];
  const at = new Map<string, number>();
  // Open tables by depth: stack[0] is the current entry's (indent 2), stack[1] a section's (indent 4)…
  const stack: Table[] = [];
  // A `key:` line with nothing after it: its table is made when its first child line comes.
  let pending: { table: Table | undefined; key: string; depth: number } | undefined;
  let line = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    let stop = end;
    if (text.charCodeAt(stop - 1) === 0x0d) stop--;
    while (stop > start && text.charCodeAt(stop - 1) === 0x20) stop--;
    let first = start;
    while (first < stop && text.charCodeAt(first) === 0x20) first++;
    const lineStart = start;
    start = end + 1;
    if (first === stop) continue; // blank
    const indent = first - lineStart;
    if (text.charCodeAt(first) === 0x23 /* # */) {
      if (indent === 0) continue;
      return undefined;
    }
    if (indent % 2 !== 0) return undefined;
    const depth = indent / 2; // 0: an entry; 1: a field; 2: a section's key…
    const body = text.slice(first, stop);
    // The key ends at the `:` that ends the line or is followed by a space, after any quoted part.
    const searchFrom = body.startsWith('"') ? body.indexOf('"', 1) + 1 : 0;
    if (searchFrom === 0 && body.startsWith('"')) return undefined;
    let colon = body.indexOf(':', searchFrom);
    while (colon !== -1 && colon !== body.length - 1 && body.charCodeAt(colon + 1) !== 0x20) colon = body.indexOf(':', colon + 1);
    if (colon <= 0) return undefined;
    const key = keyOf(body.slice(0, colon));
    // `__proto__` would set a plain object's prototype, where js-yaml makes it a key.
    if (key === NOT_LAYOUT || key === '__proto__') return undefined;
    let restAt = colon + 1;
    while (body.charCodeAt(restAt) === 0x20) restAt++;
    const rest = body.slice(restAt); // spaces only: trimStart() would also eat a BOM, which YAML keeps
    if (depth === 0) {
      if (rest !== '') return undefined;
      pending = { table: undefined, key, depth: 0 };
      stack.length = 0;
      const previous = at.get(key);
      // A repeated key keeps its first place and takes the last value, as in js-yaml.
      const entry: BerryLayoutEntry = { key, value: null, line };
      if (previous === undefined) {
        at.set(key, entries.length);
        entries.push(entry);
      } else entries[previous] = entry;
      continue;
    }
    if (pending && depth === pending.depth + 1) {
      // An entry's fields share their few names, which V8 stores best as a plain object; deeper
      // tables (dependencies by name) are hash tables, not one hidden class per set of names.
      const table = pending.depth === 0 ? {} : (Object.create(null) as Table);
      if (pending.depth === 0) entries[at.get(pending.key)!]!.value = table;
      else pending.table![pending.key] = table;
      stack.length = pending.depth;
      stack.push(table);
      pending = undefined;
    } else if (depth > stack.length) {
      return undefined; // deeper than any open table
    } else {
      pending = undefined;
      stack.length = depth;
    }
    const table = stack[depth - 1]!;
    if (rest === '') {
      table[key] = null;
      pending = { table, key, depth };
      continue;
    }
    const value = scalarAt(rest);
    if (value === NOT_LAYOUT) return undefined;
    table[key] = value;
  }
  return entries.length > 0 ? entries : undefined;
}
