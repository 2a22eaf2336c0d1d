import type { LockRoot } from '../lock-graph.js';
import type { ParseResult } from '../model.js';

/**
 * Turn a Python manifest's declared requirements into walk roots for a lockfile's graph:
 * main requirements first so a package reachable from both main and dev counts as main.
 * `undefined` when there is no manifest (the lock alone cannot say what is direct).
 */
export function rootsFromManifest(manifest: ParseResult | undefined, keysByName: ReadonlyMap<string, readonly string[]>): LockRoot[] | undefined {
  if (!manifest) return undefined;
  const order = (g: string): number => (g === 'main' ? 0 : g.startsWith('optional') ? 1 : g === 'dev' ? 3 : 2);
  const declared = [...manifest.dependencies].sort((a, b) => order(a.group) - order(b.group));
  return declared.flatMap((d) => (keysByName.get(d.name) ?? []).map((key) => ({ key, group: d.group })));
}
