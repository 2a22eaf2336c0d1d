/**
 * Version ordering per ecosystem. OSV `ECOSYSTEM` ranges are compared with the ecosystem's own
 * rules (PEP 440 for PyPI, node-semver for npm); `SEMVER` ranges always use SemVer 2.0.
 */
import { createRequire } from 'node:module';
import pep440 from '@renovatebot/pep440';

// The two semver functions only (the full entry loads every module), and only once an npm
// version or a SEMVER range is compared: a PyPI-only scan never loads semver.
let semverFunctions: { compare: typeof import('semver/functions/compare.js'); valid: typeof import('semver/functions/valid.js') } | undefined;
function semver(): NonNullable<typeof semverFunctions> {
  if (!semverFunctions) {
    const require = createRequire(import.meta.url);
    semverFunctions = { compare: require('semver/functions/compare.js'), valid: require('semver/functions/valid.js') };
  }
  return semverFunctions;
}

/** How one ecosystem parses and orders versions. */
export interface VersionScheme {
  /** Scheme name, shown in diagnostics (`pep440`, `semver`). */
  readonly name: string;
  /** True when `version` can be ordered by this scheme. */
  isValid(version: string): boolean;
  /** Negative, zero or positive like `Array.prototype.sort`. Both versions must be valid. */
  compare(a: string, b: string): number;
  /** A string equal for versions that compare equal (`1.0` and `1.0.0` on PyPI); undefined when invalid. */
  canonical(version: string): string | undefined;
}

/** A PEP 440 version reduced to the tuple it sorts by (packaging's `_cmpkey`). */
interface Pep440Key {
  epoch: number;
  release: number[];
  /** [rank, number]: rank -1 for dev-only releases, 0 a, 1 b, 2 rc, 3 final. */
  pre: [number, number];
  post: number;
  dev: number;
  local: Array<number | string> | null;
}

// `@renovatebot/pep440` parses; its `compare` re-parses both strings on every call (~20 µs),
// which made matching a package with a long `versions` list take ~30 ms. So each distinct
// string is parsed once (memoised) and the keys are compared here, following packaging's
// `_cmpkey` exactly; a test checks this order against the library's `compare` on real data.
const pep440Keys = new Map<string, Pep440Key | null>();
const PRE_RANK: Record<string, number> = { a: 0, b: 1, rc: 2 };

function pep440Key(version: string): Pep440Key | null {
  let key = pep440Keys.get(version);
  if (key !== undefined) return key;
  const e = pep440.explain(version);
  if (!e) key = null;
  else {
    const release = [...e.release];
    while (release.length > 1 && release[release.length - 1] === 0) release.pop();
    const pre: [number, number] = e.pre
      ? [PRE_RANK[e.pre[0] as string] ?? 2, Number(e.pre[1])]
      : e.post === null && e.dev !== null
        ? [-1, 0]
        : [3, 0];
    key = {
      epoch: e.epoch,
      release,
      pre,
      post: e.post === null ? -1 : Number(e.post),
      dev: e.dev === null ? Number.POSITIVE_INFINITY : Number(e.dev),
      local: e.local === null ? null : e.local.split(/[._-]/).map((part) => (/^\d+$/.test(part) ? Number(part) : part.toLowerCase())),
    };
  }
  pep440Keys.set(version, key);
  return key;
}

function compareLocal(a: Array<number | string> | null, b: Array<number | string> | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return x - y;
    } else if (typeof x === 'number') return 1; // numeric parts sort after alphanumeric ones
    else if (typeof y === 'number') return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function comparePep440Keys(a: Pep440Key, b: Pep440Key): number {
  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  for (let i = 0; i < Math.max(a.release.length, b.release.length); i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d !== 0) return d;
  }
  if (a.pre[0] !== b.pre[0]) return a.pre[0] - b.pre[0];
  if (a.pre[1] !== b.pre[1]) return a.pre[1] - b.pre[1];
  if (a.post !== b.post) return a.post - b.post;
  if (a.dev !== b.dev) return a.dev < b.dev ? -1 : 1;
  return compareLocal(a.local, b.local);
}

