import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, warning } from '../errors.js';
import { groupRank, type LockRoot } from '../lock-graph.js';
import type { ParseResult } from '../model.js';

/**
 * Turn a Python manifest's declared requirements into walk roots for a lockfile's graph:
 * in {@link groupRank} order, so a package reachable from both main and dev counts as main.
 * `undefined` when there is no manifest (the lock alone cannot say what is direct).
 */
export function rootsFromManifest(manifest: ParseResult | undefined, keysByName: ReadonlyMap<string, readonly string[]>): LockRoot[] | undefined {
  if (!manifest) return undefined;
  const declared = [...manifest.dependencies].sort((a, b) => groupRank(a.group) - groupRank(b.group));
  return declared.flatMap((d) => (keysByName.get(d.name) ?? []).map((key) => ({ key, group: d.group })));
}

/**
 * Declared requirements the lock has no entry for: the lock is older than the manifest (or was
 * cut short). Listed as one warning so a stale lock is never mistaken for a complete scan.
 */
export function missingFromLock(manifest: ParseResult | undefined, keysByName: ReadonlyMap<string, readonly string[]>, file: string, lockName: string): Diagnostic[] {
  if (!manifest) return [];
  const missing = [...new Set(manifest.dependencies.filter((d) => !keysByName.has(d.name)).map((d) => d.name))];
  if (missing.length === 0) return [];
  return [
    warning(
      LockfileCodes.SKIPPED,
      `${missing.length} requirement(s) declared in ${manifest.format} have no entry in ${lockName}: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`,
      file,
      1,
      `the lock is out of date or truncated; run the tool's lock command (e.g. \`${lockName === 'poetry.lock' ? 'poetry lock' : lockName === 'pdm.lock' ? 'pdm lock' : 'pip lock'}\`)`,
    ),
  ];
}
