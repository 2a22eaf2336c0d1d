/**
 * OSV evaluation, exactly as the schema's pseudocode: a version is affected when it is in an
 * `affected[].versions` list OR inside any `ECOSYSTEM`/`SEMVER` range. Within a range the
 * (pre-sorted) events are walked: `introduced` (≥) opens, `fixed` (≥) closes, `last_affected`
 * (>) closes; `limit` events bound the whole range (v < some limit).
 */
import type { CompiledAffected, CompiledRange, IndexedAdvisory } from './compiled-advisory.js';
import { SEVERITY_LEVELS, type AdvisorySeverity } from './severity.js';
import { pep440Scheme, pep440SortKey, schemeFor, semverScheme, type Ecosystem, type VersionScheme } from './version-scheme.js';

// A scan matches hundreds of packages in a process that lives a fraction of a second, so this
// code mostly runs unoptimised: the hot loops are indexed (a for-of loop allocates an iterator
// result per step there) and allocate little, which also keeps garbage collection short.

/**
 * A version ready to be ordered: the string, and its PEP 440 sort key when it has one. Compiled
 * events have the same shape, so a version and a bound compare as two strings (no parsing);
 * without both keys the scheme compares the versions themselves.
 */
export interface Ordered {
  version: string;
  /** PEP 440 sort key; only ever set for versions ordered by PEP 440. */
  key?: string | undefined;
}

/** `version` prepared for comparisons under `scheme`: PEP 440 versions get their sort key once. */
function ordered(version: string, scheme: VersionScheme): Ordered {
  return { version, key: scheme === pep440Scheme ? pep440SortKey(version) : undefined };
}

function compareOrdered(a: Ordered, b: Ordered, scheme: VersionScheme): number {
  const ka = a.key;
  const kb = b.key;
  if (ka !== undefined && kb !== undefined) return ka < kb ? -1 : ka > kb ? 1 : 0;
  return scheme.compare(a.version, b.version);
}

/** True when `v` can be ordered by `scheme` (a sort key proves it for PEP 440). */
function orderable(v: Ordered, scheme: VersionScheme): boolean {
  return (v.key !== undefined && scheme === pep440Scheme) || scheme.isValid(v.version);
}

/** {@link inRange} for a prepared version (its key, if any, must be of `scheme`). */
function rangeContains(v: Ordered, range: CompiledRange, scheme: VersionScheme): boolean {
  const events = range.events;
  let hasLimit = false;
  let belowLimit = false;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind !== 'limit') continue;
    hasLimit = true;
    if (e.version === '*' || (e.valid && compareOrdered(v, e, scheme) < 0)) {
      belowLimit = true;
      break;
    }
  }
  if (hasLimit && !belowLimit) return false;
  let vulnerable = false;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    // Invalid bounds cannot be compared: they are never reached (see sortEvents).
    if (e.kind === 'introduced') {
      if (e.version === '0' || (e.valid && compareOrdered(v, e, scheme) >= 0)) vulnerable = true;
    } else if (e.kind === 'fixed') {
      if (e.valid && compareOrdered(v, e, scheme) >= 0) vulnerable = false;
    } else if (e.kind === 'last_affected') {
      if (e.valid && compareOrdered(v, e, scheme) > 0) vulnerable = false;
    }
  }
  return vulnerable;
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
  return rangeContains(ordered(version, scheme), range, scheme);
}

function inVersions(version: string, affected: CompiledAffected, scheme: VersionScheme): boolean {
  if (affected.versionKeys.length === 0) return false;
  // PEP 440 / SemVer equality (`1.0` == `1.0.0` on PyPI); unparsable versions compare verbatim.
  const key = scheme.canonical(version) ?? `=${version}`;
  return affected.versionKeys.includes(key);
}

/** {@link affectedEntryContains} for a version prepared with the ecosystem's scheme. */
function entryContains(affected: CompiledAffected, v: Ordered, ecoScheme: VersionScheme): boolean {
  if (inVersions(v.version, affected, ecoScheme)) return true;
  const ranges = affected.ranges;
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i]!;
    if (range.type === 'SEMVER' && ecoScheme !== semverScheme) {
      // The key is PEP 440's: a SemVer range compares the plain version.
      const plain = { version: v.version };
      if (semverScheme.isValid(v.version) && rangeContains(plain, range, semverScheme)) return true;
    } else if (orderable(v, ecoScheme) && rangeContains(v, range, ecoScheme)) return true;
  }
  return false;
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
  const scheme = schemeFor(ecosystem);
  return entryContains(affected, ordered(version, scheme), scheme);
}