// Sort keys: a PEP 440 version as a string whose plain string order is the version order, so
// the index can store them (a warm scan then parses only the installed versions, not every
// bound of every advisory) and a comparison is one string comparison. Each field is
// self-delimiting: a number is its digit count (as a letter) then its digits, the release ends
// with `.` (below any number, so `1` < `1.0.1`: trailing zeros are already stripped), markers
// rank pre (dev-only < a < b < rc < final), post (none < n), dev (n < none) and local (none <
// segments; a letter segment ends with a space and sorts below a number segment). A number
// beyond 2^53 has no exact key; such versions are compared by their parsed keys.
function sortKeyOf(k: Pep440Key): string | undefined {
  const localNumbers = (k.local ?? []).filter((seg): seg is number => typeof seg === 'number');
  const numbers = [k.epoch, ...k.release, k.pre[1], ...(k.post >= 0 ? [k.post] : []), ...(Number.isFinite(k.dev) ? [k.dev] : []), ...localNumbers];
  if (!numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) return undefined;
  const num = (n: number): string => `${String.fromCharCode(0x41 + String(n).length)}${n}`;
  let key = num(k.epoch);
  for (const r of k.release) key += num(r);
  key += `.${String.fromCharCode(0x42 + k.pre[0])}${num(k.pre[1])}`;
  key += k.post < 0 ? 'A' : `B${num(k.post)}`;
  key += Number.isFinite(k.dev) ? `A${num(k.dev)}` : 'B';
  if (k.local === null) return `${key}A`;
  key += 'B';
  for (const seg of k.local) key += typeof seg === 'number' ? `C${num(seg)}` : `B${seg} `;
  return `${key}!`;
}

const pep440SortKeys = new Map<string, string | null>();

/**
 * The sort key of a PEP 440 version: comparing two keys as strings orders the versions exactly
 * like {@link pep440Scheme}. Undefined for invalid versions and the rare ones with numbers
 * too large for an exact key.
 *
 * @example
 * ```ts
 * pep440SortKey('1.0') === pep440SortKey('1.0.0'); // true
 * pep440SortKey('1.0rc1')! < pep440SortKey('1.0')!; // true
 * ```
 */
export function pep440SortKey(version: string): string | undefined {
  let key = pep440SortKeys.get(version);
  if (key === undefined) {
    const parsed = PLAIN_RELEASE.test(version) ? plainReleaseKey(version) : pep440Key(version);
    key = (parsed && sortKeyOf(parsed)) ?? null;
    pep440SortKeys.set(version, key);
  }
  return key ?? undefined;
}

// Nearly every pin is a plain release (`2.31.0`), whose PEP 440 reading is just its numbers:
// it skips the library's full PEP 440 regex, ~6 µs a version in a fresh process (~4 ms of a
// 700-pin scan). The order test checks these keys against the library's order.
const PLAIN_RELEASE = /^\d+(?:\.\d+)*$/;

function plainReleaseKey(version: string): Pep440Key {
  const release = version.split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  return { epoch: 0, release, pre: [3, 0], post: -1, dev: Number.POSITIVE_INFINITY, local: null };
}

/**
 * PEP 440 ordering (pre-, post-, dev-releases, epochs and local versions); parsing by
 * `@renovatebot/pep440`.
 *
 * @example
 * ```ts
 * pep440Scheme.compare('1.0.dev1', '1.0a1'); // < 0
 * ```
 */
export const pep440Scheme: VersionScheme = {
  name: 'pep440',
  isValid(version) {
    return pep440SortKeys.get(version) != null || pep440Key(version) !== null;
  },
  compare(a, b) {
    // Sort keys when one side already has one: the other side's key is made once. When neither
    // has (an index build parsing every listed version), the parsed keys are compared and no
    // key strings are built.
    const knownA = pep440SortKeys.get(a);
    const knownB = pep440SortKeys.get(b);
    if (knownA !== undefined || knownB !== undefined) {
      const sa = knownA ?? pep440SortKey(a);
      const sb = knownB ?? pep440SortKey(b);
      if (typeof sa === 'string' && typeof sb === 'string') return sa < sb ? -1 : sa > sb ? 1 : 0;
    }
    const ka = pep440Key(a);
    const kb = pep440Key(b);
    if (!ka || !kb) throw new Error(`not a PEP 440 version: ${ka ? b : a}`);
    return comparePep440Keys(ka, kb);
  },
  canonical(version) {
    let c = pep440Canonical.get(version);
    if (c === undefined && !pep440Canonical.has(version)) {
      c = pep440CanonicalOf(version);
      pep440Canonical.set(version, c);
    }
    return c;
  },
};

const pep440Canonical = new Map<string, string | undefined>();

