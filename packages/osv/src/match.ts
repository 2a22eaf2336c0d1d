/**
 * OSV evaluation, exactly as the schema's pseudocode: a version is affected when it is in an
 * `affected[].versions` list OR inside any `ECOSYSTEM`/`SEMVER` range. Within a range the
 * (pre-sorted) events are walked: `introduced` (≥) opens, `fixed` (≥) closes, `last_affected`
 * (>) closes; `limit` events bound the whole range (v < some limit).
 */
import type { CompiledAffected, CompiledRange, IndexedAdvisory } from './compiled-advisory.js';
import { SEVERITY_LEVELS, type AdvisorySeverity } from './severity.js';
import { schemeFor, semverScheme, type Ecosystem, type VersionScheme } from './version-scheme.js';

function beforeLimits(version: string, range: CompiledRange, scheme: VersionScheme): boolean {
  let hasLimit = false;
  for (const e of range.events) {
    if (e.kind !== 'limit') continue;
    hasLimit = true;
    if (e.version === '*' || (e.valid && scheme.compare(version, e.version) < 0)) return true;
  }
  return !hasLimit;
}

/**
 * True when `version` falls inside `range`. `version` must be valid for the range's scheme.
 *
 * @example
 * ```ts
 * inRange('1.5', { type: 'ECOSYSTEM', events: [{ kind: 'introduced', version: '1.0', valid: true }, { kind: 'fixed', version: '2.0', valid: true }] }, pep440Scheme); // true
 * ```
 */
export function inRange(version: string, range: CompiledRange, scheme: VersionScheme): boolean {
  if (!beforeLimits(version, range, scheme)) return false;
  let vulnerable = false;
  for (const e of range.events) {
    // Invalid bounds cannot be compared: they are never reached (see sortEvents).
    if (e.kind === 'introduced') {
      if (e.version === '0' || (e.valid && scheme.compare(version, e.version) >= 0)) vulnerable = true;
    } else if (e.kind === 'fixed') {
      if (e.valid && scheme.compare(version, e.version) >= 0) vulnerable = false;
    } else if (e.kind === 'last_affected') {
      if (e.valid && scheme.compare(version, e.version) > 0) vulnerable = false;
    }
  }
  return vulnerable;
}

function inVersions(version: string, affected: CompiledAffected, scheme: VersionScheme): boolean {
  if (affected.versionKeys.length === 0) return false;
  // PEP 440 / SemVer equality (`1.0` == `1.0.0` on PyPI); unparsable versions compare verbatim.
  const key = scheme.canonical(version) ?? `=${version}`;
  return affected.versionKeys.includes(key);
}

/**
 * True when `version` of a package is affected by one `affected[]` entry.
 *
 * @example
 * ```ts
 * affectedEntryContains({ ranges: [], versionKeys: ['1'] }, '1.0', 'PyPI'); // true
 * ```
 */
export function affectedEntryContains(affected: CompiledAffected, version: string, ecosystem: Ecosystem): boolean {
  const ecoScheme = schemeFor(ecosystem);
  if (inVersions(version, affected, ecoScheme)) return true;
  for (const range of affected.ranges) {
    const scheme = range.type === 'SEMVER' ? semverScheme : ecoScheme;
    if (!scheme.isValid(version)) continue;
    if (inRange(version, range, scheme)) return true;
  }
  return false;
}

/**
 * True when `version` is affected by `advisory` (any of its `affected[]` entries for the package).
 *
 * @example
 * ```ts
 * isAffected(advisory, '2.2.0', 'PyPI');
 * ```
 */
export function isAffected(advisory: IndexedAdvisory, version: string, ecosystem: Ecosystem): boolean {
  return advisory.affected.some((a) => affectedEntryContains(a, version, ecosystem));
}

/**
 * Answers of {@link isAffected} by advisory and version, for one package's fix searches: they
 * ask about the same pairs for each group and for the package as a whole. A plain Map that
 * dies with the match, not a WeakMap: thousands of weak keys slow every young-generation GC.
 */
type AffectedMemo = Map<IndexedAdvisory, Map<string, boolean>>;

