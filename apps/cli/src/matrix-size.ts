import { expandMatrix, type MatrixSpec, type Workflow } from '@psr/core';

/** How many instances a matrix task expands to (core's own expansion, so the count matches the run). */
export function matrixInstanceCount(matrix: MatrixSpec): number {
  return expandMatrix(matrix).length;
}

/** Number of task instances a workflow runs (a matrix task counts once per combination). */
export function instanceCount(workflow: Workflow): number {
  return workflow.tasks.reduce((n, t) => n + (t.matrix ? matrixInstanceCount(t.matrix) : 1), 0);
}
