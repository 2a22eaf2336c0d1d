import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, lockfileParseError, warning } from '../errors.js';
import { parseJsonSource } from '../json-source.js';
import type { Dependency, DependencyGroup, ParseResult, Unresolvable } from '../model.js';
import { pinnedVersion } from '../pep508.js';
import { purlFor } from '../purl.js';
import { normalizePypiName } from '../pypi-name.js';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The install source of a Pipfile / Pipfile.lock entry other than the index. */
export function pipenvSource(entry: Table): Unresolvable | undefined {
  const ref = typeof entry['ref'] === 'string' ? `@${entry['ref']}` : '';
  if (typeof entry['git'] === 'string') return { reason: entry['editable'] === true ? 'editable' : 'vcs', spec: `git+${entry['git']}${ref}` };
  for (const vcs of ['hg', 'svn', 'bzr']) if (typeof entry[vcs] === 'string') return { reason: 'vcs', spec: `${vcs}+${String(entry[vcs])}${ref}` };
  if (typeof entry['path'] === 'string') return { reason: entry['editable'] === true ? 'editable' : 'path', spec: entry['path'] };
  if (typeof entry['file'] === 'string') return { reason: 'url', spec: entry['file'] };
  return undefined;
}

/**
 * Read a `Pipfile.lock` (JSON): `default` → group `main`, `develop` → `dev` (a package locked
 * alike in both is listed once, as `main`). The lock is flat, so
 * `direct` is known only when the `Pipfile`'s parse result is passed as `manifest`.
 *
 * @example
 * ```ts
 * parsePipfileLock(text, 'Pipfile.lock').dependencies.find((d) => d.name === 'requests')?.version;
 * ```
 */
export function parsePipfileLock(text: string, file: string, manifest?: ParseResult): ParseResult {
  const src = parseJsonSource(text, file, ['default', 'develop']);
  if (!isTable(src.value)) throw lockfileParseError(`${file}: expected a JSON object with "default" and "develop"`, { file, line: 1, col: 1 });
  const warnings: Diagnostic[] = [];
  const declared = manifest ? new Set(manifest.dependencies.map((d) => d.name)) : undefined;
  const dependencies: Dependency[] = [];
  // A package both sections lock at one version is installed once, for production: main.
  const inDefault = new Set<string>();
  for (const [section, group] of [['default', 'main'], ['develop', 'dev']] as [string, DependencyGroup][]) {
    const entries = src.value[section];
    if (entries === undefined) continue;
    if (!isTable(entries)) {
      warnings.push(warning(LockfileCodes.SKIPPED, `"${section}" is not an object; skipped`, file, 1));
      continue;
    }
    for (const [rawName, entry] of Object.entries(entries)) {
      const line = src.lineOf([section, rawName]) ?? 1;
      if (!isTable(entry)) {
        warnings.push(warning(LockfileCodes.SKIPPED, `entry ${rawName} is not an object; skipped`, file, line));
        continue;
      }
      const name = normalizePypiName(rawName);
      const unresolvable = pipenvSource(entry);
      const spec = typeof entry['version'] === 'string' ? entry['version'] : undefined;
      const version = unresolvable || spec === undefined ? undefined : pinnedVersion(spec);
      const hashes = Array.isArray(entry['hashes']) ? entry['hashes'].filter((h): h is string => typeof h === 'string') : [];
      const installs = `${name}\0${unresolvable?.spec ?? spec ?? ''}`;
      if (group === 'main') inDefault.add(installs);
      else if (inDefault.has(installs)) continue;
      dependencies.push({
        ecosystem: 'PyPI',
        name,
        version,
        pinned: version !== undefined,
        ...(spec !== undefined ? { specifier: spec } : {}),
        ...(unresolvable ? { unresolvable } : {}),
        direct: declared ? declared.has(name) : undefined,
        path: [name],
        location: { file, line, col: 1 },
        extras: Array.isArray(entry['extras']) ? entry['extras'].filter((e): e is string => typeof e === 'string').map(normalizePypiName) : [],
        ...(typeof entry['markers'] === 'string' ? { marker: entry['markers'] } : {}),
        group,
        purl: purlFor('PyPI', name, version),
        ...(hashes.length ? { hashes } : {}),
      });
    }
  }
  return { file, format: 'Pipfile.lock', dependencies, warnings, errors: [] };
}
