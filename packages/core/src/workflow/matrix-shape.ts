/**
 * The shape of a `strategy.matrix`: axis names and values, `include` and `exclude` rows. One
 * check serves the loader (a matrix as written) and the engine (a dynamic matrix once its
 * `${{ }}` parts are evaluated), so both report a bad shape in the same words.
 */
import type { PathSegment } from './document.js';
import { didYouMean } from './suggest.js';

/** Axis names must be usable as `matrix.<name>` in expressions. */
const AXIS_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** One shape problem; `path` is below `strategy.matrix`. */
export interface MatrixShapeProblem {
  message: string;
  hint: string;
  path: PathSegment[];
  /** Point at the key rather than its value. */
  at?: 'key';
}

/** How strict to be. */
export interface MatrixShapeOptions {
  /** Values written as `${{ }}`: their shape is known only at run time, so they are not checked. */
  isDeferred?: (value: unknown) => boolean;
  /**
   * An empty axis is a problem in a matrix as written; in an evaluated one it is the way an
   * expression says "nothing to do" (the task is then skipped).
   */
  emptyAxisIsProblem: boolean;
}

/** The axis names of a matrix mapping (every key but `include` and `exclude`), in order. */
export function matrixAxisNames(matrix: Record<string, unknown>): string[] {
  return Object.keys(matrix).filter((k) => k !== 'include' && k !== 'exclude');
}

/** Whether `value` can be a matrix (a mapping). */
export function isMatrixMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every shape problem of a matrix mapping: axis names, axes that are not lists (or are empty,
 * or hold lists or nulls), `include`/`exclude` that are not lists of non-empty mappings, and
 * `exclude` keys that are not axes.
 */
export function matrixShapeProblems(taskId: string, matrix: Record<string, unknown>, options: MatrixShapeOptions): MatrixShapeProblem[] {
  const problems: MatrixShapeProblem[] = [];
  const deferred = options.isDeferred ?? (() => false);
  const axes = matrixAxisNames(matrix);
  for (const axis of axes) {
    const values = matrix[axis];
    if (!AXIS_NAME.test(axis)) {
      problems.push({ message: `matrix axis name "${axis}" is not usable in expressions`, hint: 'use letters, digits, _ and -, starting with a letter or _', path: [axis], at: 'key' });
    }
    if (deferred(values)) continue;
    if (!Array.isArray(values)) {
      problems.push({
        message: `matrix axis "${axis}" of task "${taskId}" must be a list of values`,
        hint: `write it as a list: ${axis}: [a, b], or as one expression that gives a list: ${axis}: \${{ fromJSON(tasks.<id>.outputs.<name>) }}`,
        path: [axis],
      });
    } else if (values.length === 0) {
      if (options.emptyAxisIsProblem) problems.push({ message: `matrix axis "${axis}" of task "${taskId}" is empty`, hint: `give the axis at least one value (${axis}: [a, b]), or remove it`, path: [axis] });
    } else {
      const bad = values.findIndex((v) => v === null || v === undefined || Array.isArray(v));
      if (bad >= 0) {
        problems.push({
          message: `matrix axis "${axis}" of task "${taskId}" holds ${values[bad] == null ? 'null' : 'a list'} at [${bad}]; values are strings, numbers, booleans or mappings`,
          hint: 'each value of an axis becomes one instance: flatten nested lists and drop empty values',
          path: [axis, bad],
        });
      }
    }
  }
  for (const kind of ['include', 'exclude'] as const) {
    const rows = matrix[kind];
    if (rows === undefined || deferred(rows)) continue;
    if (!Array.isArray(rows)) {
      problems.push({ message: `matrix ${kind} of task "${taskId}" must be a list of mappings`, hint: `${kind}: [{ ${axes[0] ?? 'key'}: value }]`, path: [kind] });
      continue;
    }
    rows.forEach((row, i) => {
      if (!isMatrixMapping(row) || Object.keys(row).length === 0) {
        problems.push({ message: `matrix ${kind}[${i}] of task "${taskId}" must be a non-empty mapping of axis values`, hint: `for example: - { ${axes[0] ?? 'key'}: value }`, path: [kind, i] });
        return;
      }
      if (kind !== 'exclude') return;
      for (const key of Object.keys(row)) {
        if (axes.includes(key)) continue;
        problems.push({
          message: `matrix exclude of task "${taskId}" names "${key}", which is not an axis`,
          hint: didYouMean(key, axes) ?? `exclude entries match axis values; axes: ${axes.join(', ') || '(none)'}`,
          path: [kind, i, key],
          at: 'key',
        });
      }
    });
  }
  return problems;
}
