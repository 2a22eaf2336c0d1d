// Synchronous fs on purpose: a CLI reads a handful of local files, and the promise API would cost
// every scan the load of `node:fs/promises` and a thread-pool round trip per call.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isPsrError, PsrError, type Diagnostic } from '@psr/core/errors';
import { LockfileCodes, lockfileParseError, warning } from './errors.js';
import { detectFormat } from './formats.js';
import type { LockfileFormat, ParseResult } from './model.js';
import { parseRequirementsFile, parseRequirementsText } from './parsers/requirements-txt.js';
import { decodeText } from './text-decoding.js';
import { isInside } from './path-inside.js';
import { berryWorkspaceFolders, expandWorkspacePatterns, workspacePatterns } from './yarn-workspaces.js';

/** Whole-file formats are read into memory; past this size psr refuses rather than exhaust memory. */
const MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024;

/**
 * Options for {@link parseLockfileText}.
 *
 * @example
 * ```ts
 * await parseLockfileText(lockText, { file: 'poetry.lock', manifest: pyprojectText });
 * ```
 */
export interface ParseTextOptions {
  /** Path shown in locations and used to detect the format when `format` is not given. */
  file: string;
  format?: LockfileFormat;
  /**
   * The text of the manifest beside a lockfile (`pyproject.toml` for poetry/pdm/pylock,
   * `Pipfile` for Pipfile.lock, `package.json` for npm/yarn), used to tell direct from transitive.
   */
  manifest?: string;
  /**
   * `yarn.lock` only: the text of workspace members' `package.json` files, by folder relative to
   * the lockfile's (`packages/app`). A lock does not record which dependencies are dev ones;
   * without a member's package.json, its dev dependencies are listed as `main`.
   */
  workspaceManifests?: Readonly<Record<string, string>>;
}

/** The manifest whose declarations make a lockfile's direct dependencies. */
function manifestFormatFor(format: LockfileFormat): LockfileFormat | undefined {
  switch (format) {
    case 'poetry.lock':
    case 'pdm.lock':
    case 'pylock.toml':
      return 'pyproject.toml';
    case 'Pipfile.lock':
      return 'Pipfile';
    case 'package-lock.json':
    case 'yarn.lock':
      return 'package.json';
    default:
      return undefined;
  }
}

function unsupported(file: string): PsrError {
  return new PsrError(LockfileCodes.UNSUPPORTED, `${file} is not a supported manifest or lockfile`, {
    location: { file, line: 1, col: 1 },
    hint: 'supported: requirements*.txt, pyproject.toml, poetry.lock, uv.lock, pdm.lock, pylock.toml, Pipfile, Pipfile.lock, package.json, package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock',
  });
}

/**
 * Each format's parser is imported when first needed: TOML, YAML and JSON-position libraries
 * then load only for the formats a project has (YAML is the heaviest import; see toolchain notes).
 */
async function parseByFormat(text: string, file: string, format: LockfileFormat, manifest: ParseResult | undefined, members?: ReadonlyMap<string, ParseResult>): Promise<ParseResult> {
  switch (format) {
    case 'requirements.txt':
      return parseRequirementsText(text, file);
    case 'poetry.lock':
      return (await import('./parsers/poetry-lock.js')).parsePoetryLock(text, file, manifest);
    case 'uv.lock':
      return (await import('./parsers/uv-lock.js')).parseUvLock(text, file);
    case 'pdm.lock':
      return (await import('./parsers/pdm-lock.js')).parsePdmLock(text, file, manifest);
    case 'pylock.toml':
      return (await import('./parsers/pylock-toml.js')).parsePylockToml(text, file, manifest);
    case 'Pipfile.lock':
      return (await import('./parsers/pipfile-lock.js')).parsePipfileLock(text, file, manifest);
    case 'Pipfile':
      return (await import('./parsers/pipfile.js')).parsePipfile(text, file);
    case 'pyproject.toml':
      return (await import('./parsers/pyproject-toml.js')).parsePyprojectToml(text, file);
    case 'package-lock.json':
      return (await import('./parsers/package-lock-json.js')).parsePackageLockJson(text, file, manifest);
    case 'pnpm-lock.yaml':
      return (await import('./parsers/pnpm-lock-yaml.js')).parsePnpmLockYaml(text, file);
    case 'yarn.lock':
      return (await import('./parsers/yarn-lock.js')).parseYarnLock(text, file, manifest, members);
    case 'package.json':
      return (await import('./parsers/package-json.js')).parsePackageJson(text, file);
  }
}

