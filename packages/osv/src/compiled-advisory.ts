/**
 * The compiled form of an advisory, as stored in the index: only what matching and reports
 * need, per package, with range events already sorted so a scan never sorts or re-reads YAML.
 */
import type { OsvAdvisory, OsvEvent } from './advisory.js';
import { inRange } from './match.js';
import { advisorySeverity, type AdvisorySeverity } from './severity.js';
import {
  normalizePackageName,
  pep440Scheme,
  pep440SortKey,
  schemeFor,
  semverBound,
  semverScheme,
  toEcosystem,
  type Ecosystem,
  type VersionScheme,
} from './version-scheme.js';

/** Which bound an event sets. */
export type EventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';

/** One event of a compiled range. `valid` is false when the version cannot be ordered. */
export interface CompiledEvent {
  kind: EventKind;
  version: string;
  valid: boolean;
  /**
   * The version's PEP 440 sort key ({@link pep440SortKey}) when the range is ordered by PEP 440:
   * matching then compares strings and never parses a bound. Absent for other schemes and for
   * the rare versions with no exact key (those are compared parsed).
   */
  key?: string;
}

/** A range whose events are sorted by version (stable: ties keep the advisory's order). */
export interface CompiledRange {
  type: 'ECOSYSTEM' | 'SEMVER';
  events: CompiledEvent[];
}

/** One `affected[]` entry for one package. */
export interface CompiledAffected {
  ranges: CompiledRange[];
  /**
   * The `versions` list, each entry in the scheme's canonical form (`1.0.0` → `1`) so a lookup
   * needs no parsing; entries the scheme cannot parse are kept verbatim behind a `=` prefix.
   */
  versionKeys: string[];
}

/** An advisory as the index stores it under one package. */
export interface IndexedAdvisory {
  id: string;
  aliases: string[];
  summary: string;
  modified?: string;
  severity: AdvisorySeverity;
  url: string;
  /** Name of the data source it came from (stored once per index file, in its header). */
  source: string;
  affected: CompiledAffected[];
}

/** Compilation result of one advisory: its entries by ecosystem and indexed package name. */
export interface CompiledEntries {
  withdrawn: boolean;
  entries: Array<{ ecosystem: Ecosystem; name: string; advisory: IndexedAdvisory }>;
  /** `affected` entries skipped because psr does not match their ecosystem. */
  skippedAffected: number;
}

function eventOf(e: OsvEvent): { kind: EventKind; version: string } | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  for (const kind of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
    const v = e[kind];
    if (typeof v === 'string') return { kind, version: v };
  }
  return undefined;
}

/**
 * Sort events the way the OSV evaluation reads them: `introduced: "0"` first, then by version,
 * versions the scheme cannot order last (they are never reached, so an invalid `fixed` leaves
 * the interval open — a false positive, never a false clean). Ties keep the advisory's order
 * (Array.prototype.sort is stable), which is also what osv.dev's computed `versions` lists show.
 *
 * @example
 * ```ts
 * sortEvents([{ kind: 'fixed', version: '2.0', valid: true }, { kind: 'introduced', version: '0', valid: true }], pep440Scheme);
 * ```
 */
export function sortEvents(events: CompiledEvent[], scheme: VersionScheme): CompiledEvent[] {
  const rank = (e: CompiledEvent): number => (e.kind === 'introduced' && e.version === '0' ? 0 : e.valid ? 1 : 2);
  return [...events].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb || ra !== 1) return ra - rb;
    return scheme.compare(a.version, b.version);
  });
}

