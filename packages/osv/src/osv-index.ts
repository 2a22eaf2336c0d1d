/** The advisories of every opened source, looked up by ecosystem and package. */
import type { IndexedAdvisory } from './compiled-advisory.js';
import type { IndexFile } from './index-file.js';
import { matchPackage, type PackageMatch } from './match.js';
import type { LoadedSource, SourceSnapshot } from './sources/local-source.js';
import { normalizePackageName, type Ecosystem } from './version-scheme.js';

/**
 * A read-only view over several loaded sources. Sources opened from the cache keep their index
 * files open: {@link OsvIndex.close} closes them.
 *
 * @example
 * ```ts
 * const index = new OsvIndex([await new LocalSource(dir).open(cacheDir)]);
 * index.advisoriesFor('PyPI', 'Jinja2').map((a) => a.id);
 * ```
 */
export class OsvIndex {
  readonly snapshots: SourceSnapshot[];
  private readonly files: IndexFile[];

  constructor(sources: readonly LoadedSource[]) {
    this.snapshots = sources.map((s) => s.snapshot);
    this.files = sources.flatMap((s) => s.files);
  }

  /** Advisories for a package of `ecosystem` (the name is normalised first). */
  advisoriesFor(ecosystem: Ecosystem, name: string): IndexedAdvisory[] {
    const key = normalizePackageName(ecosystem, name);
    const out: IndexedAdvisory[] = [];
    for (const f of this.files) if (f.ecosystem === ecosystem) out.push(...f.advisoriesFor(key));
    return out;
  }

  /**
   * Match one installed version of a package against every source: from the package's match
   * table when exactly one source has advisories for it and a table (see match-table.ts),
   * else from its advisories ({@link matchPackage}, which also merges records of several sources).
   *
   * @example
   * ```ts
   * index.match('PyPI', 'Jinja2', '2.10').groups.map((g) => g.id); // ['PYSEC-2019-217', ...]
   * ```
   */
  match(ecosystem: Ecosystem, name: string, version: string): PackageMatch {
    const key = normalizePackageName(ecosystem, name);
    let holder: IndexFile | undefined;
    let holders = 0;
    for (const f of this.files)
      if (f.ecosystem === ecosystem && f.has(key)) {
        holder = f;
        holders++;
      }
    if (holders === 1) {
      const answer = holder!.matchFromTable(key, name, version);
      if (answer !== undefined) return answer;
    }
    return matchPackage(this.advisoriesFor(ecosystem, name), ecosystem, name, version);
  }

  /** Close the index files of the sources (a scan calls this once it has matched everything). */
  close(): void {
    for (const f of this.files) f.close();
  }

  /** True when some source holds data for `ecosystem` (also once closed). */
  covers(ecosystem: Ecosystem): boolean {
    return this.files.some((f) => f.ecosystem === ecosystem);
  }
}