/** The formats a tool writes (manifests and requirements files may be empty). */
const LOCKFILES: ReadonlySet<LockfileFormat> = new Set(['poetry.lock', 'uv.lock', 'Pipfile.lock', 'pdm.lock', 'pylock.toml', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock']);

/**
 * Parse manifest or lockfile text already in memory. Throws a `PsrError` (`PSR_LOCKFILE_PARSE`
 * with `file:line:col`) for malformed text. A requirements file's `-r` includes are not followed
 * (use {@link parseLockfile} for that).
 *
 * @example
 * ```ts
 * const result = await parseLockfileText('flask==3.0.0\n', { file: 'requirements.txt' });
 * result.dependencies[0]; // { ecosystem: 'PyPI', name: 'flask', version: '3.0.0', pinned: true, … }
 * ```
 */
export async function parseLockfileText(text: string, options: ParseTextOptions): Promise<ParseResult> {
  const format = options.format ?? detectFormat(options.file);
  if (!format) throw unsupported(options.file);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Every lockfile's tool writes at least a header: an empty one was cut short (an interrupted
  // write, a bad merge), and read as nothing locked it would make a clean scan of nothing.
  if (LOCKFILES.has(format) && body.trim() === '') {
    throw lockfileParseError(`${basename(options.file)} is empty: its tool always writes a header`, { file: options.file, line: 1, col: 1 }, 'regenerate it with its tool (uv lock, poetry lock, npm install…)');
  }
  const manifestFormat = manifestFormatFor(format);
  let manifest: ParseResult | undefined;
  const warnings: Diagnostic[] = [];
  if (manifestFormat && options.manifest !== undefined) {
    try {
      manifest = await parseByFormat(options.manifest, manifestFormat, manifestFormat, undefined);
    } catch (err) {
      warnings.push(warning(LockfileCodes.SKIPPED, `${manifestFormat} beside the lockfile could not be read (${(err as Error).message}); direct dependencies unknown`, options.file, 1));
    }
  }
  let members: Map<string, ParseResult> | undefined;
  if (format === 'yarn.lock' && options.workspaceManifests) {
    members = new Map();
    for (const [folder, text] of Object.entries(options.workspaceManifests)) {
      const memberFile = join(dirname(options.file), folder, 'package.json');
      try {
        members.set(folder, await parseByFormat(text, memberFile, 'package.json', undefined));
      } catch (err) {
        warnings.push({
          code: LockfileCodes.SKIPPED,
          message: `${memberFile} could not be read (${(err as Error).message}); the dev dependencies of workspace ${folder} are listed as main`,
          location: (isPsrError(err) ? err.location : undefined) ?? { file: memberFile, line: 1, col: 1 },
          hint: 'fix the JSON of that package.json',
        });
      }
    }
  }
  let result: ParseResult;
  try {
    result = await parseByFormat(body, options.file, format, manifest, members);
  } catch (err) {
    if (isPsrError(err)) throw err;
    // Hostile shapes the parsers themselves give up on (nesting deep enough to exhaust the stack,
    // YAML alias bombs): still a typed error about this file, never a crash.
    const why = err instanceof RangeError && /call stack/i.test(err.message) ? 'it is nested too deeply to read' : (err as Error).message;
    throw lockfileParseError(`${options.file} could not be read as ${format}: ${why}`, { file: options.file, line: 1, col: 1 }, 'the file is malformed or hostile; regenerate it with its tool', err);
  }
  result.warnings.unshift(...warnings);
  return result;
}

/**
 * Options for {@link parseLockfile}.
 *
 * @example
 * ```ts
 * await parseLockfile('app/requirements.txt', { root: '.' });
 * ```
 */
export interface ParseFileOptions {
  /** The file's format (default: from its name, see `detectFormat`). */
  format?: LockfileFormat;
  /** Includes (`-r`) must stay inside this folder (default: the file's folder). */
  root?: string;
  /** Read the manifest beside a lockfile to know direct dependencies (default true). */
  readManifest?: boolean;
  /** Environment for the `${NAME}` references of requirements files, as pip reads them (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Read a file as text with the shared encoding rules, refusing huge whole-file formats. */
async function readTextFile(path: string): Promise<string> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new PsrError(LockfileCodes.READ, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      location: { file: path, line: 1, col: 1 },
      hint: 'check that the path exists and is a readable file',
      cause: err,
    });
  }
  if (size > MAX_WHOLE_FILE_BYTES) {
    throw new PsrError(LockfileCodes.READ, `${path} is ${Math.round(size / 1048576)} MB, larger than the ${MAX_WHOLE_FILE_BYTES / 1048576} MB psr reads for this format`, {
      location: { file: path, line: 1, col: 1 },
      hint: 'is this really a lockfile? split or regenerate it',
    });
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new PsrError(LockfileCodes.READ, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      location: { file: path, line: 1, col: 1 },
      hint: 'check that the path is a readable file, not a folder',
      cause: err,
    });
  }
  return decodeText(bytes, path);
}

/**
 * Read and parse one manifest or lockfile from disk (format from the file name). Requirements
 * files are streamed and their `-r` includes followed; a lockfile's sibling manifest is read to
 * tell direct from transitive dependencies. Throws a `PsrError` for unreadable, binary,
 * badly encoded or malformed files.
 *
 * @example
 * ```ts
 * const { dependencies, warnings } = await parseLockfile('poetry.lock');
 * for (const d of dependencies) console.log(d.name, d.version, d.direct ? 'direct' : 'transitive');
 * ```
 */
