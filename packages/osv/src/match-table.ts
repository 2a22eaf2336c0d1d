/**
 * Match tables: every answer a package's advisories can give, worked out when the index is
 * built. A PEP 440 version meets range bounds and listed versions only through its sort key,
 * so the distinct keys of a package's bounds cut the version line into segments — each bound,
 * and each stretch strictly between two neighbouring bounds — and every version inside one
 * segment gets the same answer: the same advisories, groups, fixes and suggested upgrade. The
 * index stores one answer per segment, computed by the matcher itself ({@link matchOrdered})
 * with a key that stands for the segment; a scan then matches a package with one binary search,
 * evaluating no range and searching for no fix. How the index stores a table, so that a scan
 * decodes only the answer it needs, is stored-match-table.ts.
 */
import type { IndexedAdvisory } from './compiled-advisory.js';
import { matchOrdered, type PackageMatch, type VulnerabilityGroup } from './match.js';
import type { AdvisorySeverity } from './severity.js';
import { lowerBound } from './sorted-strings.js';
import { pep440SortKey, type Ecosystem } from './version-scheme.js';

/** A vulnerability group as a table stores it, once per package, shared by its answers. */
export interface TableGroup {
  id: string;
  aliases: string[];
  /** Ids of the group's advisory records (their source is the index file's). */
  advisories: string[];
  severity: AdvisorySeverity;
  summary: string;
  url: string;
}

/** One answer: the package's suggested upgrade, and each group hit with its smallest fix. */
export type TableAnswer = [suggestedUpgrade: string | null, groups: Array<[group: number, fixedIn: string | null]>];

/**
 * Every answer for one package, as built. With `n` bounds there are `2n + 1` segments: segment
 * `2i` holds the versions below `bounds[i]` and above `bounds[i - 1]`, segment `2i + 1` is
 * `bounds[i]`.
 *
 * @example
 * ```ts
 * const table = buildMatchTable(advisories, 'PyPI', 'jinja2');
 * if (table) encodeMatchTable(table); // the text the index file stores
 * ```
 */
export interface MatchTable {
  /** Distinct sort keys of every comparable bound and listed version, ascending in code-unit order. */
  bounds: string[];
  /** The index in `answers` of each segment's answer. */
  segments: number[];
  /** Each distinct answer (large packages have dozens, each listing hundreds of groups). */
  answers: TableAnswer[];
  groups: TableGroup[];
}

/**
 * A match table as {@link answerFromTable} reads it: bounds and segments whole, answers and
 * groups one at a time, so that a table read from the index decodes only those one answer
 * names (see stored-match-table.ts).
 */
export interface MatchTableReader {
  /** {@link MatchTable.bounds}. */
  readonly bounds: readonly string[];
  /** {@link MatchTable.segments}. */
  readonly segments: readonly number[];
  /** The answer at position `at` of {@link MatchTable.answers}. */
  answer(at: number): TableAnswer;
  /** The group at position `at` of {@link MatchTable.groups}. */
  group(at: number): TableGroup;
}

/**
 * Largest table built, in advisories × segments: a table costs one full match per segment when
 * the index is built (PyPA's largest, tensorflow with ~300 advisories and ~90 segments, takes
 * ~30 ms), so a package far beyond any seen so far is matched from its advisories instead.
 */
const MAX_TABLE_WORK = 65_536;

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The sort key of every bound of `advisories`, mapped to a version string the matcher finds
 * listed there ('' when no `versions` list names it); undefined when some answer could depend
 * on more than a version's sort key: SemVer ranges, and bounds with no exact key.
 *
 * A listed version is a bound of its own: the matcher compares listed versions in canonical
 * form, and two PEP 440 versions have the same canonical form exactly when they have the same
 * sort key (both spell out the same parsed fields), so every version at that key is listed and
 * no other is. Listed versions with no sort key (not PEP 440, or numbers too large) can equal
 * no version that has one, and are left out.
 */
function boundKeys(advisories: readonly IndexedAdvisory[]): Map<string, string> | undefined {
  const keys = new Map<string, string>();
  for (const advisory of advisories)
    for (const entry of advisory.affected) {
      for (const listed of entry.versionKeys) {
        const key = pep440SortKey(listed);
        if (key !== undefined) keys.set(key, listed);
      }
      for (const range of entry.ranges) {
        if (range.type !== 'ECOSYSTEM') return undefined;
        for (const e of range.events) {
          // Bounds that cannot be ordered are never compared (see sortEvents).
          if (!e.valid) continue;
          if (e.key === undefined) return undefined;
          if (!keys.has(e.key)) keys.set(e.key, '');
        }
      }
    }
  return keys;
}

/**
 * True for the ecosystems whose packages get match tables: PyPI, whose versions compare only
 * through their sort keys. npm's SemVer ranges are matched from the advisories.
 *
 * @example
 * ```ts
 * hasMatchTables('PyPI'); // true
 * ```
 */
