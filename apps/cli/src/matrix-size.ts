import { expandMatrix, type MatrixSpec, type Workflow } from '@psr/core';

/**
 * How many instances a matrix task expands to (core's own expansion, so the count matches the
 * run); undefined for a dynamic matrix, whose size is known only once its needs are done.
 */
export function matrixInstanceCount(matrix: MatrixSpec): number | undefined {
  return matrix.expressions ? undefined : expandMatrix(matrix).length;
}

/**
 * Number of task instances a workflow runs, as far as it is known at the start: a matrix task
 * counts once per combination, a dynamic matrix task once (until its instances appear).
 */
export function instanceCount(workflow: Workflow): number {
  return workflow.tasks.reduce((n, t) => n + (t.matrix ? (matrixInstanceCount(t.matrix) ?? 1) : 1), 0);
}

/** Ids of the tasks whose matrix is dynamic (expanded during the run). */
export function dynamicMatrixTasks(workflow: Workflow): Set<string> {
  return new Set(workflow.tasks.filter((t) => t.matrix?.expressions).map((t) => t.id));
}
