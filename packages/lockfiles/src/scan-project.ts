import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '@psr/core/errors';
import { isPsrError } from '@psr/core/errors';
import { discoverManifests, type DiscoverOptions, type Discovery } from './discovery.js';
import { LockfileCodes, warning } from './errors.js';
import { evaluateMarker } from './marker.js';
import type { MarkerTarget, ParseResult } from './model.js';
import { parseLockfile } from './parse-lockfile.js';
import { isInside } from './path-inside.js';

/**
 * Options for {@link scanProject}.
 *
 * @example
 * ```ts
 * await scanProject('.', { target: { pythonVersion: '3.11' }, includeDev: false });
 * ```
 */
export interface ScanProjectOptions extends DiscoverOptions {
  /**
   * Narrow by environment markers for this target. Without it markers are kept, not evaluated
   * (a static scan cannot know the interpreter), so every pinned line is scanned.
   */
  target?: MarkerTarget;
  /** Keep `dev` and other non-main groups. Default `true`. */
  includeDev?: boolean;
  /** Environment for the `${NAME}` references of requirements files, as pip reads them (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Everything {@link scanProject} read.
 *
 * @example
 * ```ts
 * const scan: ProjectScan = await scanProject('.');
 * const incomplete = scan.results.some((r) => r.errors.length > 0);
 * ```
 */
export interface ProjectScan {
  root: string;
  /** One result per file read; a file that failed has `errors` (and no dependencies). */
  results: ParseResult[];
  /** Manifests skipped because a lockfile covers them. */
  superseded: Discovery['superseded'];
  /** Discovery problems (symlink loops, links leaving the root, unreadable folders). */
  warnings: Diagnostic[];
  /**
   * The top of the git repository holding the scanned file or folder, when there is one: `-r`
   * includes may reach anywhere in it, and reports name files relative to it.
   */
  repository?: string;
}

function toDiagnostic(err: unknown, file: string): Diagnostic {
  if (isPsrError(err)) {
    const d: Diagnostic = { code: err.code, message: err.message };
    if (err.hint !== undefined) d.hint = err.hint;
    d.location = err.location ?? { file, line: 1, col: 1 };
    return d;
  }
  return { code: LockfileCodes.READ, message: `cannot read ${file}: ${(err as Error).message}`, location: { file, line: 1, col: 1 } };
}

/**
 * Discover, parse and apply precedence for a whole project (or one file): the entry point the
 * scan and SBOM plugins use. Never throws for a bad file: its result carries `errors`, binary
 * files are skipped with a warning, and a requirements file already read through another's `-r`
 * is not listed twice.
 *
 * @example
 * ```ts
 * const scan = await scanProject('.', { target: { pythonVersion: '3.12', platform: 'linux' } });
 * const pins = scan.results.flatMap((r) => r.dependencies).filter((d) => d.pinned && !d.unresolvable);
 * if (scan.results.some((r) => r.errors.length > 0)) process.exitCode = 2; // incomplete scan
 * ```
 */
export async function scanProject(root: string, options: ScanProjectOptions = {}): Promise<ProjectScan> {
  const discovery = await discoverManifests(root, options);
  const absRoot = resolve(root);
  const singleFile = discovery.files.length === 1 && discovery.files[0]!.path === root;
  const folder = singleFile ? dirname(absRoot) : absRoot;
  const repository = repositoryOf(folder);
  const scanRoot = repository ?? includeRoot(folder);
  const parsed: { result: ParseResult; includes: Set<string> }[] = [];
  for (const { path, format } of discovery.files) {
    let result: ParseResult;
    try {
      result = await parseLockfile(path, { root: scanRoot, format, ...(options.env === undefined ? {} : { env: options.env }) });
    } catch (err) {
      const d = toDiagnostic(err, path);
      if (d.code === LockfileCodes.BINARY) result = { file: path, format, dependencies: [], warnings: [d], errors: [] };
      else result = { file: path, format, dependencies: [], warnings: [], errors: [d] };
    }
    const withIncludes = result as ParseResult & { includes?: string[] };
    const includes = new Set((withIncludes.includes ?? []).map((p) => resolve(p)).filter((p) => p !== resolve(path)));
    delete withIncludes.includes;
    narrow(result, options);
    parsed.push({ result, includes });
  }
  // A requirements file that another one includes (`-r`) is listed once, inside the includer.
  // Files nobody includes go first, then those including the most, so a chain or a cycle keeps
  // exactly one reader.
  const includedSomewhere = new Set(parsed.flatMap((p) => [...p.includes]));
  const rank = (p: (typeof parsed)[number]): number => (includedSomewhere.has(resolve(p.result.file)) ? 1 : 0);
  const covered = new Set<string>();
  const dropped = new Set<ParseResult>();
  for (const p of [...parsed].sort((a, b) => rank(a) - rank(b) || b.includes.size - a.includes.size)) {
    if (p.result.format === 'requirements.txt' && p.result.errors.length === 0 && covered.has(resolve(p.result.file))) {
      dropped.add(p.result);
      continue;
    }
    for (const inc of p.includes) covered.add(inc);
  }
  const deduped = parsed.map((p) => p.result).filter((r) => !dropped.has(r));
  return { root, results: deduped, superseded: discovery.superseded, warnings: discovery.warnings, ...(repository !== undefined ? { repository } : {}) };
}

function narrow(result: ParseResult, options: ScanProjectOptions): void {
  if (options.includeDev !== false && !options.target) return; // nothing to leave out
  const dropped: string[] = [];
  const keep = result.dependencies.filter((d) => {
    if (options.includeDev === false && d.group !== 'main' && !d.group.startsWith('optional')) {
      dropped.push(`${d.name} (${d.group})`);
      return false;
    }
    if (!options.target || !d.marker) return true;
    try {
      if (evaluateMarker(d.marker, options.target) === false) {
        dropped.push(`${d.name} (${d.marker})`);
        return false;
      }
    } catch (err) {
      // A requirements file's parser has already said so, at the line.
      const { file, line } = d.location;
      if (!result.warnings.some((w) => w.code === LockfileCodes.MARKER && w.location?.file === file && w.location.line === line)) {
        result.warnings.push(warning(LockfileCodes.MARKER, `marker of ${d.name} not understood (${(err as Error).message}); kept`, file, line));
      }
    }
    return true;
  });
  if (dropped.length > 0) {
    result.warnings.push(warning(LockfileCodes.SKIPPED, `${dropped.length} dependenc${dropped.length === 1 ? 'y' : 'ies'} left out for the target/groups: ${dropped.slice(0, 20).join(', ')}${dropped.length > 20 ? ', …' : ''}`, result.file, 1));
  }
  result.dependencies = keep;
}

/** The top of the git work tree holding `folder` (a `.git` folder, or file in a worktree or submodule). */
function repositoryOf(folder: string): string | undefined {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * How far `-r` includes of the files under `folder` may reach outside a repository (inside one:
 * anywhere in it, as pip would): the current folder when `folder` is inside it, else `folder`
 * itself. Never further: a hostile `-r ../../../home/me/.ssh/id_rsa` in a pull request would
 * otherwise be read, and its lines quoted in warnings.
 */
function includeRoot(folder: string): string {
  const cwd = process.cwd();
  return isInside(cwd, folder) ? cwd : folder;
}