export function hasMatchTables(ecosystem: Ecosystem): boolean {
  return ecosystem === 'PyPI';
}

/**
 * The match table of one PyPI package's advisories (all from one source), or undefined when
 * the package must be matched from its advisories (see {@link boundKeys}; other ecosystems).
 *
 * @example
 * ```ts
 * const table = buildMatchTable(index.advisoriesFor('PyPI', 'django'), 'PyPI', 'django');
 * ```
 */
export function buildMatchTable(advisories: readonly IndexedAdvisory[], ecosystem: Ecosystem, name: string): MatchTable | undefined {
  if (!hasMatchTables(ecosystem) || advisories.length === 0) return undefined;
  const listedAt = boundKeys(advisories);
  if (listedAt === undefined || advisories.length * (2 * listedAt.size + 1) > MAX_TABLE_WORK) return undefined;
  const bounds = [...listedAt.keys()].sort(compareKeys);
  const table: MatchTable = { bounds, segments: [], answers: [], groups: [] };
  const answerAt = new Map<string, number>();
  const groupAt = new Map<string, number>();
  const groupIndex = (g: VulnerabilityGroup): number => {
    // A group's text (id, aliases, severity, summary, url) follows from its members.
    const identity = JSON.stringify(g.advisoryIds);
    let at = groupAt.get(identity);
    if (at === undefined) {
      at = table.groups.length;
      table.groups.push({ id: g.id, aliases: g.aliases, advisories: g.advisoryIds, severity: g.severity, summary: g.summary, url: g.url });
      groupAt.set(identity, at);
    }
    return at;
  };
  for (let s = 0; s <= 2 * bounds.length; s++) {
    // A key inside the segment: the bound itself, or one just above the bound below (keys are
    // printable, so appending U+0000 sorts before every longer key that extends the bound).
    // At a bound the version is the one listed there, if any: `versions` lists are matched by
    // version, ranges by key. No version strictly between two bounds is listed.
    const bound = s % 2 === 1 ? bounds[(s - 1) / 2]! : undefined;
    const key = bound ?? (s === 0 ? '' : `${bounds[s / 2 - 1]!}\u0000`);
    const m = matchOrdered(advisories, ecosystem, name, { version: bound === undefined ? '' : listedAt.get(bound)!, key });
    const answer: TableAnswer = [m.suggestedUpgrade ?? null, m.groups.map((g) => [groupIndex(g), g.fixedIn ?? null])];
    const text = JSON.stringify(answer);
    let at = answerAt.get(text);
    if (at === undefined) {
      at = table.answers.length;
      table.answers.push(answer);
      answerAt.set(text, at);
    }
    table.segments.push(at);
  }
  return table;
}

/**
 * The match of `version` read from a table, equal to matching it against the package's
 * advisories; undefined when the version has no PEP 440 sort key (the full matcher reports it).
 * `sources` is every group's `sources` (the table's records all come from one source): one
 * array shared by the groups and the findings made from them, frozen for that reason.
 *
 * @example
 * ```ts
 * const table = StoredMatchTable.read(Buffer.from(encodeMatchTable(buildMatchTable(advisories, 'PyPI', 'jinja2')!), 'latin1'));
 * answerFromTable(table, 'PyPI', 'jinja2', '2.10', ['pypa-advisory-db'])?.suggestedUpgrade; // '2.11.3'
 * ```
 */
export function answerFromTable(table: MatchTableReader, ecosystem: Ecosystem, name: string, version: string, sources: string[]): PackageMatch | undefined {
  const key = pep440SortKey(version);
  if (key === undefined) return undefined;
  const at = lowerBound(table.bounds, key);
  const segment = table.bounds[at] === key ? 2 * at + 1 : 2 * at;
  const [suggestedUpgrade, hits] = table.answer(table.segments[segment]!);
  const groups: VulnerabilityGroup[] = [];
  for (let i = 0; i < hits.length; i++) {
    const [at, fixedIn] = hits[i]!;
    const t = table.group(at);
    // A scan keeps its groups until the report is written, so they are built small: one advisory
    // named like the group shares its id string, and `fixedIn` is in the literal (added later, it
    // would take each group an out-of-object property store).
    const advisoryIds = t.advisories.length === 1 && t.advisories[0] === t.id ? [t.id] : t.advisories;
    const group: VulnerabilityGroup =
      fixedIn !== null
        ? { id: t.id, aliases: t.aliases, advisoryIds, sources, severity: t.severity, summary: t.summary, url: t.url, fixedIn }
        : { id: t.id, aliases: t.aliases, advisoryIds, sources, severity: t.severity, summary: t.summary, url: t.url };
    groups.push(group);
  }
  return suggestedUpgrade !== null ? { ecosystem, name, version, groups, suggestedUpgrade, unorderable: false } : { ecosystem, name, version, groups, unorderable: false };
}