function isAffectedMemoised(memo: AffectedMemo, advisory: IndexedAdvisory, version: string, ecosystem: Ecosystem): boolean {
  let answers = memo.get(advisory);
  if (!answers) memo.set(advisory, (answers = new Map()));
  let hit = answers.get(version);
  if (hit === undefined) {
    hit = isAffected(advisory, version, ecosystem);
    answers.set(version, hit);
  }
  return hit;
}

/**
 * The smallest `fixed` version above `version` that none of `advisories` affects, or
 * undefined when no such version is known (unfixed, or only `last_affected` bounds).
 *
 * @example
 * ```ts
 * smallestFixAbove('1.2', [advisory], 'PyPI'); // '1.2.4'
 * ```
 */
export function smallestFixAbove(
  version: string,
  advisories: readonly IndexedAdvisory[],
  ecosystem: Ecosystem,
  atLeast?: string,
): string | undefined {
  return searchFix(new Map(), version, advisories, ecosystem, atLeast);
}

/** {@link smallestFixAbove} with the package's memo of answers. */
function searchFix(
  memo: AffectedMemo,
  version: string,
  advisories: readonly IndexedAdvisory[],
  ecosystem: Ecosystem,
  atLeast?: string,
): string | undefined {
  const scheme = schemeFor(ecosystem);
  if (!scheme.isValid(version)) return undefined;
  const floor = atLeast !== undefined && scheme.isValid(atLeast) && scheme.compare(atLeast, version) > 0 ? atLeast : undefined;
  const seen = new Set<string>();
  const candidates: string[] = [];
  for (const adv of advisories)
    for (const a of adv.affected)
      for (const r of a.ranges)
        for (const e of r.events)
          if (
            e.kind === 'fixed' &&
            !seen.has(e.version) &&
            scheme.isValid(e.version) &&
            scheme.compare(e.version, version) > 0 &&
            (floor === undefined || scheme.compare(e.version, floor) >= 0)
          ) {
            seen.add(e.version);
            candidates.push(e.version);
          }
  // Stable: equal versions (`1.0`, `1.0.0`) keep the advisories' order.
  if (candidates.length > 1) candidates.sort((a, b) => scheme.compare(a, b));
  // Move-to-front: the advisory that ruled out the last candidate usually rules out the next.
  const order = advisories.length > 1 ? [...advisories] : advisories;
  for (const c of candidates) {
    let i = 0;
    while (i < order.length && !isAffectedMemoised(memo, order[i]!, c, ecosystem)) i++;
    if (i === order.length) return c;
    if (i > 0) (order as IndexedAdvisory[]).unshift(...(order as IndexedAdvisory[]).splice(i, 1));
  }
  return undefined;
}

/** Advisories that describe one vulnerability (linked through shared ids or aliases). */
export interface VulnerabilityGroup {
  /** The id shown for the finding (the ecosystem's own database id when there is one). */
  id: string;
  /** Every other id and alias of the group, sorted. */
  aliases: string[];
  advisories: IndexedAdvisory[];
  /** The most severe level among the group's advisories. */
  severity: AdvisorySeverity;
  summary: string;
  url: string;
  /** Smallest fixed version above the installed one that fixes every advisory of the group. */
  fixedIn?: string;
}

/** The result of matching one installed package version. */
export interface PackageMatch {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  groups: VulnerabilityGroup[];
  /** One version that fixes all groups, when one is known. */
  suggestedUpgrade?: string;
  /** True when `version` cannot be ordered: only explicit `versions` lists were checked. */
  unorderable: boolean;
}

const NATIVE_PREFIX: Record<Ecosystem, string> = { PyPI: 'PYSEC-', npm: 'GHSA-' };

function severityRank(s: AdvisorySeverity): number {
  return SEVERITY_LEVELS.indexOf(s.level);
}

/**
 * Id order: plain code-unit order, so which id a group is shown under never depends on the
 * machine's locale (the report sorts the same way). For advisory ids (`PYSEC-…`, `CVE-…`,
 * `GHSA-xxxx-…`) it is the order `localeCompare` gives, and it needs no `Intl.Collator`,
 * whose creation alone costs every scan about 10 ms of start-up.
 */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The id a group is shown under: the ecosystem's own database id when there is one, else the first in id order. */
function primaryId(members: readonly IndexedAdvisory[], nativePrefix: string): string {
  let best = members[0]!.id;
  for (let i = 1; i < members.length; i++) {
    const id = members[i]!.id;
    const native = id.startsWith(nativePrefix);
    const bestNative = best.startsWith(nativePrefix);
    if (native !== bestNative ? native : compareIds(id, best) < 0) best = id;
  }
  return best;
}

