/**
 * A local OSV data snapshot — a folder (the PyPA advisory-database layout, or any tree of OSV
 * `.json`/`.yaml` files) or a zip (osv.dev's `<Ecosystem>/all.zip`) — and its compiled index.
 * The index is cached under `<cacheDir>/osv-index/<key>/`, keyed by a fingerprint of the data
 * (paths, sizes and mtimes of the files; the zip's path, size and mtime), so a warm scan stats
 * files but never re-reads advisories.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { PsrError } from '@psr/core/errors';
import { OSV_ADVISORY_INVALID, parseAdvisory } from '../advisory.js';
import { writeFileAtomicSync } from '../atomic-write.js';
import { compileAdvisory } from '../compiled-advisory.js';
import { INDEX_FORMAT, IndexFile, IndexFileBuilder } from '../index-file.js';
import type { Ecosystem } from '../version-scheme.js';
import { removeStaleIndexes } from './stale-indexes.js';
import { readZipEntries } from './zip-archive.js';

/** Error code: a data source is missing, unreadable or holds invalid records. */
export const OSV_SOURCE_FAILED = 'PSR_OSV_SOURCE_FAILED';

/** What a report says about the data it used. */
export interface SourceSnapshot {
  /** Short name (`pypa-advisory-db`, `PyPI`, `osv.dev`). */
  name: string;
  kind: 'folder' | 'zip' | 'osv-api';
  /** Path or URL. */
  location: string;
  /** Content identity of the data (`sha256:…`), or the query time for the API. */
  snapshot: string;
  /** Newest `modified` timestamp among the advisories (how current the data is). */
  newestModified?: string;
  /** When the data was downloaded or imported (managed sources only). */
  fetchedAt?: string;
  advisories: number;
  withdrawn: number;
  packages: number;
}

interface IndexMeta {
  format: number;
  key: string;
  snapshot: SourceSnapshot;
  ecosystems: Ecosystem[];
  builtAt: string;
}

/**
 * The meta file of the compiled index in `dir` when it is complete (meta.json is written last)
 * and of this format and key; undefined when there is none yet, or it is damaged or stale (the
 * next open rebuilds it).
 */
function readIndexMeta(dir: string, key: string): IndexMeta | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as IndexMeta;
    return meta.format === INDEX_FORMAT && meta.key === key ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** How {@link LocalSource.open} opens a source. */
export interface SourceOpenOptions {
  /** Called just before the index is compiled (the first open of this data). */
  onBuild?: () => void;
  /**
   * The ecosystems to open the index files of (default: all). A scan names those of its
   * packages: opening an index file parses its header, the names of all its packages, which
   * for a large export (150,000 generated npm records: 135,000 names, ~0.3 s) costs more than a
   * whole Python scan.
   */
  ecosystems?: ReadonlySet<Ecosystem>;
}

/** A source opened for matching. */
export interface LoadedSource {
  snapshot: SourceSnapshot;
  /**
   * Its index files: those of the ecosystems asked for ({@link SourceOpenOptions.ecosystems}; all
   * when just built). Those read from the cache are open until closed (see OsvIndex.close).
   */
  files: IndexFile[];
  /** True when this open compiled the index (a cold start). */
  built: boolean;
  /** Files that were skipped with a reason (non-OSV, unsupported ecosystem). */
  warnings: string[];
}

const MAX_RECORD_BYTES = 16 * 1024 * 1024;
const RECORD_FILE = /\.(json|ya?ml)$/i;

function sourceError(location: string, message: string, hint: string, cause?: unknown): PsrError {
  return new PsrError(OSV_SOURCE_FAILED, message, { hint, location: { file: location, line: 1, col: 1 }, ...(cause !== undefined ? { cause } : {}) });
}

/** One advisory file of a folder source. */
interface FolderEntry {
  rel: string;
  size: number;
  mtimeMs: number;
}

/**
 * One walk of a folder source (hidden entries skipped, symlinks not followed): its advisory
 * files, sorted, with size and mtime, and the modification time of every folder by relative
 * path. A folder's time is taken before it is read, so a change during the walk is seen next time.
 */
