/**
 * noCycles: the `needs` graph is a DAG. Each cycle is reported once with its path
 * (`a -> b -> c -> a`, read "a needs b") and the line of every edge. A plain depth-first
 * search: no graph library on the loader's start-up path.
 */
import { ErrorCodes, type SourceLocation } from '../../errors.js';
import type { TaskSpec } from '../../model.js';
import type { WorkflowRule } from './rule.js';

/** Enough cycles to see the pattern; a generated workflow may have thousands. */
const MAX_REPORTED_CYCLES = 10;

export const noCycles: WorkflowRule = {
  name: 'noCycles',
  check({ workflow, report }) {
    const byId = new Map<string, TaskSpec>();
    for (const t of workflow.tasks) byId.set(t.id, t);
    // Edges "task -> what it needs", each once; unknown ids are knownNeeds' to report.
    const needsOf = new Map<string, Set<string>>();
    for (const t of workflow.tasks) {
      const needs = needsOf.get(t.id) ?? new Set<string>();
      for (const need of t.needs) if (byId.has(need)) needs.add(need);
      needsOf.set(t.id, needs);
    }
    const outNeighbors = (id: string): string[] => [...needsOf.get(id)!];

    const edgeLocation = (from: string, to: string): SourceLocation | undefined => {
      const t = byId.get(from)!;
      return t.needsLocations?.[t.needs.indexOf(to)];
    };
    // Iterative depth-first search; a back edge closes a cycle along the current stack.
    const state = new Map<string, 'open' | 'done'>();
    const reported = new Set<string>();
    for (const root of needsOf.keys()) {
      if (state.has(root)) continue;
      const stack: Array<{ node: string; next: string[] }> = [{ node: root, next: outNeighbors(root) }];
      state.set(root, 'open');
      while (stack.length > 0 && reported.size < MAX_REPORTED_CYCLES) {
        const top = stack[stack.length - 1]!;
        const child = top.next.shift();
        if (child === undefined) {
          state.set(top.node, 'done');
          stack.pop();
          continue;
        }
        const s = state.get(child);
        if (s === 'open') {
          const path = stack.slice(stack.findIndex((f) => f.node === child)).map((f) => f.node);
          const key = [...path].sort().join('\0');
          if (reported.has(key)) continue;
          reported.add(key);
          const cycle = [...path, child];
          const edges = cycle.slice(0, -1).map((from, i) => ({ from, to: cycle[i + 1]!, loc: edgeLocation(from, cycle[i + 1]!) }));
          const first = edges[0]!;
          report({
            code: ErrorCodes.WORKFLOW_CYCLE,
            message: `needs form a cycle: ${cycle.join(' -> ')} (${edges.map((e) => `${e.from} -> ${e.to} at line ${e.loc?.line ?? '?'}`).join(', ')})`,
            hint:
              cycle.length === 2
                ? `task "${child}" cannot need itself: remove it from its needs`
                : 'a task cannot (even indirectly) need itself: remove one of these needs entries',
            ...(first.loc ? { location: first.loc } : { path: ['tasks', first.from, 'needs'] }),
          });
        } else if (s === undefined) {
          state.set(child, 'open');
          stack.push({ node: child, next: outNeighbors(child) });
        }
      }
    }
  },
};
