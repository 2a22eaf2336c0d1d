// runScan from the built CommonJS bundle with a V8 code cache, as `psr scan` loads it, against
// the ES module runScan. Each load runs in its own Node process, as in psr: within one process
// V8 reuses the script it compiled first and never reads the code cache. Needs the package
// built (the test target depends on the build).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadRunScanOptions } from './load-run-scan.js';
import { loadRunScan } from './load-run-scan.js';
import { runScan, type ScanOptions, type ScanResult } from './run-scan.js';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const LOADER = new URL('../dist/load-run-scan.js', import.meta.url).href;
const PROJECT = fileURLToPath(new URL('../fixtures/py-project', import.meta.url));
const ADVISORIES = fileURLToPath(new URL('../fixtures/advisories', import.meta.url));
const temp: string[] = [];
afterAll(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'psr-load-run-scan-'));
  temp.push(d);
  return d;
}

const indexCache = tempDir();
const options = (extra: Partial<ScanOptions> = {}): ScanOptions => ({
  path: '.', cwd: PROJECT, sources: [ADVISORIES], failOn: 'high', formats: [], outputs: [], cacheDir: indexCache, ...extra,
});

/**
 * What a user sees of a scan: the report without the run's own timing, the status, and the
 * table, which the bundle renders with a module it imports when needed — as JSON, the form
 * the child sends it in (findings are objects whose text fields are getters).
 */
function outcomeOf(result: ScanResult): unknown {
  const { run, ...rest } = result.report;
  return JSON.parse(JSON.stringify({ report: { ...rest, target: run.target }, status: result.status, table: result.table ?? null }));
}

/** The script a child process runs: loadRunScan from dist, one scan, its outcome as JSON. */
const CHILD = `
const { loadRunScan } = await import(${JSON.stringify(LOADER)});
const [loadOptions, scanOptions] = JSON.parse(process.argv[1]);
const scan = await loadRunScan(loadOptions);
try {
  const result = await scan(scanOptions);
  const { run, ...rest } = result.report;
  console.log(JSON.stringify({ report: { ...rest, target: run.target }, status: result.status, table: result.table ?? null }));
} catch (error) {
  console.log(JSON.stringify({ error: { code: error.code, hint: error.hint, message: error.message } }));
}`;

/** One `psr scan`-like process: load runScan from the bundle (and its cache), scan once. */
async function scanInChild(load: LoadRunScanOptions, scan: ScanOptions): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD, JSON.stringify([load, scan])]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** The one code cache file in `dir`. */
function cacheFile(dir: string): string {
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  return join(dir, files[0]!);
}