function walkFolder(dir: string): { files: FolderEntry[]; times: Record<string, number> } {
  const files: FolderEntry[] = [];
  const times: Record<string, number> = {};
  const walk = (d: string, rel: string): void => {
    times[rel] = statSync(d).mtimeMs;
    for (const ent of readdirSync(d, { withFileTypes: true })) {
      if (ent.name.startsWith('.')) continue;
      const path = join(d, ent.name);
      const entryRel = rel === '.' ? ent.name : `${rel}/${ent.name}`;
      if (ent.isDirectory()) walk(path, entryRel);
      else if (ent.isFile() && RECORD_FILE.test(ent.name)) {
        const st = statSync(path);
        files.push({ rel: entryRel, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  };
  walk(dir, '.');
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, times };
}

/** The last index used for a folder and the folder times it was checked against. */
interface FolderPointer {
  format: number;
  key: string;
  times: Record<string, number>;
}

/**
 * A folder or zip of OSV records.
 *
 * @example
 * ```ts
 * const src = new LocalSource('../shared/data/pypa-advisory-db');
 * const loaded = await src.open(resolveCacheDir());
 * loaded.snapshot.snapshot; // 'sha256:…'
 * ```
 */
export class LocalSource {
  readonly path: string;
  readonly kind: 'folder' | 'zip';
  readonly name: string;
  private readonly extra: Partial<SourceSnapshot>;
  private readonly contentId: string | undefined;

  /**
   * @param options.name - the name reports give the source (default: the last path segment)
   * @param options.snapshot - report fields that override the index's own (the managed database
   *   names its origin, fetch time and content hash). Its `location` also names the records in
   *   error messages: a record of a managed entry is named in the folder, zip or URL it was
   *   imported or downloaded from (where it can be fixed), not in psr's copy in the cache.
   * @param options.contentId - an identity of the data that changes whenever the data does, for
   *   data that only psr writes (the managed database: `psr db import` and `psr db sync` replace
   *   an entry's data whole, with its content hash beside it). The index is then keyed by it, and
   *   a warm open reads nothing of the data: not the ~700 folder `stat`s of the PyPA database.
   */
  constructor(path: string, options: { name?: string; snapshot?: Partial<SourceSnapshot>; contentId?: string } = {}) {
    this.path = resolve(path);
    let st;
    try {
      st = statSync(this.path);
    } catch (err) {
      throw sourceError(path, `advisory source ${path} does not exist`, 'pass a folder or .zip of OSV records, or run `psr db sync`', err);
    }
    this.kind = st.isDirectory() ? 'folder' : 'zip';
    this.name = options.name ?? (this.path.split(sep).pop() ?? this.path);
    this.extra = options.snapshot ?? {};
    this.contentId = options.contentId;
  }

  /** A cheap identity of the data on disk: changes whenever any record file changes. */
  fingerprint(): string {
    return this.fingerprintOf(this.kind === 'folder' ? walkFolder(this.path).files : []);
  }

  /** {@link fingerprint} of a folder listing already taken (a build reuses it). */
  private fingerprintOf(files: readonly FolderEntry[]): string {
    const h = createHash('sha256').update(`${INDEX_FORMAT}\u0000${this.kind}\u0000${this.path}\u0000`);
    if (this.kind === 'zip') {
      const st = statSync(this.path);
      h.update(`${st.size}\u0000${st.mtimeMs}`);
    } else {
      for (const f of files) h.update(`${f.rel}\u0000${f.size}\u0000${f.mtimeMs}\n`);
    }
    return h.digest('hex').slice(0, 32);
  }

  /**
   * Open the compiled index, building it first when the cache has none for this exact data
   * (`options.onBuild` is called just before, e.g. to say that this first scan takes longer).
   */
  async open(cacheDir: string, options: SourceOpenOptions = {}): Promise<LoadedSource> {
    if (this.contentId !== undefined) return this.openByContentId(cacheDir, this.contentId, options);
    // Warm path for folders: when no folder's mtime changed since the last full check (adding,
    // removing or replacing a file — what git does — changes its folder's mtime), reuse that
    // index after ~700 directory stats instead of statting every file. Any change falls back
    // to the full fingerprint below.
    // One pointer per index format: two psr versions sharing a cache directory would otherwise
    // overwrite each other's pointer and both take the slow path on every scan.
    const pointerStem = this.pointerStem();
    const pointerPath = join(cacheDir, 'osv-index', 'folders', `${pointerStem}.f${INDEX_FORMAT}.json`);
    if (this.kind === 'folder' && existsSync(pointerPath)) {
      try {
        const pointer = JSON.parse(readFileSync(pointerPath, 'utf8')) as FolderPointer;
        const names = Object.keys(pointer.times);
        // A new sub-folder changes its parent's mtime, a removed one fails its stat.
        // Plain concatenation, not join(): `rel` is already clean ('/'-separated, no '..'), and
        // normalising ~700 paths showed in profiles.
        if (pointer.format === INDEX_FORMAT && names.every((rel) => statSync(rel === '.' ? this.path : `${this.path}/${rel}`).mtimeMs === pointer.times[rel])) {
          const cached = this.readIndex(join(cacheDir, 'osv-index', pointer.key), pointer.key, options.ecosystems);
          if (cached) return cached;
        }
      } catch {
        // Stale or damaged pointer: take the full path.
      }
    }
    let key: string;
    let times: Record<string, number> | undefined;
    let files: FolderEntry[] = [];
    try {
      if (this.kind === 'folder') ({ files, times } = walkFolder(this.path));
      key = this.fingerprintOf(files);
    } catch (err) {
      throw sourceError(this.path, `advisory source ${this.path} cannot be read: ${(err as Error).message}`, 'check the path and its permissions', err);
    }
    const dir = join(cacheDir, 'osv-index', key);
    let loaded = this.readIndex(dir, key, options.ecosystems);
    if (!loaded) {
      options.onBuild?.();
      loaded = await this.build(dir, key, files);
      removeStaleIndexes(join(cacheDir, 'osv-index'), this.path, key, { stem: pointerStem, keep: basename(pointerPath) });
    }
    if (times) {
      const pointer: FolderPointer = { format: INDEX_FORMAT, key, times };
      try {
        writeFileAtomicSync(pointerPath, JSON.stringify(pointer));
      } catch {
        // The pointer only speeds up the next scan.
      }
    }
    return loaded;
  }

  /**
   * What the compiled index of this data says about it (advisory and package counts, the newest
   * `modified` time), without opening it; `undefined` when the cache has no index of this exact
   * data yet. Known only for sources with a `contentId` (the managed database): any other source
   * would have to be fingerprinted, which is most of the work of opening it.
   *
   * @example
   * ```ts
   * for (const src of databaseSources(cacheDir)) console.log(src.name, src.compiledSnapshot(cacheDir)?.newestModified);
   * ```
   */
  compiledSnapshot(cacheDir: string): SourceSnapshot | undefined {
    if (this.contentId === undefined) return undefined;
    const key = this.contentKey(this.contentId);
    const meta = readIndexMeta(join(cacheDir, 'osv-index', key), key);
    return meta && { ...meta.snapshot, ...this.extra };
  }

  /** The index key of data that psr alone writes (see the constructor's `contentId`). */
  private contentKey(contentId: string): string {
    return createHash('sha256').update(`${INDEX_FORMAT}\u0000${this.kind}\u0000${this.path}\u0000content\u0000${contentId}`).digest('hex').slice(0, 32);
  }

  /** {@link open} for data that psr alone writes, keyed by its content identity: no freshness check. */
  private async openByContentId(cacheDir: string, contentId: string, options: SourceOpenOptions): Promise<LoadedSource> {
    const key = this.contentKey(contentId);
    const dir = join(cacheDir, 'osv-index', key);
    const cached = this.readIndex(dir, key, options.ecosystems);
    if (cached) return cached;
    let files: FolderEntry[] = [];
    try {
      if (this.kind === 'folder') files = walkFolder(this.path).files;
    } catch (err) {
      throw sourceError(this.path, `advisory source ${this.path} cannot be read: ${(err as Error).message}`, 'check the path and its permissions', err);
    }
    options.onBuild?.();
    const loaded = await this.build(dir, key, files);
    // The previous import's index, and folder pointers from scans of the same path by folder.
    removeStaleIndexes(join(cacheDir, 'osv-index'), this.path, key, { stem: this.pointerStem(), keep: '' });
    return loaded;
  }

  /** The name stem of this location's folder pointers (see {@link open}). */
  private pointerStem(): string {
    return createHash('sha256').update(this.path).digest('hex').slice(0, 32);
  }

  /**
   * Remove every compiled index of this location, and its folder pointers: for data about to be
   * deleted (a managed entry's previous snapshot, once a new one has replaced it), which no scan
   * can open again. Never fails: what cannot be removed stays.
   *
   * @example
   * ```ts
   * entrySource(previousEntry).removeIndexes(cacheDir);
   * ```
   */
  removeIndexes(cacheDir: string): void {
    // No index is keyed '': every complete index of this location goes.
    removeStaleIndexes(join(cacheDir, 'osv-index'), this.path, '', { stem: this.pointerStem(), keep: '' });
  }

  /**
   * The compiled index in `dir` when it is complete and current, else undefined; of its index
   * files, only those of `ecosystems` (default: all) are opened.
   */
  private readIndex(dir: string, key: string, ecosystems?: ReadonlySet<Ecosystem>): LoadedSource | undefined {
    const meta = readIndexMeta(dir, key);
    if (!meta) return undefined;
    // Opened index files stay open for the scan (OsvIndex.close closes them).
    const files: IndexFile[] = [];
    try {
      for (const e of meta.ecosystems) if (!ecosystems || ecosystems.has(e)) files.push(IndexFile.read(join(dir, `${e}.idx`)));
      return { snapshot: { ...meta.snapshot, ...this.extra }, files, built: false, warnings: [] };
    } catch {
      // A damaged cache entry is rebuilt.
      for (const f of files) f.close();
      return undefined;
    }
  }

  private async build(dir: string, key: string, records: readonly FolderEntry[]): Promise<LoadedSource> {
    // Where messages say the records are (see the constructor's `snapshot`); read from `this.path`.
    const shown = this.extra.location ?? this.path;
    const byEco = new Map<Ecosystem, IndexFileBuilder>();
    const content = createHash('sha256');
    const warnings: string[] = [];
    let advisories = 0;
    let withdrawn = 0;
    let newest = '';
    const addRecord = (file: string, text: string): void => {
      const raw = parseAdvisory(text, file);
      let compiled: ReturnType<typeof compileAdvisory>;
      try {
        compiled = compileAdvisory(raw, this.name);
      } catch (err) {
        // compileAdvisory reads every field defensively; should a shape still slip through, the
        // message names the record rather than the whole source.
        throw new PsrError(OSV_ADVISORY_INVALID, `${file}: record ${raw.id} could not be read: ${(err as Error).message}`, {
          hint: 'check the record against the OSV schema (https://ossf.github.io/osv-schema/), or remove it',
          location: { file, line: 1, col: 1 },
          cause: err,
        });
      }
      if (compiled.withdrawn) {
        withdrawn++;
        return;
      }
      advisories++;
      if (typeof raw.modified === 'string' && raw.modified > newest) newest = raw.modified;
      for (const { ecosystem, name, advisory } of compiled.entries) {
        let index = byEco.get(ecosystem);
        if (!index) byEco.set(ecosystem, (index = new IndexFileBuilder(ecosystem, this.name)));
        index.add(name, advisory);
      }
    };
    try {
      if (this.kind === 'zip') {
        const zipBytes = readFileSync(this.path);
        content.update(zipBytes);
        await readZipEntries(
          shown,
          (name, data) => {
            if (!RECORD_FILE.test(name)) return;
            addRecord(`${shown}!/${name}`, data.toString('utf8'));
          },
          {},
          zipBytes,
        );
      } else {
        for (const f of records) {
          const file = join(shown, f.rel);
          if (f.size > MAX_RECORD_BYTES) throw sourceError(file, `${file}: advisory file larger than ${MAX_RECORD_BYTES} bytes`, 'this is not an OSV record; remove it');
          const text = readFileSync(join(this.path, f.rel), 'utf8');
          content.update(`${f.rel}\u0000`).update(text).update('\u0000');
          addRecord(file, text);
        }
      }
    } catch (err) {
      if (err instanceof PsrError) {
        if (err.code === OSV_SOURCE_FAILED) throw err;
        throw new PsrError(OSV_SOURCE_FAILED, `advisory source ${shown}: ${err.message}`, {
          hint: err.hint ?? 'fix or remove the offending record',
          ...(err.location ? { location: err.location } : {}),
          cause: err,
        });
      }
      throw sourceError(this.path, `advisory source ${this.path} cannot be read: ${(err as Error).message}`, 'check the path and its permissions', err);
    }
    if (advisories + withdrawn === 0)
      throw sourceError(shown, `advisory source ${shown} holds no OSV records`, 'expected .json/.yaml OSV files (e.g. vulns/<pkg>/PYSEC-*.yaml) or an osv.dev all.zip');
    const files: IndexFile[] = [];
    let packages = 0;
    const ecosystems = [...byEco.keys()].sort();
    for (const eco of ecosystems) {
      const bytes = byEco.get(eco)!.encode();
      writeFileAtomicSync(join(dir, `${eco}.idx`), bytes);
      const file = IndexFile.decode(bytes);
      packages += file.packageCount;
      files.push(file);
    }
    const snapshot: SourceSnapshot = {
      name: this.name,
      kind: this.kind,
      location: this.path,
      snapshot: `sha256:${content.digest('hex').slice(0, 16)}`,
      ...(newest ? { newestModified: newest } : {}),
      advisories,
      withdrawn,
      packages,
    };
    const meta: IndexMeta = { format: INDEX_FORMAT, key, snapshot, ecosystems, builtAt: new Date().toISOString() };
    // meta.json is written last: its presence means the index files beside it are complete.
    writeFileAtomicSync(join(dir, 'meta.json'), JSON.stringify(meta));
    return { snapshot: { ...snapshot, ...this.extra }, files, built: true, warnings };
  }
}