function firstLine(text: unknown): string {
  const line = typeof text === 'string' ? (text.trim().split('\n')[0] ?? '') : '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * The page a finding's id links to: an `ADVISORY` reference that is this vulnerability's own page
 * (its URL names the record's id, else a GHSA alias, else another alias: GitHub's advisory, the
 * project's security advisory, NVD), else osv.dev's page for the id. A record's first `ADVISORY`
 * reference is often a distribution's errata (Red Hat's RHSA for urllib3's CRLF injection).
 */
function advisoryUrl(id: string, aliases: readonly string[], refs: readonly unknown[]): string {
  const own = [id, ...aliases.filter((a) => a.startsWith('GHSA-')), ...aliases.filter((a) => !a.startsWith('GHSA-'))].map((a) => a.toLowerCase());
  let best: string | undefined;
  let bestRank = own.length;
  for (const ref of refs) {
    const r = ref as { type?: unknown; url?: unknown } | null;
    if (r?.type !== 'ADVISORY' || typeof r.url !== 'string') continue;
    const url = r.url.toLowerCase();
    const rank = own.findIndex((a) => namesId(url, a));
    if (rank !== -1 && rank < bestRank) {
      best = r.url;
      bestRank = rank;
    }
  }
  return best ?? `https://osv.dev/vulnerability/${id}`;
}

/** Whether `url` names `id` whole (`…/cve-2019-11236` names CVE-2019-11236, not CVE-2019-1123). */
function namesId(url: string, id: string): boolean {
  for (let at = url.indexOf(id); at !== -1; at = url.indexOf(id, at + 1)) {
    if (!/[a-z0-9]/.test(url[at - 1] ?? '') && !/[a-z0-9]/.test(url[at + id.length] ?? '')) return true;
  }
  return false;
}

/**
 * Compile one OSV record into per-package index entries. Withdrawn records yield no entries;
 * `GIT` ranges are dropped (they need the repository's commit graph, not a version).
 *
 * @example
 * ```ts
 * const { entries } = compileAdvisory(parseAdvisory(text, file), 'pypa');
 * entries[0]?.name; // 'django'
 * ```
 */
export function compileAdvisory(raw: OsvAdvisory, source: string): CompiledEntries {
  if (typeof raw.withdrawn === 'string' && raw.withdrawn.trim() !== '') return { withdrawn: true, entries: [], skippedAffected: 0 };
  const aliases = Array.isArray(raw.aliases) ? raw.aliases.filter((a): a is string => typeof a === 'string' && a !== raw.id) : [];
  const url = advisoryUrl(raw.id, aliases, Array.isArray(raw.references) ? raw.references : []);
  const byPackage = new Map<string, { ecosystem: Ecosystem; name: string; advisory: IndexedAdvisory }>();
  let skippedAffected = 0;
  for (const affected of Array.isArray(raw.affected) ? raw.affected : []) {
    const ecosystem = toEcosystem(String(affected?.package?.ecosystem ?? ''));
    const rawName = affected?.package?.name;
    if (!ecosystem || typeof rawName !== 'string' || rawName.trim() === '') {
      skippedAffected++;
      continue;
    }
    const name = normalizePackageName(ecosystem, rawName);
    const ranges: CompiledRange[] = [];
    for (const range of Array.isArray(affected.ranges) ? affected.ranges : []) {
      if (range?.type !== 'ECOSYSTEM' && range?.type !== 'SEMVER') continue;
      const scheme = range.type === 'SEMVER' ? semverScheme : schemeFor(ecosystem);
      const events: CompiledEvent[] = [];
      for (const e of Array.isArray(range.events) ? range.events : []) {
        const ev = eventOf(e);
        if (!ev) continue;
        if (scheme === semverScheme && ev.version !== '0' && ev.version !== '*') ev.version = semverBound(ev.version, ev.kind === 'introduced' ? 'lowest' : 'highest') ?? ev.version;
        // "*" (no limit) is handled by name; like an invalid bound it never takes part in ordering.
        const valid = (ev.kind === 'introduced' && ev.version === '0') || (ev.version !== '*' && scheme.isValid(ev.version));
        const key = valid && scheme === pep440Scheme ? pep440SortKey(ev.version) : undefined;
        events.push({ ...ev, valid, ...(key !== undefined ? { key } : {}) });
      }
      ranges.push({ type: range.type, events: sortEvents(events, scheme) });
    }
    const ecoScheme = schemeFor(ecosystem);
    // `versions` OR ranges: a listed version some range already contains changes no answer, so
    // only the others are stored (osv.dev computes most lists from the ranges; this keeps the
    // index small and lookups short).
    const versionKeys = (Array.isArray(affected.versions) ? affected.versions : [])
      .filter((v): v is string => typeof v === 'string')
      .filter((v) => !ranges.some((r) => {
        const scheme = r.type === 'SEMVER' ? semverScheme : ecoScheme;
        return scheme.isValid(v) && inRange(v, r, scheme);
      }))
      .map((v) => ecoScheme.canonical(v) ?? `=${v}`);
    const key = `${ecosystem}\u0000${name}`;
    let entry = byPackage.get(key);
    if (!entry) {
      entry = {
        ecosystem,
        name,
        advisory: {
          id: raw.id,
          aliases,
          summary: firstLine(raw.summary) || firstLine(raw.details),
          ...(typeof raw.modified === 'string' ? { modified: raw.modified } : {}),
          severity: advisorySeverity(raw, affected.severity),
          url,
          source,
          affected: [],
        },
      };
      byPackage.set(key, entry);
    }
    entry.advisory.affected.push({ ranges, versionKeys });
  }
  return { withdrawn: false, entries: [...byPackage.values()], skippedAffected };
}
