import { inheritedMarker } from './marker-syntax.js';
import type { DependencyGroup } from './model.js';

/**
 * A locked package and the packages it requires (by node key). Keys are strings, or numbers
 * where a parser numbers its entries (cheaper to hash for a lock of 100,000 entries).
 */
export interface LockNode<K = string> {
  key: K;
  name: string;
  deps: K[];
}

/** A direct requirement of the project: where a walk starts. */
export interface LockRoot<K = string> {
  key: K;
  group: DependencyGroup;
}

/** What a walk from the project's direct requirements learns about one node. */
export interface Reach {
  direct: boolean;
  path: string[];
  group: DependencyGroup;
}

/**
 * Longest dependency path kept. Each path is its parent's plus one name, so a chain of n
 * packages costs n²/2 names: a hostile 20,000-deep lockfile would need 200 million (gigabytes,
 * minutes). Real paths are a few dozen names at most; a longer one keeps its first names, then
 * {@link PATH_ELLIPSIS}, then the package itself.
 */
export const MAX_PATH_LENGTH = 64;

/** What stands for the names left out of a path longer than {@link MAX_PATH_LENGTH}. */
export const PATH_ELLIPSIS = '…';

/** `path` followed by `name`, at most {@link MAX_PATH_LENGTH} names long. */
function extendPath(path: readonly string[], name: string): string[] {
  return path.length < MAX_PATH_LENGTH ? [...path, name] : [...path.slice(0, MAX_PATH_LENGTH - 2), PATH_ELLIPSIS, name];
}

/**
 * Order in which groups claim packages: main, then optional, then `dev`, then other named
 * groups. `dev` comes before the others because `uv sync` installs it by default where other
 * groups need asking for, so a package that `dev` and `lint` both declare is `dev`.
 */
export function groupRank(g: DependencyGroup): number {
  if (g === 'main') return 0;
  if (g === 'optional' || g.startsWith('optional:')) return 1;
  if (g === 'dev') return 2;
  return 3;
}

/**
 * Walk from the direct requirements. Paths come from one breadth-first walk from all roots
 * (shortest path, `direct` for declared roots). Groups come from walks tier by tier (main's
 * whole closure first, dev last), so a package that production also needs is `main` even when
 * a dev tool declares it too.
 */
export function walkLockGraph<K = string>(nodes: ReadonlyMap<K, LockNode<K>>, roots: readonly LockRoot<K>[]): Map<K, Reach> {
  const reach = new Map<K, Reach>();
  const queue: K[] = [];
  for (const root of roots) {
    const node = nodes.get(root.key);
    if (!node || reach.has(root.key)) continue;
    reach.set(root.key, { direct: true, path: [node.name], group: root.group });
    queue.push(root.key);
  }
  for (let i = 0; i < queue.length; i++) {
    const from = reach.get(queue[i]!)!;
    for (const key of nodes.get(queue[i]!)?.deps ?? []) {
      const node = nodes.get(key);
      if (!node || reach.has(key)) continue;
      reach.set(key, { direct: false, path: extendPath(from.path, node.name), group: from.group });
      queue.push(key);
    }
  }
  const claimed = new Set<K>();
  for (const root of [...roots].sort((a, b) => groupRank(a.group) - groupRank(b.group))) {
    const stack = [root.key];
    while (stack.length > 0) {
      const key = stack.pop()!;
      if (claimed.has(key) || !nodes.has(key)) continue;
      claimed.add(key);
      const r = reach.get(key);
      if (r) r.group = root.group;
      // One at a time: spreading a package with more requirements than the stack holds arguments throws.
      for (const dep of nodes.get(key)?.deps ?? []) stack.push(dep);
    }
  }
  return reach;
}

/**
 * The reach of a package listed once for several lock entries (pnpm's peer-dependency variants,
 * a package key reached under several graph keys): the most needed of the two — direct before
 * indirect, then main before optional before dev, then the shorter path (the first on a tie).
 */
export function strongerReach(a: Reach | undefined, b: Reach | undefined): Reach | undefined {
  if (!a || !b) return a ?? b;
  if (a.direct !== b.direct) return a.direct ? a : b;
  const rank = groupRank(a.group) - groupRank(b.group);
  if (rank !== 0) return rank < 0 ? a : b;
  return b.path.length < a.path.length ? b : a;
}

/** Map a Python tool's group name to a {@link DependencyGroup}. */
export function pythonGroup(name: string | undefined): DependencyGroup {
  if (name === undefined || name === 'main' || name === 'default') return 'main';
  if (name === 'dev' || name === 'develop') return 'dev';
  return `group:${name}`;
}

/** The group of a package a lock lists under several groups (poetry's and pdm's `groups`): the first in {@link groupRank} order. */
export function lockedGroup(names: readonly string[]): DependencyGroup {
  return names.map(pythonGroup).reduce((a, b) => (groupRank(b) < groupRank(a) ? b : a));
}

/**
 * The marker under which a transitive package is installed, from the markers on the edges that
 * require it: `undefined` when any edge requires it unconditionally, else the edges' markers
 * joined with `or`. (Lockfiles such as uv.lock and poetry.lock 2.0 keep markers on edges only.)
 * An edge's `extra == "…"` terms name extras of the requiring package, not the project's, and
 * are not inherited ({@link inheritedMarker}): `extra == "socks"` alone is an unconditional edge.
 */
export function markerFromEdges(edgeMarkers: readonly (string | undefined)[]): string | undefined {
  const inherited = edgeMarkers.map((m) => (m === undefined || m.trim() === '' ? undefined : inheritedMarker(m)));
  if (inherited.length === 0 || inherited.some((m) => m === undefined)) return undefined;
  const unique = [...new Set(inherited as string[])];
  return unique.length === 1 ? unique[0] : unique.map((m) => `(${m})`).join(' or ');
}
