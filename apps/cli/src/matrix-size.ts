import type { MatrixSpec, Workflow } from '@psr/core';

/**
 * How many instances a matrix expands to (GitHub Actions rules: the cartesian product of the
 * axes, minus `exclude` entries that match, plus `include` entries that extend no combination).
 */
export function matrixInstanceCount(matrix: MatrixSpec): number {
  const axes = Object.entries(matrix.axes);
  let combos: Array<Record<string, unknown>> = axes.length ? [{}] : [];
  for (const [key, values] of axes) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  const matches = (combo: Record<string, unknown>, partial: Record<string, unknown>): boolean =>
    Object.entries(partial).every(([k, v]) => JSON.stringify(combo[k]) === JSON.stringify(v));
  combos = combos.filter((c) => !matrix.exclude.some((e) => matches(c, e)));
  const axisNames = new Set(axes.map(([k]) => k));
  let extra = 0;
  for (const inc of matrix.include) {
    // An include whose axis values match an existing combination extends it; otherwise it adds one.
    const axisPart = Object.fromEntries(Object.entries(inc).filter(([k]) => axisNames.has(k)));
    const extends_ = Object.keys(axisPart).length > 0 && combos.some((c) => matches(c, axisPart));
    if (!extends_ || combos.length === 0) extra += 1;
  }
  return combos.length + extra;
}

/** Number of task instances a workflow runs (a matrix task counts once per combination). */
export function instanceCount(workflow: Workflow): number {
  return workflow.tasks.reduce((n, t) => n + (t.matrix ? matrixInstanceCount(t.matrix) : 1), 0);
}
