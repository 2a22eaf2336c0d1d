// Synchronous fs on purpose: a CLI reads a handful of local folders, and the promise API would
// cost every scan the load of `node:fs/promises` and a thread-pool round trip per call.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Ignore } from 'ignore';
import { PsrError, type Diagnostic } from '@psr/core/errors';
import { LockfileCodes, warning } from './errors.js';
import { detectFormat, JS_LOCK_FORMATS, PYTHON_LOCK_FORMATS } from './formats.js';
import type { LockfileFormat } from './model.js';
import { isInside } from './path-inside.js';

/** Folders never searched: installed packages, virtualenvs, VCS metadata and tool caches. */
const SKIPPED_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.tox', '.nox', '.mypy_cache',
  '.pytest_cache', '.ruff_cache', 'site-packages', 'dist-packages', '.direnv', '.eggs',
]);

/**
 * Options for {@link discoverManifests}.
 *
 * @example
 * ```ts
 * await discoverManifests('.', { respectGitignore: false, maxDepth: 8 });
 * ```
 */
export interface DiscoverOptions {
  /** Skip files and folders matched by `.gitignore` files (root and nested). Default `true`. */
  respectGitignore?: boolean;
  /** Stop descending below this many folder levels. Default 64. */
  maxDepth?: number;
}

/**
 * A supported file found under the root.
 *
 * @example
 * ```ts
 * const f: DiscoveredFile = { path: 'web/pnpm-lock.yaml', format: 'pnpm-lock.yaml' };
 * ```
 */
export interface DiscoveredFile {
  path: string;
  format: LockfileFormat;
}

/**
 * What {@link discoverManifests} found.
 *
 * @example
 * ```ts
 * const { files, superseded, warnings } = await discoverManifests('.');
 * ```
 */
export interface Discovery {
  /** Files to parse, in a stable (sorted) order. */
  files: DiscoveredFile[];
  /** Manifests not scanned because a lockfile covers them ("a lockfile wins over its manifest"). */
  superseded: { path: string; by: string }[];
  /** Symlink loops, links leaving the root, unreadable folders: each one listed. */
  warnings: Diagnostic[];
}


interface IgnoreScope {
  base: string;
  rules: Ignore;
}

async function loadGitignore(dir: string): Promise<IgnoreScope | undefined> {
  try {
    const text = readFileSync(join(dir, '.gitignore'), 'utf8');
    const { default: ignore } = await import('ignore');
    return { base: dir, rules: ignore().add(text) };
  } catch {
    return undefined;
  }
}

