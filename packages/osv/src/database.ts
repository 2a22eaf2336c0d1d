/**
 * psr's managed advisory database under `<cacheDir>/db/<name>/`: ecosystem exports downloaded
 * from osv.dev (`db sync`) and folders/zips copied in (`db import`). Each entry has a
 * `source.json` (origin, snapshot id, when it was fetched) next to its data. A new snapshot is
 * written beside the data in use and its index compiled before `source.json` switches to it
 * (an atomic rename): a failed or interrupted sync or import leaves the previous snapshot in use.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PsrError } from '@psr/core/errors';
import { writeFileAtomicSync } from './atomic-write.js';
import { fetchWithRetries, networkErrorText, RequestFailure, type RetryPolicy } from './retrying-fetch.js';
import { LocalSource, type SourceSnapshot } from './sources/local-source.js';
import { readZipEntries } from './sources/zip-archive.js';

/** Where osv.dev publishes per-ecosystem exports (`<base>/<Ecosystem>/all.zip`). */
export const DEFAULT_OSV_DATA_URL = 'https://osv-vulnerabilities.storage.googleapis.com';
/** Error code: downloading an export failed. */
export const OSV_DOWNLOAD_FAILED = 'PSR_OSV_DOWNLOAD_FAILED';
/** Error code: `db import` was given something it cannot import. */
export const OSV_IMPORT_FAILED = 'PSR_OSV_IMPORT_FAILED';

/** One entry of the managed database. */
export interface DbEntry {
  name: string;
  kind: 'zip' | 'folder';
  /** URL or path it came from. */
  origin: string;
  /** `sha256:…` of the data. */
  snapshot: string;
  /** ISO time of the last successful sync/import. */
  fetchedAt: string;
  /** The zip file or folder holding the records. */
  dataPath: string;
  etag?: string;
  bytes: number;
  /**
   * The ecosystems its records are for, when known: an osv.dev export is one ecosystem's. A scan
   * opens only entries of its packages' ecosystems (and those of unknown ones, imports), so a
   * Python project never compiles or reads the npm export beside it.
   */
  ecosystems?: string[];
}

const MAX_DOWNLOAD_BYTES = 4 * 1024 ** 3;
/** A download in progress: `all.zip.<pid>.<random>.tmp` beside the entry's data. */
const DOWNLOAD_PREFIX = 'all.zip.';
const DOWNLOAD_SUFFIX = '.tmp';

/** Whether process `pid` is running (on this machine; the cache is not shared between machines while in use). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Delete what downloads killed part-way left (Ctrl-C, a CI job cancelled: the process ends
 * without its clean-up): an export is up to hundreds of MB, and each sync would leave another.
 * Downloads of processes still running are theirs.
 */
function removeAbandonedDownloads(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(DOWNLOAD_PREFIX) || !name.endsWith(DOWNLOAD_SUFFIX)) continue;
    const pid = Number(name.slice(DOWNLOAD_PREFIX.length).split('.')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(join(dir, name), { force: true });
  }
}
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

function entryDir(cacheDir: string, name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new PsrError(OSV_IMPORT_FAILED, `invalid database entry name "${name}"`, { hint: 'use letters, digits, ".", "_" and "-"' });
  return join(cacheDir, 'db', name);
}

function writeEntry(dir: string, entry: DbEntry): DbEntry {
  writeFileAtomicSync(join(dir, 'source.json'), `${JSON.stringify(entry, null, 2)}\n`);
  return entry;
}

/**
 * Every entry of the managed database, sorted by name.
 *
 * @example
 * ```ts
 * for (const e of listDatabase(resolveCacheDir())) console.log(e.name, e.snapshot, e.fetchedAt);
 * ```
 */
export function listDatabase(cacheDir: string): DbEntry[] {
  const root = join(cacheDir, 'db');
  if (!existsSync(root)) return [];
  const out: DbEntry[] = [];
  for (const name of readdirSync(root).sort()) {
    const meta = join(root, name, 'source.json');
    if (!existsSync(meta)) continue;
    try {
      const e = JSON.parse(readFileSync(meta, 'utf8')) as DbEntry;
      if (existsSync(e.dataPath)) out.push(e);
    } catch {
      // A damaged entry is not listed; `db sync`/`db import` rewrites it.
    }
  }
  return out;
}

