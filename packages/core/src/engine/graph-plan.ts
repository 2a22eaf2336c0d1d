/**
 * A workflow's DAG, planned once per Workflow object: its tasks in topological order (graphology),
 * with each task's needs and dependents as indices into that order.
 */
import { DirectedGraph } from 'graphology';
import { topologicalSort } from 'graphology-dag';
import { ErrorCodes, PsrError } from '../errors.js';
import type { TaskSpec, Workflow } from '../model.js';

/**
 * Topological order of a workflow's tasks, by Workflow object. Workflows are immutable
 * once loaded, so a schedule daemon (or a benchmark) running the same workflow again does
 * not rebuild its graph.
 */
const graphPlans = new WeakMap<Workflow, GraphPlan>();

/** A workflow's DAG as plain arrays: tasks in topological order, needs and dependents as indices into it. */
export interface GraphPlan {
  specs: TaskSpec[];
  needs: number[][];
  dependents: number[][];
}

/**
 * The plan of `wf`, built on first use.
 *
 * @throws PsrError `PSR_DUPLICATE_ID`, `PSR_UNKNOWN_NEEDS`, `PSR_WORKFLOW_CYCLE`.
 */
export function graphPlan(wf: Workflow): GraphPlan {
  let plan = graphPlans.get(wf);
  if (plan && plan.specs.length === wf.tasks.length) return plan;
  const order = topologicalOrder(wf);
  const byId = new Map<string, TaskSpec>();
  for (const t of wf.tasks) byId.set(t.id, t);
  const position = new Map<string, number>();
  order.forEach((id, i) => position.set(id, i));
  const specs = order.map((id) => byId.get(id)!);
  const needs = specs.map((spec) => [...new Set(spec.needs)].map((n) => position.get(n)!));
  // Sized exactly: a run keeps one needs and one dependents array per task for its whole
  // lifetime, and an array grown by push holds 17 slots where most tasks use one.
  const dependentCount = new Array<number>(specs.length).fill(0);
  for (const ns of needs) for (const n of ns) dependentCount[n]!++;
  const dependents = dependentCount.map((count) => new Array<number>(count));
  const filled = new Array<number>(specs.length).fill(0);
  needs.forEach((ns, i) => {
    for (const n of ns) dependents[n]![filled[n]!++] = i;
  });
  plan = { specs, needs, dependents };
  graphPlans.set(wf, plan);
  return plan;
}

/** The task ids of `wf` in an order where every task comes after its needs (graphology). */
function topologicalOrder(wf: Workflow): string[] {
  const graph = new DirectedGraph();
  for (const t of wf.tasks) {
    if (graph.hasNode(t.id)) throw new PsrError(ErrorCodes.DUPLICATE_ID, `duplicate task id "${t.id}"`, { hint: 'task ids must be unique' });
    graph.addNode(t.id);
  }
  for (const t of wf.tasks) {
    for (const need of t.needs) {
      if (!graph.hasNode(need)) {
        throw new PsrError(ErrorCodes.UNKNOWN_NEEDS, `task "${t.id}" needs unknown task "${need}"`, {
          hint: `known tasks: ${wf.tasks.map((x) => x.id).join(', ')}`,
          ...(t.location ? { location: t.location } : {}),
        });
      }
      if (!graph.hasDirectedEdge(need, t.id)) graph.addDirectedEdge(need, t.id);
    }
  }
  try {
    return topologicalSort(graph);
  } catch (cause) {
    throw new PsrError(ErrorCodes.WORKFLOW_CYCLE, 'the needs of the tasks form a cycle', { hint: 'run psr validate to see the cycle', cause });
  }
}