describe('loadRunScan', () => {
  it('scans as the ES module runScan does, on the first run (writing the cache) and from the cache', async () => {
    const codeCacheDir = join(tempDir(), 'code-cache');
    const expected = outcomeOf(await runScan(options()));
    expect(await scanInChild({ codeCacheDir }, options())).toEqual(expected);
    const written = statSync(cacheFile(codeCacheDir)).ino;
    expect(await scanInChild({ codeCacheDir }, options())).toEqual(expected);
    // V8 accepted the cache, so it was not written again (a write renames a new file in place).
    expect(statSync(cacheFile(codeCacheDir)).ino).toBe(written);
    expect(expected).toMatchObject({ table: expect.stringContaining('PYSEC-') });
  });

  it('sets the V8 flags it is given after loading the Node built-ins the bundle requires, and its cache holds under them', async () => {
    // A built-in loaded after a flag change no longer matches the code cache Node ships it with
    // and is compiled from source: ~5 ms of every scan.
    const builtins = [...new Set([...readFileSync(join(DIST, 'run-scan.cjs'), 'utf8').matchAll(/\brequire\("([a-z_/]+)"\)/g)].map((m) => m[1]!))];
    expect(builtins).toContain('crypto');
    const dir = tempDir();
    const codeCacheDir = join(dir, 'code-cache');
    const v8Flags = ['--interrupt-budget=270336', '--semi-space-growth-factor=1'];
    // A script file, not \`node -e\`, which loads node:crypto before any code runs.
    const child = join(dir, 'child.cjs');
    writeFileSync(
      child,
      `const v8 = require('node:v8');
const set = v8.setFlagsFromString;
const calls = [];
v8.setFlagsFromString = (flag) => {
  calls.push({ flag, loaded: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)) });
  set(flag);
};
const [load, scan] = JSON.parse(process.argv[2]);
require(${JSON.stringify(join(DIST, 'load-run-scan.cjs'))}).loadRunScan(load).then((runScan) => runScan(scan)).then((result) => {
  console.log(JSON.stringify({ calls, total: result.report.summary.total }));
});`,
    );
    const run = async (): Promise<{ calls: Array<{ flag: string; loaded: string[] }>; total: number }> =>
      JSON.parse((await promisify(execFile)(process.execPath, [child, JSON.stringify([{ codeCacheDir, v8Flags }, options()])])).stdout) as { calls: Array<{ flag: string; loaded: string[] }>; total: number };
    await runScan(options()); // the advisory index in place: a scan that builds it writes no code cache
    const first = await run();
    expect(first.calls.map((c) => c.flag)).toEqual(v8Flags);
    expect(first.calls[0]!.loaded).toEqual(expect.arrayContaining(builtins));
    expect(first.total).toBeGreaterThan(0);
    const written = statSync(cacheFile(codeCacheDir)).ino;
    expect(await run()).toEqual(first);
    // Compiled under the same flags as the scan that wrote it, V8 accepted the cache.
    expect(statSync(cacheFile(codeCacheDir)).ino).toBe(written);
  });

  it('writes no cache after a scan that compiled an advisory index; the next scan writes it', async () => {
    const codeCacheDir = join(tempDir(), 'code-cache');
    const fresh = options({ cacheDir: tempDir() });
    const cold = await scanInChild({ codeCacheDir }, fresh);
    const cached = (): string[] => {
      try {
        return readdirSync(codeCacheDir);
      } catch {
        return [];
      }
    };
    expect(cached()).toEqual([]);
    expect(await scanInChild({ codeCacheDir }, fresh)).toEqual(cold);
    expect(cached()).toHaveLength(1);
  });

  it('throws psr errors with their code and hint from inside the bundle', async () => {
    const codeCacheDir = join(tempDir(), 'code-cache');
    for (let run = 0; run < 2; run++)
      expect(await scanInChild({ codeCacheDir }, options({ path: 'no-such-file.txt' }))).toEqual({
        error: { code: 'PSR_SCAN_PATH', hint: expect.stringContaining('requirements'), message: expect.stringContaining('no-such-file.txt') },
      });
  });

  it('ignores a damaged or foreign cache file and replaces it', async () => {
    const codeCacheDir = join(tempDir(), 'code-cache');
    const expected = outcomeOf(await runScan(options()));
    await scanInChild({ codeCacheDir }, options());
    const file = cacheFile(codeCacheDir);
    const damaged = readFileSync(file);
    damaged[damaged.length >> 1]! ^= 0xff;
    // Well-formed, but for another script: V8 rejects it.
    const foreign = new vm.Script('1 + 1').createCachedData();
    for (const bad of [Buffer.from('not a code cache'), Buffer.alloc(0), damaged, Buffer.concat([createHash('sha256').update(foreign).digest(), foreign])]) {
      writeFileSync(file, bad);
      expect(await scanInChild({ codeCacheDir }, options())).toEqual(expected);
      expect(readFileSync(cacheFile(codeCacheDir)).equals(bad)).toBe(false);
    }
  });

  it('keeps one cache file: those of other bundles or Node versions are removed', async () => {
    const codeCacheDir = join(tempDir(), 'code-cache');
    await scanInChild({ codeCacheDir }, options());
    const current = cacheFile(codeCacheDir);
    rmSync(current);
    writeFileSync(join(codeCacheDir, 'run-scan.0123456789abcdef.v18.0.0-x64.v8cache'), 'old');
    await scanInChild({ codeCacheDir }, options());
    expect(cacheFile(codeCacheDir)).toBe(current);
  });

  it('scans when the cache directory cannot be created', async () => {
    const notADirectory = join(tempDir(), 'file');
    writeFileSync(notADirectory, '');
    expect(await scanInChild({ codeCacheDir: join(notADirectory, 'code-cache') }, options())).toEqual(outcomeOf(await runScan(options())));
  });

  it('keeps the cache in psr cache directory', async () => {
    const dir = tempDir();
    await scanInChild({ env: { PSR_CACHE_DIR: dir } }, options());
    const name = new RegExp(`^run-scan\\.[0-9a-f]{16}\\.${process.version.replaceAll('.', '\\.')}-${process.arch}\\.v8cache$`);
    expect(readdirSync(join(dir, 'code-cache'))).toEqual([expect.stringMatching(name)]);
  });

  it('reads lockfiles, .gitignore and the ignore file through CommonJS twins, without starting the ES module loader', async () => {
    // A project as most are: a .gitignore, and lockfiles whose parsers the bundle imports when needed.
    const dir = tempDir();
    const lockfiles = fileURLToPath(new URL('../../lockfiles/fixtures', import.meta.url));
    cpSync(join(lockfiles, 'poetry-v2'), join(dir, 'py'), { recursive: true });
    cpSync(join(lockfiles, 'npm-v3'), join(dir, 'web'), { recursive: true });
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n.venv/\n');
    // And an ignore file, read with `yaml` (74 files as a package; one as its twin).
    writeFileSync(join(dir, '.psr-ignore.yml'), 'ignores:\n  - id: PYSEC-0000-0\n    reason: an example that matches nothing\n');
    const project = options({ cwd: dir, failOn: 'none', ignoreFile: '.psr-ignore.yml' });
    const child = join(tempDir(), 'child.cjs');
    writeFileSync(
      child,
      `const [load, scan] = JSON.parse(process.argv[2]);
require(${JSON.stringify(join(DIST, 'load-run-scan.cjs'))}).loadRunScan(load).then((runScan) => runScan(scan)).then((result) => {
  const esm = process.moduleLoadList.filter((m) => /esm\\/module_job|fs\\/promises/.test(m));
  const { run, ...report } = result.report;
  console.log(JSON.stringify({ esm, report: JSON.parse(JSON.stringify(report)) }));
});`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, [child, JSON.stringify([{ codeCacheDir: join(tempDir(), 'code-cache') }, project])]);
    const out = JSON.parse(stdout) as { esm: string[]; report: Record<string, unknown> };
    expect(out.esm).toEqual([]);
    const { run: _run, ...expected } = (await runScan(project)).report;
    expect(out.report).toEqual(JSON.parse(JSON.stringify(expected)));
    // The ignore file was read (its one rule matched nothing).
    expect(expected.warnings.map((w) => w.code)).toContain('PSR_SCAN_IGNORE_UNUSED');
  });

  it('works from a path holding # and %', async () => {
    // The bundle requires libraries and reads the package's version relative to its own URL.
    const link = join(tempDir(), 'a#b%41');
    symlinkSync(fileURLToPath(new URL('..', import.meta.url)), link);
    const load = { bundle: join(link, 'dist/run-scan.cjs'), codeCacheDir: join(tempDir(), 'code-cache') };
    expect(await scanInChild(load, options())).toEqual(outcomeOf(await runScan(options())));
  });

  it('prints a table of wide text (CJK, emoji), measured with string-width imported from beside the bundle', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'advisories'));
    writeFileSync(
      join(dir, 'advisories', 'PYSEC-9.json'),
      JSON.stringify({ id: 'PYSEC-9', summary: '脆弱性 in demo: 漢字 🚀', modified: '2024-01-01T00:00:00Z', affected: [{ package: { name: 'demo', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }] }),
    );
    writeFileSync(join(dir, 'requirements.txt'), 'demo==1.0\n');
    const wide = options({ cwd: dir, sources: ['advisories'] });
    const codeCacheDir = join(tempDir(), 'code-cache');
    const expected = outcomeOf(await runScan(wide));
    expect(expected).toMatchObject({ table: expect.stringContaining('脆弱性 in demo: 漢字 🚀') });
    // Written, then read from the code cache.
    expect(await scanInChild({ codeCacheDir }, wide)).toEqual(expected);
    expect(await scanInChild({ codeCacheDir }, wide)).toEqual(expected);
  });

  it('is the ES module runScan when there is no bundle (running from source)', async () => {
    expect(await loadRunScan({ bundle: join(tempDir(), 'missing.cjs') })).toBe(runScan);
  });
});

