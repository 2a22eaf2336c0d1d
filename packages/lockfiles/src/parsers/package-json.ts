import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, lockfileParseError, warning } from '../errors.js';
import { parseJsonSource } from '../json-source.js';
import type { Dependency, DependencyGroup, ParseResult } from '../model.js';
import { classifyNpmSpec, exactNpmVersion } from '../npm-spec.js';
import { purlFor } from '../purl.js';
import { isPackageName } from '../package-name.js';

/** The dependency sections of a package.json that npm installs, and their groups. */
export const PACKAGE_JSON_SECTIONS: readonly [string, DependencyGroup][] = [
  ['dependencies', 'main'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
];

/**
 * Read a `package.json` (only scanned when no lockfile sits beside or above it): its
 * `dependencies`, `optionalDependencies` and `devDependencies`. Ranges are unpinned (the
 * installed version is unknown without a lock); an exact `1.2.3` is a pin.
 *
 * @example
 * ```ts
 * parsePackageJson('{"dependencies":{"lodash":"^4.17.21"}}', 'package.json').dependencies[0]?.pinned; // false
 * ```
 */
export function parsePackageJson(text: string, file: string): ParseResult {
  const src = parseJsonSource(text, file, PACKAGE_JSON_SECTIONS.map(([s]) => s));
  const doc = src.value;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw lockfileParseError(`${file}: expected a JSON object`, { file, line: 1, col: 1 });
  const warnings: Diagnostic[] = [];
  const dependencies: Dependency[] = [];
  const seen = new Set<string>();
  for (const [section, group] of PACKAGE_JSON_SECTIONS) {
    const deps = (doc as Record<string, unknown>)[section];
    if (deps === undefined) continue;
    if (typeof deps !== 'object' || deps === null || Array.isArray(deps)) {
      warnings.push(warning(LockfileCodes.SKIPPED, `"${section}" is not an object; skipped`, file, 1));
      continue;
    }
    for (const [declared, spec] of Object.entries(deps as Record<string, unknown>)) {
      const line = src.lineOf([section, declared]) ?? 1;
      if (!isPackageName(declared)) {
        warnings.push(warning(LockfileCodes.SKIPPED, `"${section}" has an entry without a package name; skipped`, file, line));
        continue;
      }
      if (typeof spec !== 'string') {
        warnings.push(warning(LockfileCodes.SKIPPED, `${declared}: version spec is not a string; skipped`, file, line));
        continue;
      }
      // npm lets optionalDependencies override dependencies of the same name: list it once.
      if (seen.has(declared)) continue;
      seen.add(declared);
      const parsed = classifyNpmSpec(declared, spec);
      const version = parsed.range === undefined ? undefined : exactNpmVersion(parsed.range);
      dependencies.push({
        ecosystem: 'npm',
        name: parsed.name,
        version,
        pinned: version !== undefined,
        specifier: spec,
        ...(parsed.unresolvable ? { unresolvable: parsed.unresolvable } : {}),
        direct: true,
        path: [parsed.name],
        location: { file, line, col: 1 },
        extras: [],
        group,
        purl: purlFor('npm', parsed.name, version),
      });
    }
  }
  return { file, format: 'package.json', dependencies, warnings, errors: [] };
}
