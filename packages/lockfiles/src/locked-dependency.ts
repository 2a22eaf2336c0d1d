/**
 * The `Dependency` record of one package entry in a lockfile. Every lockfile parser learns the
 * same facts (name, locked version, how the project reaches it); this module turns them into the
 * record one way, so `pinned`, `direct`, `path` and `purl` mean the same for every format.
 */
import type { Reach } from './lock-graph.js';
import type { Dependency, DependencyGroup, Ecosystem, Unresolvable } from './model.js';
import { purlFor } from './purl.js';

/** What a lockfile parser knows about one locked package. */
export interface LockedPackage {
  ecosystem: Ecosystem;
  name: string;
  /** The locked version; `undefined` for an unresolvable install or an entry without one. */
  version: string | undefined;
  unresolvable?: Unresolvable | undefined;
  /** What the walk from the project's direct requirements learned, when it reached this package. */
  reach: Pick<Reach, 'direct' | 'path'> | undefined;
  /** True when the project's direct requirements are known: an unreached package is then indirect. */
  rootsKnown: boolean;
  file: string;
  line: number;
  group: DependencyGroup;
  /** The extras the project asks for (a direct dependency's); none when left out. */
  extras?: readonly string[];
  marker?: string | undefined;
  /** Artifact hashes; left out of the record when empty. */
  hashes?: readonly string[];
  bundled?: boolean;
}

/**
 * Build the `Dependency` record of a locked package.
 *
 * @example
 * ```ts
 * lockedDependency({ ecosystem: 'npm', name: 'ms', version: '2.1.3', reach: undefined, rootsKnown: false, file: 'yarn.lock', line: 4, group: 'main' });
 * // { ecosystem: 'npm', name: 'ms', version: '2.1.3', pinned: true, direct: undefined, path: ['ms'], purl: 'pkg:npm/ms@2.1.3', … }
 * ```
 */
export function lockedDependency(p: LockedPackage): Dependency {
  const { name, version, unresolvable, reach } = p;
  return {
    ecosystem: p.ecosystem,
    name,
    version,
    pinned: version !== undefined,
    ...(unresolvable ? { unresolvable } : {}),
    direct: reach ? reach.direct : p.rootsKnown ? false : undefined,
    path: reach?.path ?? [name],
    location: { file: p.file, line: p.line, col: 1 },
    extras: p.extras ? [...p.extras] : [],
    ...(p.marker !== undefined ? { marker: p.marker } : {}),
    group: p.group,
    purl: purlFor(p.ecosystem, name, version),
    ...(p.hashes?.length ? { hashes: [...p.hashes] } : {}),
    ...(p.bundled ? { bundled: true } : {}),
  };
}
