/** The advisories of every opened source, looked up by ecosystem and package. */
import type { IndexedAdvisory } from './compiled-advisory.js';
import type { IndexFile } from './index-file.js';
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

  /** Close the index files of the sources (a scan calls this once it has matched everything). */
  close(): void {
    for (const f of this.files) f.close();
  }

  /** True when some source holds data for `ecosystem`. */
  covers(ecosystem: Ecosystem): boolean {
    return this.files.some((f) => f.ecosystem === ecosystem);
  }
}