/**
 * The managed entries as scan sources; with `ecosystems`, only entries that may hold records for
 * one of them (see {@link DbEntry.ecosystems}).
 *
 * @example
 * ```ts
 * const sources = databaseSources(resolveCacheDir(), { ecosystems: new Set(['PyPI']) });
 * ```
 */
export function databaseSources(cacheDir: string, options: { ecosystems?: ReadonlySet<string> } = {}): LocalSource[] {
  const wanted = options.ecosystems;
  return listDatabase(cacheDir)
    .filter((e) => wanted === undefined || e.ecosystems === undefined || e.ecosystems.some((x) => wanted.has(x)))
    .map(entrySource);
}

/**
 * The scan source of one managed entry. psr alone writes an entry's data, replacing it whole
 * with its hash beside it: the hash keys the index, and a warm scan checks nothing on disk.
 *
 * @example
 * ```ts
 * const src = entrySource(listDatabase(cacheDir)[0]!);
 * src.compiledSnapshot(cacheDir)?.advisories; // 4,200 once compiled
 * ```
 */
export function entrySource(e: DbEntry): LocalSource {
  return new LocalSource(e.dataPath, {
    name: e.name,
    snapshot: { name: e.name, snapshot: e.snapshot, fetchedAt: e.fetchedAt, location: e.origin },
    contentId: e.snapshot,
  });
}

/**
 * osv.dev rebuilds its exports every day: data `psr db sync` downloaded more than this many days
 * ago misses what was published since (Grype refuses a database over five days old by default;
 * psr warns, and still scans).
 */
export const STALE_DOWNLOAD_DAYS = 7;

/**
 * Whole days since data was downloaded from `origin`, when that is more than
 * {@link STALE_DOWNLOAD_DAYS}; else `undefined`. Imported or folder data (a path, not a URL) is as
 * current as its owner keeps it, and never counts as stale.
 *
 * @example
 * ```ts
 * staleDownloadDays('https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip', '2026-11-20T00:00:00Z', Date.parse('2026-12-06T00:00:00Z')); // 16
 * ```
 */
