/**
 * `psr scan`'s fast start: runScan loaded from one CommonJS bundle with a V8 code cache.
 *
 * Imported as ES modules, run-scan is about ten files that Node 20 resolves, reads, compiles
 * and links one by one, then compiles function by function as the scan first calls them. The
 * build also writes `run-scan.cjs`, the same code (with @psr/core/errors inlined) in one file;
 * what a scan imports only when needed stays in chunks beside it, each with a CommonJS twin that
 * is required instead of importing the chunk (see tsup.config.ts). It is
 * compiled here with a code cache that V8 wrote after an earlier scan, so neither the bundle nor
 * the functions a scan runs are compiled again. The cache lives in psr's cache directory, one
 * file per bundle, Node version and architecture; a missing, damaged or rejected cache only
 * means compiling normally, and a cache that cannot be written is never an error.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';
import { resolveCacheDir } from '@psr/osv';
import type { runScan as RunScan } from './run-scan.js';

/**
 * This module's folder, `dist`. The loader is also built as CommonJS (`load-run-scan.cjs`, what
 * the CommonJS `psr` bin requires), where `__dirname` is the reliable answer: a file URL made
 * from the unescaped path would point elsewhere when the path holds a `#` or `%`.
 */
const HERE = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));

/** The bundle the build writes beside this module. */
const BUNDLE = join(HERE, 'run-scan.cjs');

/** The folder beside the bundle with the CommonJS twins of the chunks it imports. */
const TWINS = 'cjs-chunks';

/** Code caches of run-scan bundles are named `run-scan.<bundle hash>.<node>-<arch>.v8cache`. */
const CACHE_PREFIX = 'run-scan.';
const CACHE_SUFFIX = '.v8cache';

/** Where to find the bundle and keep its code cache (tests point these elsewhere). */
export interface LoadRunScanOptions {
  /** Environment that decides the cache directory (see resolveCacheDir); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The code cache directory; default `<cache dir>/code-cache`. */
  codeCacheDir?: string;
  /** The CommonJS bundle; default the `run-scan.cjs` the build writes beside this module. */
  bundle?: string;
  /**
   * V8 flags to run the scan's code with (`psr scan` sets two; see its `scan-main.ts`), set just
   * before the bundle is compiled: after the Node built-ins it requires have been loaded (this
   * module's imports load them all), because V8 checks every code cache against its flags. A
   * built-in first loaded after a flag change no longer matches the code cache Node ships it
   * with, and is compiled from source: set earlier, the flags cost a scan ~5 ms (`node:crypto`
   * and the streams it loads, `node:vm`, `node:os`…). The bundle's own cache is written under
   * the flags, so it matches them.
   */
  v8Flags?: readonly string[];
}

/**
 * runScan, from the cached bundle when there is one, else from the ES module entry (when the
 * package runs from source, in tests). Each call compiles the bundle anew: call it once per process.
 *
 * @example
 * ```ts
 * const runScan = await loadRunScan();
 * const result = await runScan({ path: '.', cwd: process.cwd(), sources: [], failOn: 'high', formats: [], outputs: [] });
 * ```
 */
export async function loadRunScan(options: LoadRunScanOptions = {}): Promise<typeof RunScan> {
  const bundle = options.bundle ?? BUNDLE;
  for (const flag of options.v8Flags ?? []) setFlagsFromString(flag);
  let bytes: Buffer;
  try {
    bytes = readFileSync(bundle);
  } catch {
    return ((await import(pathToFileURL(join(HERE, 'run-scan.js')).href)) as { runScan: typeof RunScan }).runScan;
  }
  const cacheDir = options.codeCacheDir ?? join(resolveCacheDir(options.env ?? process.env), 'code-cache');
  const cacheName = `${CACHE_PREFIX}${sha256(bytes).toString('hex').slice(0, 16)}.${process.version}-${process.arch}${CACHE_SUFFIX}`;
  const cacheFile = join(cacheDir, cacheName);
  const cachedData = readCache(cacheFile);

  // The wrapper Node puts around a CommonJS module, plus what stands for `import()` (which Node
  // 20 cannot serve to a script compiled from a code cache: chunks beside the bundle and this
  // package's dependencies are imported here) and for `import.meta.url`.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __psrImport, __psrImportMetaUrl) {${bytes.toString('utf8')}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as { runScan: typeof RunScan } };
  const url = pathToFileURL(bundle).href;
  const requireHere = createRequire(bundle);
  const importModule = (specifier: string): Promise<unknown> => {
    // The chunk's or package's CommonJS twin when the build made one (see the package's
    // tsup.config.ts): importing it would start Node's ES module loader, ~12 ms (and `yaml`
    // is 74 files, ~40 ms).
    const twinName = specifier.startsWith('.') ? basename(specifier, '.js') : /^[a-z][a-z0-9-]*$/.test(specifier) ? specifier : undefined;
    const twin = twinName === undefined ? undefined : join(dirname(bundle), TWINS, `${twinName}.cjs`);
    if (twin !== undefined && existsSync(twin)) {
      try {
        return Promise.resolve(requireHere(twin));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return import(specifier.startsWith('.') ? new URL(specifier, url).href : specifier);
  };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, requireHere, module, bundle, dirname(bundle), importModule, url);
  const { runScan } = module.exports;
  if (cachedData && !script.cachedDataRejected) return runScan;

  // Written after the first scan so the cache also holds the functions that scan compiled; not
  // after a scan that compiled an advisory index, whose cache would also hold the build's code
  // (~30 KB more to read on every warm scan, which never runs it): the next scan writes it then.
  return async (scanOptions) => {
    let built = false;
    try {
      return await runScan({
        ...scanOptions,
        onIndexBuild: (source) => {
          built = true;
          scanOptions.onIndexBuild?.(source);
        },
      });
    } finally {
      if (!built) writeCache(cacheDir, cacheName, script);
    }
  };
}

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

/**
 * A cache file is the SHA-256 of the V8 data, then the data. V8 checks the data against its own
 * version and flags and the source's length (the file name carries the bundle's hash), but a
 * release build does not check a damaged payload.
 */
function readCache(file: string): Buffer | undefined {
  try {
    const content = readFileSync(file);
    const data = content.subarray(32);
    return content.length > 32 && sha256(data).equals(content.subarray(0, 32)) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Atomically replace this bundle's cache and drop caches of other bundles; never throws. */
function writeCache(dir: string, name: string, script: vm.Script): void {
  const temp = join(dir, `${name}.${process.pid}.tmp`);
  try {
    const data = script.createCachedData();
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, Buffer.concat([sha256(data), data]));
    renameSync(temp, join(dir, name));
    // Caches of other bundles or Node versions, and temporary files a killed scan left.
    for (const entry of readdirSync(dir)) if (entry !== name && entry.startsWith(CACHE_PREFIX)) rmSync(join(dir, entry), { force: true });
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // A cache directory we cannot write to holds no temporary file either.
    }
  }
}