/** Union-find over advisories that share an id or alias (PYSEC / GHSA / CVE of one flaw). */
function groupByAliases(advisories: IndexedAdvisory[]): IndexedAdvisory[][] {
  const parent = advisories.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const owner = new Map<string, number>();
  const link = (key: string, i: number): void => {
    const j = owner.get(key);
    if (j === undefined) owner.set(key, i);
    else parent[find(i)] = find(j);
  };
  advisories.forEach((adv, i) => {
    link(adv.id, i);
    for (const alias of adv.aliases) link(alias, i);
  });
  const groups = new Map<number, IndexedAdvisory[]>();
  advisories.forEach((adv, i) => {
    const root = find(i);
    const list = groups.get(root);
    if (list) list.push(adv);
    else groups.set(root, [adv]);
  });
  return [...groups.values()];
}

/**
 * Match one installed version against the advisories indexed for its package: keep the ones
 * that affect it, collapse aliases into groups, and work out fixes.
 *
 * @example
 * ```ts
 * const m = matchPackage(index.advisoriesFor('PyPI', 'jinja2'), 'PyPI', 'jinja2', '2.10');
 * m.groups.map((g) => g.id); // ['PYSEC-2019-217', ...]
 * ```
 */
export function matchPackage(advisories: readonly IndexedAdvisory[], ecosystem: Ecosystem, name: string, version: string): PackageMatch {
  const scheme = schemeFor(ecosystem);
  // The same id from two sources: keep the most recently modified record.
  const byId = new Map<string, IndexedAdvisory>();
  for (const adv of advisories) {
    const prev = byId.get(adv.id);
    if (!prev || (adv.modified ?? '') > (prev.modified ?? '')) byId.set(adv.id, adv);
  }
  // The installed version is never a fix candidate, so this first pass is not memoised.
  const hits = [...byId.values()].filter((adv) => isAffected(adv, version, ecosystem));
  const memo: AffectedMemo = new Map();
  const groups: VulnerabilityGroup[] = groupByAliases(hits).map((members) => {
    const id = primaryId(members, NATIVE_PREFIX[ecosystem]);
    const aliasSet = new Set<string>();
    for (const m of members) {
      if (m.id !== id) aliasSet.add(m.id);
      for (const k of m.aliases) if (k !== id) aliasSet.add(k);
    }
    const primary = members.find((m) => m.id === id)!;
    // The most severe; the first of equals (what a stable sort would put first).
    let severity = members[0]!.severity;
    for (const m of members) if (severityRank(m.severity) < severityRank(severity)) severity = m.severity;
    const fixedIn = searchFix(memo, version, members, ecosystem);
    return {
      id,
      aliases: [...aliasSet].sort(),
      advisories: members,
      severity,
      summary: primary.summary || members.find((m) => m.summary)?.summary || '',
      url: primary.url,
      ...(fixedIn !== undefined ? { fixedIn } : {}),
    };
  });
  groups.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || compareIds(a.id, b.id));
  // One group: the package's upgrade is that group's fix (same advisories, same search).
  // Several: a version that fixes every group cannot be below any group's own smallest fix
  // when ranges are plain intervals, so the search starts at the largest of them (packages
  // like tensorflow have hundreds of findings and candidates). Every answer is still checked
  // against all advisories; if that finds nothing, the full search runs.
  let suggestedUpgrade: string | undefined;
  if (groups.length === 1) suggestedUpgrade = groups[0]!.fixedIn;
  else if (groups.length > 1) {
    const fixes = groups.map((g) => g.fixedIn);
    const floor = fixes.every((f): f is string => f !== undefined) ? fixes.reduce((a, b) => (scheme.compare(a, b) >= 0 ? a : b)) : undefined;
    suggestedUpgrade = (floor !== undefined ? searchFix(memo, version, hits, ecosystem, floor) : undefined) ?? searchFix(memo, version, hits, ecosystem);
  }
  return {
    ecosystem,
    name,
    version,
    groups,
    ...(suggestedUpgrade !== undefined ? { suggestedUpgrade } : {}),
    unorderable: !scheme.isValid(version),
  };
}
