import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, warning } from '../errors.js';
import type { Dependency, DependencyGroup, ParseResult } from '../model.js';
import { pinnedVersion } from '../pep508.js';
import { purlFor } from '../purl.js';
import { normalizePypiName } from '../pypi-name.js';
import { parseTomlText, TomlLocator } from '../toml-source.js';
import { pipenvSource } from './pipfile-lock.js';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Read a `Pipfile` (the manifest; only used when there is no `Pipfile.lock`): `[packages]` and
 * `[dev-packages]`. `"*"` and ranges are unpinned; `"==1.2.3"` is a pin.
 *
 * @example
 * ```ts
 * parsePipfile('[packages]\nrequests = "==2.31.0"\n', 'Pipfile').dependencies[0]?.pinned; // true
 * ```
 */
export function parsePipfile(text: string, file: string): ParseResult {
  const doc = parseTomlText(text, file);
  const loc = new TomlLocator(text);
  const warnings: Diagnostic[] = [];
  const dependencies: Dependency[] = [];
  for (const [section, group] of [['packages', 'main'], ['dev-packages', 'dev']] as [string, DependencyGroup][]) {
    const table = doc[section];
    if (!isTable(table)) continue;
    const at = loc.tableOffset([section]);
    for (const [rawName, value] of Object.entries(table)) {
      const keyAt = at === -1 ? -1 : loc.keyOffset(rawName, at);
      const line = keyAt === -1 ? 1 : loc.lineAt(keyAt);
      const name = normalizePypiName(rawName);
      const entry: Table = typeof value === 'string' ? { version: value } : isTable(value) ? value : {};
      if (typeof value !== 'string' && !isTable(value)) {
        warnings.push(warning(LockfileCodes.SKIPPED, `${rawName}: unexpected value; skipped`, file, line));
        continue;
      }
      const unresolvable = pipenvSource(entry);
      const spec = typeof entry['version'] === 'string' ? entry['version'] : undefined;
      const version = unresolvable || spec === undefined ? undefined : pinnedVersion(spec);
      dependencies.push({
        ecosystem: 'PyPI',
        name,
        version,
        pinned: version !== undefined,
        ...(spec !== undefined && spec !== '*' ? { specifier: spec } : {}),
        ...(unresolvable ? { unresolvable } : {}),
        direct: true,
        path: [name],
        location: { file, line, col: 1 },
        extras: Array.isArray(entry['extras']) ? entry['extras'].filter((e): e is string => typeof e === 'string').map(normalizePypiName) : [],
        ...(typeof entry['markers'] === 'string' ? { marker: entry['markers'] } : {}),
        group,
        purl: purlFor('PyPI', name, version),
      });
    }
  }
  return { file, format: 'Pipfile', dependencies, warnings, errors: [] };
}