describe('dist/run-scan.cjs', () => {
  it('is ASCII: V8 holds its source as one byte a character (one other character makes the whole of it two-byte)', () => {
    const bytes = readFileSync(join(DIST, 'run-scan.cjs'));
    const at = bytes.findIndex((b) => b > 0x7f);
    expect(at === -1 ? '' : bytes.toString('utf8', Math.max(0, at - 60), at + 20)).toBe('');
  });

  it('shares no module state with the ES modules it imports when needed', () => {
    const bundle = readFileSync(join(DIST, 'run-scan.cjs'), 'utf8');
    // esbuild heads each module it bundles with a `// dist/<file>` comment.
    const bundled = new Set([...bundle.matchAll(/^\/\/ dist\/(\S+)$/gm)].map((m) => m[1]!));
    const lazy = [...bundle.matchAll(/__psrImport\("\.\/([^"]+)"\)/g)].map((m) => m[1]!);
    expect(lazy.length).toBeGreaterThan(0);
    const reachable = new Set<string>();
    const walk = (file: string): void => {
      if (reachable.has(file)) return;
      reachable.add(file);
      for (const m of readFileSync(join(DIST, file), 'utf8').matchAll(/ from "\.\/([^"]+)"/g)) walk(m[1]!);
    };
    lazy.forEach(walk);
    // A module in both is loaded twice: it must hold nothing a second copy could disagree on
    // (a top-level `let`, an unset `var`, a collection).
    const state = /^(?:let \S+|var [\w$]+(?:;| = (?:new (?:Map|Set|WeakMap)\b|\[\]|\{\}|null|void 0)))/m;
    const twice = [...reachable].filter((file) => bundled.has(file));
    expect(twice.length).toBeGreaterThan(0);
    expect(twice.filter((file) => state.test(readFileSync(join(DIST, file), 'utf8')))).toEqual([]);
  });
});