export function staleDownloadDays(origin: string, fetchedAt: string | undefined, now: number = Date.now()): number | undefined {
  if (!fetchedAt || !/^https?:\/\//.test(origin)) return undefined;
  const days = Math.floor((now - Date.parse(fetchedAt)) / 86_400_000);
  return days > STALE_DOWNLOAD_DAYS ? days : undefined;
}

/**
 * Compile the index of a managed entry now, or reuse the one already compiled for the same data;
 * returns what the index says about the data. {@link syncEcosystem} and {@link importSource}
 * compile what they write before it replaces the previous data, so the next scan is warm and
 * `psr db status` can tell how current the data is.
 *
 * @example
 * ```ts
 * const snap = await compileEntry(cacheDir, await importSource(cacheDir, '../advisory-database'));
 * console.log(`${snap.advisories} advisories, newest ${snap.newestModified}`);
 * ```
 */
export async function compileEntry(cacheDir: string, e: DbEntry): Promise<SourceSnapshot> {
  const loaded = await entrySource(e).open(cacheDir);
  for (const f of loaded.files) f.close();
  return loaded.snapshot;
}


/**
 * An entry's data with what its compiled index says about it: what `psr db sync` and `psr db
 * import` print.
 */
export type CompiledDbEntry = DbEntry & { compiled: SourceSnapshot };

/** Where a new snapshot of an entry's data goes: beside the data in use, named by its hash. */
function snapshotDataPath(dir: string, kind: 'zip' | 'folder', snapshot: string): string {
  const id = snapshot.replace(/^sha256:/, '');
  return join(dir, kind === 'zip' ? `all-${id}.zip` : `data-${id}`);
}

/** What a failed sync or import says about the data a scan goes on using. */
function keptText(name: string, previous: DbEntry | undefined): string {
  return previous ? `${name} keeps its previous data (${previous.snapshot} from ${previous.origin})` : `nothing was added to the database`;
}

/**
 * The error of a compile that refused new data: `what` names where the data came from (the
 * compile names its records there too, see {@link entrySource}), then the record's problem and
 * what was kept; `hint(recordHint)` says what to do.
 */
function refused(code: string, what: string, err: unknown, kept: string, hint: (recordHint: string | undefined) => string): PsrError {
  // The record's own error, without the "advisory source <path>:" its source adds around it.
  const inner = err instanceof PsrError && err.cause instanceof PsrError ? err.cause : err;
  const message = inner instanceof Error ? inner.message : String(inner);
  const located = err instanceof PsrError ? err : undefined;
  return new PsrError(code, `${what}: ${message}; ${kept}`, {
    hint: hint(located?.hint),
    ...(located?.location ? { location: located.location } : {}),
    cause: err,
  });
}

/**
 * Make the new data of an entry (`entry.dataPath`, written beside the data in use) its data:
 * compile the index first, then switch `source.json` to it (one atomic rename: every reader sees
 * the previous entry or the new one), then delete the previous data and its index. When the
 * compile fails, the new data is deleted and the entry is left as it was; `refuse` turns the
 * compile's error into the caller's.
 */
async function commitSnapshot(
  cacheDir: string,
  entry: DbEntry,
  previous: DbEntry | undefined,
  refuse: (err: unknown, kept: string) => PsrError,
): Promise<CompiledDbEntry> {
  const dir = entryDir(cacheDir, entry.name);
  let compiled: SourceSnapshot;
  try {
    compiled = await compileEntry(cacheDir, entry);
  } catch (err) {
    try {
      entrySource(entry).removeIndexes(cacheDir);
    } catch {
      // Nothing of it was compiled.
    }
    rmSync(entry.dataPath, { recursive: true, force: true });
    throw refuse(err, keptText(entry.name, previous));
  }
  writeEntry(dir, entry);
  // source.json is hand-editable: only data inside the entry's own folder is ever deleted.
  if (previous && previous.dataPath !== entry.dataPath && resolve(previous.dataPath).startsWith(`${dir}${sep}`)) {
    try {
      entrySource(previous).removeIndexes(cacheDir);
    } catch {
      // Its data is already gone.
    }
    rmSync(previous.dataPath, { recursive: true, force: true });
  }
  return { ...entry, compiled };
}

/**
 * The entry `previous` with the same data fetched or imported again (an unchanged ETag or
 * content hash): only its time (and origin, ETag) change; its index is compiled when missing.
 */
async function touchEntry(cacheDir: string, previous: DbEntry, changes: Partial<DbEntry>): Promise<CompiledDbEntry> {
  const entry: DbEntry = { ...previous, ...changes, fetchedAt: new Date().toISOString() };
  const compiled = await compileEntry(cacheDir, entry);
  writeEntry(entryDir(cacheDir, entry.name), entry);
  return { ...entry, compiled };
}

/**
 * Download osv.dev's export of one ecosystem (`<baseUrl>/<ecosystem>/all.zip`) into the cache
 * and compile its index. The export must be a safe zip whose every record reads: only then does
 * it replace the previous snapshot, at once; else the previous snapshot stays in use and
 * nothing of the download is kept. Uses the ETag to skip unchanged data.
 *
 * @example
 * ```ts
 * const e = await syncEcosystem(resolveCacheDir(), 'PyPI', { baseUrl: 'http://127.0.0.1:8080' });
 * e.snapshot; // 'sha256:…'
 * e.compiled.advisories; // 2,651
 * ```
 */
export async function syncEcosystem(
  cacheDir: string,
  ecosystem: string,
  options: { baseUrl?: string; signal?: AbortSignal; retry?: Partial<RetryPolicy> } = {},
): Promise<CompiledDbEntry & { changed: boolean }> {
  const dir = entryDir(cacheDir, ecosystem);
  const base = (options.baseUrl ?? process.env['PSR_OSV_DATA_URL'] ?? DEFAULT_OSV_DATA_URL).replace(/\/+$/, '');
  const url = `${base}/${encodeURIComponent(ecosystem)}/all.zip`;
  const previous = listDatabase(cacheDir).find((e) => e.name === ecosystem);
  const fail = (message: string, cause?: unknown): PsrError =>
    new PsrError(OSV_DOWNLOAD_FAILED, `downloading ${url} failed: ${message}; ${keptText(ecosystem, previous)}`, {
      hint:
        cause instanceof RequestFailure && cause.status === 404
          ? `there is no export of "${ecosystem}" there: ecosystem names are case-sensitive, and osv.dev lists its exports in ${base}/ecosystems.txt`
          : 'check the network (or PSR_OSV_DATA_URL / --url), or import a local copy with `psr db import <dir|zip>`',
      ...(cause !== undefined ? { cause } : {}),
    });
  if (existsSync(dir)) removeAbandonedDownloads(dir);
  const tmp = join(dir, `${DOWNLOAD_PREFIX}${process.pid}.${randomBytes(4).toString('hex')}${DOWNLOAD_SUFFIX}`);
  let entry: DbEntry;
  try {
    // Written again whole by each attempt: a download cut off is retried from the start.
    const download = await fetchWithRetries(
      url,
      { headers: previous?.etag ? { 'if-none-match': previous.etag } : {} },
      async (res, { progress }) => {
        if (res.status === 304) return { notModified: true as const };
        if (!res.body) throw new Error('the server answered without a body');
        mkdirSync(dir, { recursive: true });
        let bytes = 0;
        const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
        body.on('data', (c: Buffer) => {
          // A slow download is fine; one that stops is not (see RetryPolicy.idleTimeoutMs).
          progress();
          bytes += c.length;
          if (bytes > MAX_DOWNLOAD_BYTES) body.destroy(new Error(`larger than ${MAX_DOWNLOAD_BYTES} bytes`));
        });
        await pipeline(body, createWriteStream(tmp));
        return { notModified: false as const, etag: res.headers.get('etag') };
      },
      { ...(options.retry ? { policy: options.retry } : {}), ...(options.signal ? { signal: options.signal } : {}) },
    ).catch((err: unknown) => {
      if (options.signal?.aborted) throw err;
      throw fail(err instanceof RequestFailure ? err.message : networkErrorText(err), err);
    });
    if (download.notModified) {
      if (!previous) throw fail('HTTP 304 (not modified) for data psr does not have');
      rmSync(tmp, { force: true });
      return { ...(await touchEntry(cacheDir, previous, {})), changed: false };
    }
    // Refuse unsafe or corrupt archives before anything else reads them.
    const zipBytes = readFileSync(tmp);
    await readZipEntries(url, () => undefined, {}, zipBytes);
    const snapshot = `sha256:${createHash('sha256').update(zipBytes).digest('hex').slice(0, 16)}`;
    const { etag } = download;
    if (previous?.kind === 'zip' && previous.snapshot === snapshot) {
      rmSync(tmp, { force: true });
      return { ...(await touchEntry(cacheDir, previous, { origin: url, ...(etag ? { etag } : {}) })), changed: false };
    }
    const dataPath = snapshotDataPath(dir, 'zip', snapshot);
    renameSync(tmp, dataPath);
    entry = {
      name: ecosystem,
      kind: 'zip',
      origin: url,
      snapshot,
      fetchedAt: new Date().toISOString(),
      dataPath,
      ...(etag ? { etag } : {}),
      bytes: statSync(dataPath).size,
      ecosystems: [ecosystem],
    };
  } catch (err) {
    rmSync(tmp, { force: true });
    if (options.signal?.aborted) throw err;
    if (err instanceof PsrError && err.code === OSV_DOWNLOAD_FAILED) throw err;
    const e = err instanceof PsrError ? err : undefined;
    throw new PsrError(OSV_DOWNLOAD_FAILED, `downloading ${url} failed: ${(err as Error).message}; ${keptText(ecosystem, previous)}`, {
      hint: e?.hint ?? 'check the network (or PSR_OSV_DATA_URL / --url), or import a local copy with `psr db import <dir|zip>`',
      cause: err,
    });
  }
  const committed = await commitSnapshot(cacheDir, entry, previous, (err, kept) =>
    refused(OSV_DOWNLOAD_FAILED, `the export downloaded from ${url} was refused`, err, kept, () =>
      'psr takes an export only when every record reads (a scan never runs with records missing): try again later (osv.dev rebuilds its exports daily), or report the record',
    ),
  );
  return { ...committed, changed: true };
}

/**
 * Copy a folder or zip of OSV records into the managed database and compile its index. Zips are
 * checked entry by entry (no `..`, absolute paths or symlinks; bounded sizes); folders may not
 * contain symlinks; every record must read. Only then does the copy replace the entry's previous
 * data, at once; on any failure the previous data stays in use and the copy is deleted.
 *
 * @example
 * ```ts
 * const e = await importSource(resolveCacheDir(), '../shared/data/pypa-advisory-db');
 * e.name; // 'pypa-advisory-db'
 * e.compiled.advisories; // 2,651
 * ```
 */
export async function importSource(cacheDir: string, path: string, options: { name?: string } = {}): Promise<CompiledDbEntry> {
  const src = resolve(path);
  let st;
  try {
    st = lstatSync(src);
  } catch (err) {
    throw new PsrError(OSV_IMPORT_FAILED, `${path} does not exist`, { hint: 'pass a folder or .zip of OSV records', cause: err });
  }
  if (st.isSymbolicLink()) throw new PsrError(OSV_IMPORT_FAILED, `${path} is a symbolic link`, { hint: 'pass the real folder or zip' });
  const name = options.name ?? basename(src).replace(/\.zip$/i, '');
  const dir = entryDir(cacheDir, name);
  const previous = listDatabase(cacheDir).find((e) => e.name === name);
  mkdirSync(dir, { recursive: true });
  const stage = join(dir, `stage.${process.pid}.${randomBytes(4).toString('hex')}`);
  const hash = createHash('sha256');
  let bytes = 0;
  let kind: 'zip' | 'folder';
  let entry: DbEntry;
  try {
    if (st.isDirectory()) {
      kind = 'folder';
      const walk = (d: string): void => {
        for (const ent of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
          const p = join(d, ent.name);
          const rel = relative(src, p);
          if (ent.isSymbolicLink())
            throw new PsrError(OSV_IMPORT_FAILED, `${p} is a symbolic link`, { hint: 'psr imports only regular files; replace the link with the file' });
          if (ent.isDirectory()) walk(p);
          else if (ent.isFile() && /\.(json|ya?ml)$/i.test(ent.name)) {
            const size = statSync(p).size;
            if (size > MAX_RECORD_BYTES) throw new PsrError(OSV_IMPORT_FAILED, `${p} is larger than ${MAX_RECORD_BYTES} bytes`, { hint: 'this is not an OSV record' });
            mkdirSync(join(stage, relative(src, d)), { recursive: true });
            copyFileSync(p, join(stage, rel));
            hash.update(`${rel.split(sep).join('/')}\u0000`).update(readFileSync(p));
            bytes += size;
          }
        }
      };
      walk(src);
      if (bytes === 0) throw new PsrError(OSV_IMPORT_FAILED, `${path} holds no .json/.yaml OSV records`, { hint: 'expected e.g. vulns/<pkg>/PYSEC-*.yaml' });
    } else {
      kind = 'zip';
      const zipBytes = readFileSync(src);
      await readZipEntries(src, () => undefined, {}, zipBytes);
      mkdirSync(stage, { recursive: true });
      copyFileSync(src, join(stage, 'all.zip'));
      hash.update(zipBytes);
      bytes = st.size;
    }
    const snapshot = `sha256:${hash.digest('hex').slice(0, 16)}`;
    if (previous?.kind === kind && previous.snapshot === snapshot) return await touchEntry(cacheDir, previous, { origin: src });
    const dataPath = snapshotDataPath(dir, kind, snapshot);
    // A copy of the same data left by an import that was interrupted: replaced.
    rmSync(dataPath, { recursive: true, force: true });
    renameSync(kind === 'zip' ? join(stage, 'all.zip') : stage, dataPath);
    entry = { name, kind, origin: src, snapshot, fetchedAt: new Date().toISOString(), dataPath, bytes };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return commitSnapshot(cacheDir, entry, previous, (err, kept) =>
    refused(OSV_IMPORT_FAILED, `${path} was not imported`, err, kept, (recordHint) =>
      `${recordHint ?? 'fix or remove the offending record'}; then import again (psr imports data only when every record reads: a scan never runs with records missing)`,
    ),
  );
}