function ignored(scopes: readonly IgnoreScope[], path: string, isDir: boolean): boolean {
  for (const scope of scopes) {
    const rel = relative(scope.base, path).split(sep).join('/');
    if (rel === '' || rel.startsWith('..')) continue;
    if (scope.rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/**
 * Find supported manifests and lockfiles under `root` (or `root` itself when it is a file),
 * respecting `.gitignore`, skipping `node_modules`, `.git`, virtualenvs and caches, following
 * symlinks only inside the root and never twice. Applies "a lockfile wins over its manifest":
 * a folder's `pyproject.toml`/`Pipfile` is not scanned when it has a Python lockfile, and a
 * `package.json` is not scanned when its folder or a parent folder has a JS lockfile.
 *
 * @example
 * ```ts
 * const { files, superseded } = await discoverManifests('.', { respectGitignore: true });
 * files.map((f) => `${f.format}: ${f.path}`);
 * ```
 */
export async function discoverManifests(root: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const warnings: Diagnostic[] = [];
  const found: DiscoveredFile[] = [];
  let rootStat;
  try {
    rootStat = statSync(root);
  } catch (err) {
    throw new PsrError(LockfileCodes.READ, `cannot read ${root}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      location: { file: root, line: 1, col: 1 },
      hint: 'give an existing folder or a manifest/lockfile path',
      cause: err,
    });
  }
  if (!rootStat.isDirectory()) {
    // A file named explicitly is read as requirements when its name ends in .txt or .in and says
    // no other format (`prod.txt`, pip-tools' `requirements.in`), as `pip install -r` takes any
    // name; a folder walk keeps to the names of `detectFormat`.
    const format = detectFormat(root) ?? (/\.(txt|in)$/i.test(root) ? 'requirements.txt' : undefined);
    if (!format) {
      warnings.push(warning(LockfileCodes.UNSUPPORTED, `${root} is not a supported manifest or lockfile; nothing to scan`, root, 1, 'supported: requirements files (requirements*.txt; any .txt or .in named alone), pyproject.toml, poetry.lock, uv.lock, pdm.lock, pylock.toml, Pipfile(.lock), package.json, package-lock.json, pnpm-lock.yaml, yarn.lock'));
    }
    return { files: format ? [{ path: root, format }] : [], superseded: [], warnings };
  }
  const realRoot = realpathSync.native(root);
  const respect = options.respectGitignore !== false;
  const maxDepth = options.maxDepth ?? 64;
  const visited = new Set<string>([realRoot]);
  const seenFiles = new Set<string>();

  const walk = async (dir: string, realDir: string, scopes: IgnoreScope[], depth: number, ancestors: Set<string>): Promise<void> => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      warnings.push(warning(LockfileCodes.SKIPPED, `cannot read folder ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'}); skipped`, dir));
      return;
    }
    // A virtualenv under any name (`env/`, `.env3/`): installed packages ship their own
    // requirements files, which are not the project's.
    if (depth > 0 && entries.some((e) => e.name === 'pyvenv.cfg' && e.isFile())) return;
    const here = respect ? await loadGitignore(dir) : undefined;
    const active = here ? [...scopes, here] : scopes;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let real = join(realDir, entry.name);
      if (entry.isSymbolicLink()) {
        try {
          real = realpathSync.native(path);
          const s = statSync(real);
          isDir = s.isDirectory();
          isFile = s.isFile();
        } catch {
          if (detectFormat(path)) warnings.push(warning(LockfileCodes.SKIPPED, `broken symlink ${path} skipped`, path));
          continue;
        }
        if (!isInside(realRoot, real)) {
          if (isDir || detectFormat(path)) warnings.push(warning(LockfileCodes.OUTSIDE_ROOT, `symlink ${path} points outside the scanned folder; not followed`, path));
          continue;
        }
      }
      if (isDir) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (respect && ignored(active, path, true)) continue;
        if (ancestors.has(real)) {
          warnings.push(warning(LockfileCodes.CYCLE, `symlink loop at ${path} (points back to ${relative(realRoot, real) || '.'}); not followed`, path));
          continue;
        }
        if (visited.has(real)) continue; // the same folder reached through another link: scanned once
        if (depth >= maxDepth) {
          warnings.push(warning(LockfileCodes.SKIPPED, `${path} is deeper than ${maxDepth} folders; not searched`, path));
          continue;
        }
        visited.add(real);
        await walk(path, real, active, depth + 1, new Set([...ancestors, real]));
      } else if (isFile) {
        const format = detectFormat(path);
        if (!format) continue;
        if (respect && ignored(active, path, false)) continue;
        if (seenFiles.has(real)) continue; // the same file reached through a symlink: read once
        seenFiles.add(real);
        found.push({ path, format });
      }
    }
  };
  await walk(root, realRoot, [], 0, new Set([realRoot]));
  return { ...applyPrecedence(found), warnings };
}

/** "A lockfile wins over its manifest" (see {@link discoverManifests}). */
function applyPrecedence(found: DiscoveredFile[]): { files: DiscoveredFile[]; superseded: { path: string; by: string }[] } {
  const pythonLockIn = new Map<string, string>();
  const jsLockIn = new Map<string, string>();
  for (const f of found) {
    const dir = dirname(f.path);
    if (PYTHON_LOCK_FORMATS.includes(f.format) && !pythonLockIn.has(dir)) pythonLockIn.set(dir, f.path);
    if (JS_LOCK_FORMATS.includes(f.format) && !jsLockIn.has(dir)) jsLockIn.set(dir, f.path);
  }
  const uvLockAbove = (dir: string): string | undefined => {
    for (let d = dir; ; d = dirname(d)) {
      const lock = pythonLockIn.get(d);
      if (lock && (d === dir || basename(lock) === 'uv.lock')) return lock; // uv workspaces lock members at the root
      if (dirname(d) === d) return undefined;
    }
  };
  const jsLockAbove = (dir: string): string | undefined => {
    for (let d = dir; ; d = dirname(d)) {
      const lock = jsLockIn.get(d);
      if (lock) return lock; // npm/yarn/pnpm workspaces lock member packages at the root
      if (dirname(d) === d) return undefined;
    }
  };
  const files: DiscoveredFile[] = [];
  const superseded: { path: string; by: string }[] = [];
  for (const f of found) {
    const dir = dirname(f.path);
    const by = f.format === 'pyproject.toml' || f.format === 'Pipfile' ? uvLockAbove(dir) : f.format === 'package.json' ? jsLockAbove(dir) : undefined;
    if (by) superseded.push({ path: f.path, by });
    else files.push(f);
  }
  return { files, superseded };
}