function advisoryContains(advisory: IndexedAdvisory, v: Ordered, ecoScheme: VersionScheme): boolean {
  const affected = advisory.affected;
  for (let i = 0; i < affected.length; i++) if (entryContains(affected[i]!, v, ecoScheme)) return true;
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
  const scheme = schemeFor(ecosystem);
  return advisoryContains(advisory, ordered(version, scheme), scheme);
}

/**
 * Answers of {@link isAffected} by candidate version, then advisory, for one package's fix
 * searches: they ask about the same pairs for each group and for the package as a whole. Keyed
 * by version first: a package has far fewer fixed versions than advisories, so few maps. Plain
 * Maps that die with the match, not WeakMaps: weak keys slow every young-generation GC.
 */
type AffectedMemo = Map<string, Map<IndexedAdvisory, boolean>>;

function isAffectedMemoised(answers: Map<IndexedAdvisory, boolean>, advisory: IndexedAdvisory, v: Ordered, ecoScheme: VersionScheme): boolean {
  let hit = answers.get(advisory);
  if (hit === undefined) {
    hit = advisoryContains(advisory, v, ecoScheme);
    answers.set(advisory, hit);
  }
  return hit;
}

/**
 * Stable in-place sort. Short lists (most fix candidates and alias lists) are insertion-sorted:
 * `Array.prototype.sort` allocates work arrays on every call.
 */
function sortStable<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > 16) return items.sort(compare);
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    let j = i - 1;
    while (j >= 0 && compare(items[j]!, item) > 0) {
      items[j + 1] = items[j]!;
      j--;
    }
    items[j + 1] = item;
  }
  return items;
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
  const scheme = schemeFor(ecosystem);
  return searchFix(new Map(), ordered(version, scheme), advisories, scheme, atLeast !== undefined ? ordered(atLeast, scheme) : undefined)?.version;
}

/** {@link smallestFixAbove} for prepared versions, with the package's memo of answers. */
function searchFix(
  memo: AffectedMemo,
  version: Ordered,
  advisories: readonly IndexedAdvisory[],
  scheme: VersionScheme,
  atLeast?: Ordered,
): Ordered | undefined {
  if (!orderable(version, scheme)) return undefined;
  const floor = atLeast !== undefined && orderable(atLeast, scheme) && compareOrdered(atLeast, version, scheme) > 0 ? atLeast : undefined;
  const candidates: Ordered[] = [];
  // Versions already taken: a linear scan for one advisory's few bounds, a Set for many.
  const seen = advisories.length > 1 ? new Set<string>() : undefined;
  for (let i = 0; i < advisories.length; i++) {
    const affected = advisories[i]!.affected;
    for (let j = 0; j < affected.length; j++) {
      const ranges = affected[j]!.ranges;
      for (let k = 0; k < ranges.length; k++) {
        const range = ranges[k]!;
        const events = range.events;
        for (let l = 0; l < events.length; l++) {
          const e = events[l]!;
          if (e.kind !== 'fixed' || (seen ? seen.has(e.version) : hasVersion(candidates, e.version))) continue;
          seen?.add(e.version);
          // A fixed version is a candidate under the ecosystem's scheme, whatever its range's type.
          const c: Ordered = range.type === 'SEMVER' && scheme !== semverScheme ? ordered(e.version, scheme) : e;
          if (orderable(c, scheme) && compareOrdered(c, version, scheme) > 0 && (floor === undefined || compareOrdered(c, floor, scheme) >= 0))
            candidates.push(c);
        }
      }
    }
  }
  // Stable: equal versions (`1.0`, `1.0.0`) keep the advisories' order.
  sortStable(candidates, (a, b) => compareOrdered(a, b, scheme));
  // Move-to-front: the advisory that ruled out the last candidate usually rules out the next.
  const order = advisories.length > 1 ? [...advisories] : advisories;
  for (let n = 0; n < candidates.length; n++) {
    const c = candidates[n]!;
    let answers = memo.get(c.version);
    if (!answers) memo.set(c.version, (answers = new Map()));
    let i = 0;
    while (i < order.length && !isAffectedMemoised(answers, order[i]!, c, scheme)) i++;
    if (i === order.length) return c;
    if (i > 0) {
      const ruledOut = order[i]!;
      (order as IndexedAdvisory[]).copyWithin(1, 0, i);
      (order as IndexedAdvisory[])[0] = ruledOut;
    }
  }
  return undefined;
}

/** True when `list` holds `version` (a linear scan: candidate lists are short). */
function hasVersion(list: readonly Ordered[], version: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i]!.version === version) return true;
  return false;
}

