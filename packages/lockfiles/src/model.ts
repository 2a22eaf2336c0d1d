import type { Diagnostic, SourceLocation } from '@psr/core/errors';

/**
 * Package ecosystems, spelled as OSV spells them so findings can be matched directly.
 *
 * @example
 * ```ts
 * const osvQuery = { package: { ecosystem: d.ecosystem, name: d.name }, version: d.version };
 * ```
 */
export type Ecosystem = 'PyPI' | 'npm';

/**
 * Every file format `@psr/lockfiles` reads (`npm-shrinkwrap.json` is read as `package-lock.json`,
 * `pylock.<name>.toml` as `pylock.toml`).
 *
 * @example
 * ```ts
 * await parseLockfileText(text, { file: 'deps.lock', format: 'poetry.lock' });
 * ```
 */
export type LockfileFormat =
  | 'requirements.txt'
  | 'poetry.lock'
  | 'uv.lock'
  | 'Pipfile.lock'
  | 'Pipfile'
  | 'pdm.lock'
  | 'pylock.toml'
  | 'pyproject.toml'
  | 'package-lock.json'
  | 'pnpm-lock.yaml'
  | 'yarn.lock'
  | 'package.json';

/**
 * Which install group a dependency belongs to: `main` (runtime), `dev`, `optional`
 * (npm `optionalDependencies`), `optional:<extra>` (a Python extra), `group:<name>`
 * (a PEP 735 / Poetry / PDM / uv dependency group other than `dev`).
 *
 * @example
 * ```ts
 * const production = deps.filter((d) => d.group === 'main' || d.group.startsWith('optional'));
 * ```
 */
export type DependencyGroup = 'main' | 'dev' | 'optional' | `optional:${string}` | `group:${string}`;

/**
 * Why a dependency has no registry version that advisories could be matched against.
 *
 * @example
 * ```ts
 * if (d.unresolvable?.reason === 'vcs') console.log(`not matched: installed from ${d.unresolvable.spec}`);
 * ```
 */
export type UnresolvableReason = 'url' | 'vcs' | 'path' | 'editable' | 'link' | 'workspace' | 'unknown';

/**
 * A dependency installed from somewhere other than the registry.
 *
 * @example
 * ```ts
 * const u: Unresolvable = { reason: 'editable', spec: './libs/core' };
 * ```
 */
export interface Unresolvable {
  reason: UnresolvableReason;
  /** The spec as written (URL, VCS reference, path). */
  spec: string;
}

/**
 * One dependency as one file declares or locks it.
 *
 * @example
 * ```ts
 * const d: Dependency = {
 *   ecosystem: 'PyPI', name: 'werkzeug', version: '3.0.1', pinned: true, direct: false,
 *   path: ['flask', 'werkzeug'], location: { file: 'poetry.lock', line: 104, col: 1 },
 *   extras: [], group: 'main', purl: 'pkg:pypi/werkzeug@3.0.1',
 * };
 * const matchable = d.pinned && !d.unresolvable;
 * ```
 */
export interface Dependency {
  ecosystem: Ecosystem;
  /** PEP 503-normalised for PyPI (`zope-interface`), as-is for npm (`@babel/core`). */
  name: string;
  /** The exact pinned version, or `undefined` when the file does not pin one. */
  version: string | undefined;
  /** True only when `version` is an exact pin (`==1.2.3`, `===1.2.3`, or a lockfile entry). */
  pinned: boolean;
  /** The version constraint as written in a manifest (`>=2,<3`, `^4.17.0`), when there is one. */
  specifier?: string;
  /** Set for URL / VCS / path / editable / link installs: never matched against advisories. */
  unresolvable?: Unresolvable;
  /**
   * `true` when the project itself asks for it, `false` when another dependency pulls it in,
   * `undefined` when the file alone cannot tell (e.g. a `Pipfile.lock` without its `Pipfile`).
   */
  direct: boolean | undefined;
  /**
   * Names from a direct dependency down to this one (`['flask', 'werkzeug']`); `[name]` for a
   * direct one. At most 64 names: a longer path keeps its first 62, then `…`, then this one.
   */
  path: string[];
  /** Where the entry is written (1-based line and column). */
  location: SourceLocation;
  /** Requested extras (`pkg[a,b]` → `['a', 'b']`), normalised. */
  extras: string[];
  /** The PEP 508 environment marker, kept verbatim and not evaluated unless a target is given. */
  marker?: string;
  group: DependencyGroup;
  /** Package URL (`pkg:pypi/django@4.2.1`, `pkg:npm/%40babel/core@7.24.0`). */
  purl: string;
  /** Artifact hashes the file records (`sha256:…`, `sha512-…`), when present. */
  hashes?: string[];
  /** npm: the package is bundled inside its parent's tarball. */
  bundled?: boolean;
}

/**
 * The result of reading one file.
 *
 * @example
 * ```ts
 * const result: ParseResult = await parseLockfile('uv.lock');
 * for (const w of result.warnings) console.warn(formatDiagnostic(w));
 * ```
 */
export interface ParseResult {
  /** The file path as given (or discovered). */
  file: string;
  format: LockfileFormat;
  dependencies: Dependency[];
  /** Things skipped or doubtful, each with `file:line` where there is one. Nothing is dropped silently. */
  warnings: Diagnostic[];
  /**
   * Problems that stopped this file from being read (only filled by {@link scanProject},
   * which keeps going; {@link parseLockfile} throws instead). A non-empty list means the
   * result is incomplete: never report such a scan as clean.
   */
  errors: Diagnostic[];
}

/**
 * Values PEP 508 markers are evaluated against. Unset values make a marker undecidable (kept).
 *
 * @example
 * ```ts
 * const target: MarkerTarget = { pythonVersion: '3.12', platform: 'linux', extras: ['s3'] };
 * ```
 */
export interface MarkerTarget {
  /** `3.11` or `3.11.4` (sets `python_version` and `python_full_version`). */
  pythonVersion?: string;
  /** `linux`, `darwin`/`macos`, `win32`/`windows` (sets `sys_platform`, `platform_system`, `os_name`). */
  platform?: string;
  /** Extras being installed (for `extra == "x"`). */
  extras?: string[];
  /** Any other marker variable by its PEP 508 name (`platform_machine`, `implementation_name`…). */
  env?: Record<string, string>;
}
