/**
 * validMatrix: axes are non-empty lists, `include`/`exclude` are lists of mappings whose
 * keys make sense, `max-parallel` is at least 1, and the expansion is neither empty nor huge.
 * Parts written as one `${{ }}` (a dynamic matrix) are checked by validExpressions here and
 * by the engine once evaluated; the static parts of such a matrix keep every check above
 * except the expansion's size, which is known only at run time.
 */
import { ErrorCodes } from '../../errors.js';
import { expandMatrix, MAX_MATRIX_COMBINATIONS } from '../matrix.js';
import { isMatrixMapping, matrixAxisNames, matrixShapeProblems } from '../matrix-shape.js';
import { matrixSpec } from '../normalize.js';
import type { WorkflowRule } from './rule.js';

/** A value holding `${{`: an expression, checked (or rejected, when it is not one whole `${{ }}`) by validExpressions. */
const holdsExpression = (value: unknown): boolean => typeof value === 'string' && value.includes('${{');

export const validMatrix: WorkflowRule = {
  name: 'validMatrix',
  check({ user, report }) {
    for (const [id, task] of Object.entries(user.tasks)) {
      const strategy = task.strategy;
      if (!strategy) continue;
      const base = ['tasks', id, 'strategy'];
      const matrix = strategy.matrix;
      const maxParallel = strategy['max-parallel'];
      if (maxParallel !== undefined && maxParallel < 1) {
        report({ code: ErrorCodes.MATRIX, message: `max-parallel of task "${id}" is ${maxParallel}; it must be at least 1`, hint: 'remove it to run as many instances as concurrency allows', path: [...base, 'max-parallel'] });
      }
      if (holdsExpression(matrix)) continue;
      if (!isMatrixMapping(matrix)) {
        report({
          code: ErrorCodes.MATRIX,
          message: `strategy.matrix of task "${id}" must be a mapping of axes, or one \${{ }} expression that gives one`,
          hint: 'matrix: { os: [linux, mac] }, or matrix: ${{ fromJSON(tasks.<id>.outputs.<name>) }}',
          path: [...base, 'matrix'],
        });
        continue;
      }
      const problems = matrixShapeProblems(id, matrix, { isDeferred: holdsExpression, emptyAxisIsProblem: true });
      for (const p of problems) report({ code: ErrorCodes.MATRIX, message: p.message, hint: p.hint, path: [...base, 'matrix', ...p.path], ...(p.at ? { at: p.at } : {}) });
      if (problems.length > 0) continue;
      if (Object.values(matrix).some(holdsExpression)) {
        // Every evaluated axis has at least one value (an empty one skips the task), so without
        // `exclude` the static axes alone bound the expansion from below.
        const atLeast = matrix.exclude === undefined ? Object.values(matrix).reduce<number>((n, v) => (Array.isArray(v) ? n * v.length : n), 1) : 0;
        if (atLeast > MAX_MATRIX_COMBINATIONS) {
          report({
            code: ErrorCodes.MATRIX,
            message: `matrix of task "${id}" expands to at least ${atLeast} instances; the limit is ${MAX_MATRIX_COMBINATIONS}`,
            hint: 'split the task or drop axes; a matrix this large is usually a mistake',
            path: [...base, 'matrix'],
            at: 'key',
          });
        }
        continue;
      }
      const combos = expandMatrix(matrixSpec(matrix, maxParallel));
      if (combos.length === 0) {
        report({
          code: ErrorCodes.MATRIX,
          message: `matrix of task "${id}" expands to no instances`,
          hint: matrixAxisNames(matrix).length === 0 ? 'add at least one axis (name: [values]) or include entry' : 'the exclude entries remove every combination; loosen them',
          path: [...base, 'matrix'],
          at: 'key',
        });
      } else if (combos.length > MAX_MATRIX_COMBINATIONS) {
        report({
          code: ErrorCodes.MATRIX,
          message: `matrix of task "${id}" expands to ${combos.length} instances; the limit is ${MAX_MATRIX_COMBINATIONS}`,
          hint: 'split the task or drop axes; a matrix this large is usually a mistake',
          path: [...base, 'matrix'],
          at: 'key',
        });
      }
    }
  },
};