/** Advisories that describe one vulnerability (linked through shared ids or aliases). */
export interface VulnerabilityGroup {
  /** The id shown for the finding (the ecosystem's own database id when there is one). */
  id: string;
  /** Every other id and alias of the group, sorted. */
  aliases: string[];
  /** Ids of the group's advisory records, in index order. */
  advisoryIds: string[];
  /** The data sources those records come from, each once. */
  sources: string[];
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
  // Most installed versions are hit by one advisory or none: nothing to link.
  if (advisories.length <= 1) return advisories.length === 0 ? [] : [[advisories[0]!]];
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
  for (let i = 0; i < advisories.length; i++) {
    const adv = advisories[i]!;
    link(adv.id, i);
    for (let j = 0; j < adv.aliases.length; j++) link(adv.aliases[j]!, i);
  }
  // Groups in the order of their first member; `groupOf[root]` is the group's index.
  const groups: IndexedAdvisory[][] = [];
  const groupOf: number[] = [];
  for (let i = 0; i < advisories.length; i++) {
    const root = find(i);
    const g = groupOf[root];
    if (g === undefined) {
      groupOf[root] = groups.length;
      groups.push([advisories[i]!]);
    } else groups[g]!.push(advisories[i]!);
  }
  return groups;
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
  return matchOrdered(advisories, ecosystem, name, ordered(version, schemeFor(ecosystem)));
}

/**
 * {@link matchPackage} for a version already prepared for ordering. PEP 440 versions compare
 * only through their sort keys, so any key between two bounds stands for every version there:
 * the index's match tables are computed with such keys ({@link buildMatchTable}).
 */
export function matchOrdered(advisories: readonly IndexedAdvisory[], ecosystem: Ecosystem, name: string, installed: Ordered): PackageMatch {
  const scheme = schemeFor(ecosystem);
  const version = installed.version;
  // The same id from two sources: keep the most recently modified record.
  const byId = new Map<string, IndexedAdvisory>();
  for (let i = 0; i < advisories.length; i++) {
    const adv = advisories[i]!;
    const prev = byId.get(adv.id);
    if (!prev || (adv.modified ?? '') > (prev.modified ?? '')) byId.set(adv.id, adv);
  }
  // The installed version is never a fix candidate, so this first pass is not memoised.
  const hits: IndexedAdvisory[] = [];
  byId.forEach((adv) => {
    if (advisoryContains(adv, installed, scheme)) hits.push(adv);
  });
  const memo: AffectedMemo = new Map();
  // Each group's smallest fix, prepared (the upgrade search below starts from the largest).
  const fixes: Array<Ordered | undefined> = [];
  const groups: VulnerabilityGroup[] = groupByAliases(hits).map((members) => {
    const id = primaryId(members, NATIVE_PREFIX[ecosystem]);
    const aliases: string[] = [];
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      if (m.id !== id && !aliases.includes(m.id)) aliases.push(m.id);
      for (let j = 0; j < m.aliases.length; j++) {
        const alias = m.aliases[j]!;
        if (alias !== id && !aliases.includes(alias)) aliases.push(alias);
      }
    }
    // The primary record, the most severe level (the first of equals, as a stable sort would
    // put first) and the first summary, in one indexed pass.
    let primary: IndexedAdvisory | undefined;
    let severity = members[0]!.severity;
    let rank = severityRank(severity);
    let anySummary = '';
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      if (primary === undefined && m.id === id) primary = m;
      const r = severityRank(m.severity);
      if (r < rank) {
        severity = m.severity;
        rank = r;
      }
      if (!anySummary && m.summary) anySummary = m.summary;
    }
    const fix = searchFix(memo, installed, members, scheme);
    fixes.push(fix);
    // Built field by field: a conditional spread allocates a throwaway object per group.
    const advisoryIds: string[] = [];
    const sources: string[] = [];
    for (let i = 0; i < members.length; i++) {
      advisoryIds.push(members[i]!.id);
      if (!sources.includes(members[i]!.source)) sources.push(members[i]!.source);
    }
    const group = {
      id,
      aliases: sortStable(aliases, compareIds),
      advisoryIds,
      sources,
      severity,
      summary: primary!.summary || anySummary,
      url: primary!.url,
    } as VulnerabilityGroup;
    if (fix !== undefined) group.fixedIn = fix.version;
    return group;
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
    const floor = fixes.every((f): f is Ordered => f !== undefined) ? fixes.reduce((a, b) => (compareOrdered(a, b, scheme) >= 0 ? a : b)) : undefined;
    suggestedUpgrade = ((floor !== undefined ? searchFix(memo, installed, hits, scheme, floor) : undefined) ?? searchFix(memo, installed, hits, scheme))?.version;
  }
  return {
    ecosystem,
    name,
    version,
    groups,
    ...(suggestedUpgrade !== undefined ? { suggestedUpgrade } : {}),
    unorderable: !orderable(installed, scheme),
  };
}
