/** Turning the `sources` input into opened advisory data. */
import { resolve } from 'node:path';
import { isPsrError, PsrError, type Diagnostic } from '@psr/core/errors';
import { databaseSources, LocalSource, OsvApiClient, OSV_SOURCE_FAILED, type LoadedSource, type OsvQuery } from '@psr/osv';
import { ScanErrorCodes } from './scan-errors.js';

/** What `openSources` produced: the sources that loaded, and a diagnostic per one that did not. */
export interface OpenedSources {
  loaded: LoadedSource[];
  errors: Diagnostic[];
}

function diagnostic(err: unknown, spec: string): Diagnostic {
  if (isPsrError(err)) {
    const d: Diagnostic = { code: err.code, message: err.message };
    if (err.hint) d.hint = err.hint;
    if (err.location) d.location = err.location;
    return d;
  }
  return { code: OSV_SOURCE_FAILED, message: `advisory source ${spec} failed: ${(err as Error).message}` };
}

/**
 * Open every source named in `specs`: a folder or zip path, `db` (every entry of the managed
 * database) or `osv` (the osv.dev API, queried for `queries`). With no specs, the managed
 * database is used; when it is empty that is an input error with the fix in its hint.
 *
 * @example
 * ```ts
 * const { loaded, errors } = await openSources(['../shared/data/pypa-advisory-db'], { cwd, cacheDir, queries });
 * ```
 */
export async function openSources(
  specs: readonly string[],
  options: { cwd: string; cacheDir: string; queries: readonly OsvQuery[]; osvApiUrl?: string; signal?: AbortSignal; onIndexBuild?: (source: string) => void },
): Promise<OpenedSources> {
  const loaded: LoadedSource[] = [];
  const errors: Diagnostic[] = [];
  const list = specs.length > 0 ? specs : ['db'];
  // Index files of other ecosystems stay closed: opening one parses the names of all its packages
  // (150,000 generated npm records: 135,000 names, a 4.7 MB header, ~0.3 s).
  const ecosystems = new Set(options.queries.map((q) => q.ecosystem));
  for (const spec of list) {
    try {
      if (spec === 'osv') {
        const api = new OsvApiClient({ cacheDir: options.cacheDir, ...(options.osvApiUrl ? { baseUrl: options.osvApiUrl } : {}), ...(options.signal ? { signal: options.signal } : {}) });
        loaded.push(await api.load(options.queries));
      } else if (spec === 'db') {
        // Entries known to hold other ecosystems only (osv.dev's npm export, for a Python project) are not opened.
        const sources = databaseSources(options.cacheDir, { ecosystems });
        if (sources.length === 0 && databaseSources(options.cacheDir).length === 0) {
          throw new PsrError(ScanErrorCodes.NO_DATA, `no advisory data: the database in ${options.cacheDir} is empty${specs.length === 0 ? ' and no sources were given' : ''}`, {
            hint: 'run `psr db sync` (downloads osv.dev exports), `psr db import <dir|zip>`, or pass --sources <dir|zip|osv>',
          });
        }
        for (const s of sources) loaded.push(await s.open(options.cacheDir, { ecosystems, onBuild: () => options.onIndexBuild?.(s.name) }));
      } else {
        const source = new LocalSource(resolve(options.cwd, spec));
        loaded.push(await source.open(options.cacheDir, { ecosystems, onBuild: () => options.onIndexBuild?.(source.name) }));
      }
    } catch (err) {
      // Stopped (Ctrl-C, a cancelled task): no report at all, rather than one of a failed source.
      if ((isPsrError(err) && err.code === ScanErrorCodes.NO_DATA) || options.signal?.aborted) {
        // The sources opened so far keep their index files open: the scan stops here.
        for (const l of loaded) for (const f of l.files) f.close();
        throw err;
      }
      errors.push(diagnostic(err, spec));
    }
  }
  return { loaded, errors };
}
