// Dependency paths and groups from a lockfile's graph, including a hostile chain far deeper than
// any real project's.
import { describe, expect, it } from 'vitest';
import { lockedGroup, MAX_PATH_LENGTH, markerFromEdges, PATH_ELLIPSIS, walkLockGraph, type LockNode } from './lock-graph.js';

function graph(edges: Record<string, string[]>): Map<string, LockNode> {
  return new Map(Object.entries(edges).map(([key, deps]) => [key, { key, name: key, deps }]));
}

describe('walkLockGraph', () => {
  it('gives each package its shortest path from a direct requirement, and main over dev', () => {
    const nodes = graph({ app: ['web', 'util'], web: ['util', 'tls'], util: [], tls: [], lint: ['util', 'ast'], ast: [] });
    const reach = walkLockGraph(nodes, [
      { key: 'app', group: 'main' },
      { key: 'lint', group: 'dev' },
    ]);
    expect(reach.get('tls')).toEqual({ direct: false, path: ['app', 'web', 'tls'], group: 'main' });
    expect(reach.get('util')).toEqual({ direct: false, path: ['app', 'util'], group: 'main' });
    expect(reach.get('ast')).toEqual({ direct: false, path: ['lint', 'ast'], group: 'dev' });
    expect(reach.get('lint')).toMatchObject({ direct: true, path: ['lint'] });
  });

  it('gives a package that dev and another group both need to dev, and one main needs too to main', () => {
    const nodes = graph({ pytest: ['pluggy'], pluggy: [], ruff: [], attrs: [] });
    const reach = walkLockGraph(nodes, [
      { key: 'pytest', group: 'group:test' },
      { key: 'ruff', group: 'group:lint' },
      { key: 'attrs', group: 'group:test' },
      { key: 'pytest', group: 'dev' },
      { key: 'ruff', group: 'dev' },
      { key: 'attrs', group: 'main' },
    ]);
    expect([...reach].map(([k, r]) => [k, r.group])).toEqual([['pytest', 'dev'], ['ruff', 'dev'], ['attrs', 'main'], ['pluggy', 'dev']]);
    expect(lockedGroup(['lint', 'dev'])).toBe('dev');
    expect(lockedGroup(['docs', 'default'])).toBe('main');
    expect(lockedGroup(['lint', 'docs'])).toBe('group:lint');
  });

  it('walks a 20,000-deep chain, cutting paths longer than the limit', () => {
    const depth = 20_000;
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < depth; i++) edges[`p${i}`] = i + 1 < depth ? [`p${i + 1}`] : [];
    // Uncut, this chain's paths would hold 200 million names: minutes and gigabytes.
    const reach = walkLockGraph(graph(edges), [{ key: 'p0', group: 'main' }]);
    expect(reach.size).toBe(depth);
    expect(reach.get(`p${MAX_PATH_LENGTH - 1}`)!.path).toEqual(Array.from({ length: MAX_PATH_LENGTH }, (_, i) => `p${i}`));
    const last = reach.get(`p${depth - 1}`)!.path;
    expect(last).toHaveLength(MAX_PATH_LENGTH);
    expect(last.slice(-2)).toEqual([PATH_ELLIPSIS, `p${depth - 1}`]);
    expect(last.slice(0, 3)).toEqual(['p0', 'p1', 'p2']);
  });

  it('walks a package that requires 200,000 others (a generated monorepo root), and numbered keys', () => {
    const count = 200_000;
    const nodes = new Map<number, LockNode<number>>([[0, { key: 0, name: 'app', deps: Array.from({ length: count }, (_, i) => i + 1) }]]);
    for (let i = 1; i <= count; i++) nodes.set(i, { key: i, name: `p${i}`, deps: [] });
    const reach = walkLockGraph(nodes, [{ key: 0, group: 'dev' }]);
    expect(reach.size).toBe(count + 1);
    expect(reach.get(count)).toEqual({ direct: false, path: ['app', `p${count}`], group: 'dev' });
  });
});

describe('markerFromEdges', () => {
  it("joins the edges' markers, without the requiring packages' extra terms", () => {
    expect(markerFromEdges(['python_version < "3.11"'])).toBe('python_version < "3.11"');
    expect(markerFromEdges(['sys_platform == "win32"', 'os_name == "nt"'])).toBe('(sys_platform == "win32") or (os_name == "nt")');
    expect(markerFromEdges(['extra == "socks"'])).toBeUndefined();
    expect(markerFromEdges(['python_version < "3.11"', 'python_version < "3.11" and extra == "test"'])).toBe('python_version < "3.11"');
    expect(markerFromEdges(['sys_platform == "win32"', undefined])).toBeUndefined();
  });
});