export async function parseLockfile(path: string, options: ParseFileOptions = {}): Promise<ParseResult> {
  const format = options.format ?? detectFormat(path);
  if (!format) throw unsupported(path);
  if (format === 'requirements.txt') {
    try {
      return await parseRequirementsFile(path, { ...(options.root === undefined ? {} : { root: options.root }), ...(options.env === undefined ? {} : { env: options.env }) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR' || (err as NodeJS.ErrnoException).code === 'EACCES') {
        throw new PsrError(LockfileCodes.READ, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code}`, { location: { file: path, line: 1, col: 1 }, hint: 'check that the path exists and is a readable file', cause: err });
      }
      throw err;
    }
  }
  const text = await readTextFile(path);
  const manifestFormat = manifestFormatFor(format);
  let manifest: string | undefined;
  let manifestProblem: Diagnostic | undefined;
  if (manifestFormat && options.readManifest !== false) {
    const manifestPath = join(dirname(resolve(path)), manifestFormat);
    if (existsSync(manifestPath)) {
      try {
        manifest = await readTextFile(manifestPath);
      } catch (err) {
        manifestProblem = warning(LockfileCodes.SKIPPED, `${manifestFormat} beside ${path} could not be read (${(err as Error).message}); direct dependencies unknown`, path, 1);
      }
    }
  }
  const workspaces = format === 'yarn.lock' && options.readManifest !== false ? await readYarnWorkspaceManifests(path, text, manifest) : undefined;
  const result = await parseLockfileText(text, {
    file: path,
    format,
    ...(manifest !== undefined ? { manifest } : {}),
    ...(workspaces && Object.keys(workspaces.texts).length > 0 ? { workspaceManifests: workspaces.texts } : {}),
  });
  if (workspaces) result.warnings.unshift(...workspaces.warnings);
  if (manifestProblem) result.warnings.unshift(manifestProblem);
  return result;
}

/**
 * The package.json texts of a yarn project's workspace members, by folder relative to the lock's:
 * the members a berry lock names, else those the root package.json's `workspaces` patterns
 * match (yarn 1 records none in the lock). Never read outside the lockfile's folder, symlinks
 * included: the folders come from files a pull request can change.
 */
async function readYarnWorkspaceManifests(lockPath: string, lockText: string, rootManifest: string | undefined): Promise<{ texts: Record<string, string>; warnings: Diagnostic[] }> {
  const lockDir = dirname(resolve(lockPath));
  const { isBerryLock } = await import('./parsers/yarn-lock.js');
  const berry = isBerryLock(lockText);
  // A folder a classic pattern matches but that holds no package.json is no member, as for yarn.
  const folders = berry ? berryWorkspaceFolders(lockText) : rootManifest === undefined ? [] : expandWorkspacePatterns(lockDir, workspacePatterns(rootManifest)).filter((f) => existsSync(join(lockDir, f, 'package.json')));
  const texts: Record<string, string> = {};
  const warnings: Diagnostic[] = [];
  const listedAsMain = (folder: string): string => `the dev dependencies of workspace ${folder} are listed as main`;
  let realLockDir: string | undefined;
  for (const folder of folders) {
    const manifestPath = resolve(lockDir, folder, 'package.json');
    const shown = join(dirname(lockPath), folder, 'package.json');
    if (!isInside(lockDir, manifestPath)) {
      warnings.push(warning(LockfileCodes.OUTSIDE_ROOT, `${lockPath} names workspace ${folder}, outside the lockfile's folder: its package.json is not read; ${listedAsMain(folder)}`, lockPath, 1, 'workspaces sit inside the project; regenerate the lock with `yarn install`'));
      continue;
    }
    let realPath: string;
    try {
      realPath = realpathSync(manifestPath);
      realLockDir ??= realpathSync(lockDir);
    } catch (err) {
      warnings.push(warning(LockfileCodes.SKIPPED, `${lockPath} names workspace ${folder}, but ${shown} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ${listedAsMain(folder)}`, lockPath, 1, 'the lock is out of date with the workspaces; run `yarn install`'));
      continue;
    }
    if (!isInside(realLockDir, realPath)) {
      warnings.push(warning(LockfileCodes.OUTSIDE_ROOT, `${shown} is a symlink leading outside the lockfile's folder: not read; ${listedAsMain(folder)}`, shown, 1, 'workspaces sit inside the project'));
      continue;
    }
    try {
      texts[folder] = await readTextFile(realPath);
    } catch (err) {
      warnings.push(warning(LockfileCodes.SKIPPED, `${shown} could not be read (${(err as Error).message}); ${listedAsMain(folder)}`, shown, 1));
    }
  }
  return { texts, warnings };
}
