/**
 * The task graph of a workflow as Mermaid or Graphviz dot. A matrix task is drawn as ONE
 * node labelled with its instance count (`build ×6`): the graph shows the workflow as
 * written, and dependents wait for every instance anyway, so expanding would only add edges.
 * A dynamic matrix, whose size is known only during a run, is `test ×? (dynamic matrix)`.
 */
import type { Workflow } from '@psr/core';
import { matrixInstanceCount } from '../matrix-size.js';

/** Output formats of `psr graph`. */
export type GraphFormat = 'mermaid' | 'dot';

function label(task: Workflow['tasks'][number]): string {
  const base = task.name !== task.id ? `${task.id}: ${task.name}` : task.id;
  if (!task.matrix) return base;
  const count = matrixInstanceCount(task.matrix);
  return count === undefined ? `${base} ×? (dynamic matrix)` : `${base} ×${count}`;
}

/**
 * Render the graph.
 *
 * @example
 * ```ts
 * renderGraph(workflow, 'mermaid');
 * // flowchart LR
 * //   t0["build ×6"]
 * //   t1["test"]
 * //   t0 --> t1
 * ```
 */
export function renderGraph(workflow: Workflow, format: GraphFormat): string {
  const index = new Map(workflow.tasks.map((t, i) => [t.id, i]));
  const edges = workflow.tasks.flatMap((t) => t.needs.filter((n) => index.has(n)).map((n) => [n, t.id] as const));
  if (format === 'mermaid') {
    const esc = (s: string): string => s.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
    return [
      'flowchart LR',
      ...workflow.tasks.map((t, i) => `  t${i}["${esc(label(t))}"]`),
      ...edges.map(([from, to]) => `  t${index.get(from)} --> t${index.get(to)}`),
      '',
    ].join('\n');
  }
  const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  return [
    `digraph ${q(workflow.name)} {`,
    '  rankdir=LR;',
    '  node [shape=box];',
    ...workflow.tasks.map((t) => `  ${q(t.id)} [label=${q(label(t))}];`),
    ...edges.map(([from, to]) => `  ${q(from)} -> ${q(to)};`),
    '}',
    '',
  ].join('\n');
}
