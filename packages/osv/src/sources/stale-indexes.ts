/**
 * Removing compiled indexes that a newer one of the same data replaces. Each change of a source's
 * data (a `git pull` of an advisory folder, a new `all.zip`) and each new index format compiles a
 * new index under a new key, and the old one (~4 MB for the PyPA database) would stay in the cache
 * directory for good. So once a source's new index is complete, the indexes built earlier for the
 * same location (of any format: their `meta.json` names it) and the folder pointers of other
 * formats are removed. Only a cold start pays for this; a psr version that still uses an older
 * format compiles its index again once.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** What every index format's `meta.json` has held: the key and the source's location. */
interface StoredMeta {
  key?: unknown;
  snapshot?: { location?: unknown };
}

/**
 * Remove, under `indexRoot` (`<cache>/osv-index`), every complete index of `location` other than
 * the one keyed `key`, and the folder pointers named `<pointerStem>.f<format>.json` other than
 * `keepPointer`. Index folders without a readable `meta.json` are left alone (another process may
 * be writing one), and so is anything that cannot be removed: this never fails a scan.
 *
 * @returns the index folders removed
 * @example
 * ```ts
 * removeStaleIndexes('/home/me/.cache/psr/osv-index', '/src/advisory-database', '60fa0430f11128371047e806e4d1088d', {
 *   stem: 'b8d6b861cb4700b70cc9ee75008af362',
 *   keep: 'b8d6b861cb4700b70cc9ee75008af362.f14.json',
 * });
 * ```
 */
export function removeStaleIndexes(indexRoot: string, location: string, key: string, pointers: { stem: string; keep: string }): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(indexRoot);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    if (entry === key || entry === 'folders') continue;
    const dir = join(indexRoot, entry);
    try {
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as StoredMeta;
      if (meta.key !== entry || meta.snapshot?.location !== location) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Not an index folder, one still being written, or one we may not remove.
    }
  }
  const folders = join(indexRoot, 'folders');
  try {
    for (const name of readdirSync(folders))
      if (name !== pointers.keep && name.startsWith(`${pointers.stem}.f`) && name.endsWith('.json')) rmSync(join(folders, name), { force: true });
  } catch {
    // No pointers yet, or none we may remove.
  }
  return removed;
}