function pep440CanonicalOf(version: string): string | undefined {
    const k = pep440Key(version);
    if (!k) return undefined;
    // Normalised form with trailing release zeros dropped: `1.0.0` → `1`, `2.0RC1` → `2rc1`.
    const pre = k.pre[0] >= 0 && k.pre[0] <= 2 ? `${['a', 'b', 'rc'][k.pre[0]]}${k.pre[1]}` : '';
    return `${k.epoch ? `${k.epoch}!` : ''}${k.release.join('.')}${pre}${k.post >= 0 ? `.post${k.post}` : ''}${
      Number.isFinite(k.dev) ? `.dev${k.dev}` : ''
    }${k.local ? `+${k.local.join('.')}` : ''}`;
}

/**
 * SemVer 2.0 precedence via node-semver (used for npm and for `SEMVER` ranges).
 *
 * @example
 * ```ts
 * semverScheme.compare('1.0.0-rc.1', '1.0.0'); // < 0
 * ```
 */
export const semverScheme: VersionScheme = {
  name: 'semver',
  isValid(version) {
    return semver().valid(version) !== null;
  },
  compare(a, b) {
    return semver().compare(a, b);
  },
  canonical(version) {
    // Build metadata does not take part in SemVer precedence.
    return semver().valid(version)?.replace(/\+.*$/, '') ?? undefined;
  },
};

// A SemVer version written without its minor or patch (`1.0`, `v2`), as some GitHub advisories
// have it (node-fetch's GHSA-r683-j2x4-v87g: `introduced: "1.0"`).
const PARTIAL_SEMVER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

function semverBoundOf(text: string): string | undefined {
  if (semverScheme.isValid(text)) return text;
  const m = PARTIAL_SEMVER.exec(text.trim());
  if (!m) return undefined;
  const padded = `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}${m[4] ?? ''}${m[5] ?? ''}`;
  return semverScheme.isValid(padded) ? padded : undefined;
}

/**
 * A SemVer range bound as osv.dev reads it, or undefined when it names no version. A bound
 * missing its minor or patch is padded with zeros (`1.0` → `1.0.0`, like osv.dev's
 * `semver_index.coerce`): read as invalid it would open no interval, and the versions it starts
 * would be reported clean. A bound listing several versions (`"7.2.4, 6.11.4"`, protobufjs'
 * GHSA-h755-8qp9-cq85) is read as the one that affects the most: the lowest for `introduced`,
 * the highest for an upper bound; read as invalid it would leave the interval open for ever.
 *
 * @example
 * ```ts
 * semverBound('1.0', 'lowest'); // '1.0.0'
 * semverBound('7.2.4, 6.11.4', 'highest'); // '7.2.4'
 * ```
 */
export function semverBound(text: string, pick: 'lowest' | 'highest'): string | undefined {
  const single = semverBoundOf(text);
  if (single !== undefined || !/[,|\s]/.test(text.trim())) return single;
  const parts = text.split(/\s*(?:,|\|\||\s)\s*/).filter((p) => p !== '');
  const versions = parts.map(semverBoundOf);
  if (versions.length < 2 || versions.some((v) => v === undefined)) return undefined;
  const sorted = (versions as string[]).sort((a, b) => semverScheme.compare(a, b));
  return pick === 'lowest' ? sorted[0] : sorted[sorted.length - 1];
}

/** The ecosystems psr matches, by their OSV spelling. */
export const SUPPORTED_ECOSYSTEMS = ['PyPI', 'npm'] as const;
/** One of {@link SUPPORTED_ECOSYSTEMS}. */
export type Ecosystem = (typeof SUPPORTED_ECOSYSTEMS)[number];

/**
 * The OSV ecosystem spelling for a name in any case (`pypi` → `PyPI`), or undefined.
 *
 * @example
 * ```ts
 * toEcosystem('pypi'); // 'PyPI'
 * ```
 */
export function toEcosystem(name: string): Ecosystem | undefined {
  const lower = name.toLowerCase();
  return SUPPORTED_ECOSYSTEMS.find((e) => e.toLowerCase() === lower);
}

/**
 * The scheme that orders `ECOSYSTEM` ranges of `ecosystem`.
 *
 * @example
 * ```ts
 * schemeFor('PyPI').name; // 'pep440'
 * ```
 */
export function schemeFor(ecosystem: Ecosystem): VersionScheme {
  return ecosystem === 'PyPI' ? pep440Scheme : semverScheme;
}

/**
 * The name under which a package is indexed: PEP 503 normalisation for PyPI
 * (`Foo_Bar.baz` → `foo-bar-baz`), unchanged for npm (npm names are case-sensitive).
 *
 * @example
 * ```ts
 * normalizePackageName('PyPI', 'Django_REST'); // 'django-rest'
 * ```
 */
export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'PyPI' ? name.trim().toLowerCase().replace(/[-_.]+/g, '-') : name.trim();
}
