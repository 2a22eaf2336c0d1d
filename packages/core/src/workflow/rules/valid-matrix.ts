/**
 * validMatrix: axes are non-empty lists, `include`/`exclude` are lists of mappings whose
 * keys make sense, `max-parallel` is at least 1, and the expansion is neither empty nor huge.
 */
import { ErrorCodes } from '../../errors.js';
import { expandMatrix, MAX_MATRIX_COMBINATIONS } from '../matrix.js';
import { matrixSpec } from '../normalize.js';
import { didYouMean } from '../suggest.js';
import type { WorkflowRule } from './rule.js';

const AXIS_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export const validMatrix: WorkflowRule = {
  name: 'validMatrix',
  check({ user, report }) {
    for (const [id, task] of Object.entries(user.tasks)) {
      const strategy = task.strategy;
      if (!strategy) continue;
      const base = ['tasks', id, 'strategy'];
      const matrix = strategy.matrix;
      let ok = true;
      const axes = Object.keys(matrix).filter((k) => k !== 'include' && k !== 'exclude');
      for (const axis of axes) {
        const values = matrix[axis];
        if (!AXIS_NAME.test(axis)) {
          ok = false;
          report({ code: ErrorCodes.MATRIX, message: `matrix axis name "${axis}" is not usable in expressions`, hint: 'use letters, digits, _ and -, starting with a letter or _', path: [...base, 'matrix', axis], at: 'key' });
        }
        if (!Array.isArray(values) || values.length === 0) {
          ok = false;
          report({
            code: ErrorCodes.MATRIX,
            message: Array.isArray(values) ? `matrix axis "${axis}" of task "${id}" is empty` : `matrix axis "${axis}" of task "${id}" must be a list of values`,
            hint: `write it as a list: ${axis}: [a, b]`,
            path: [...base, 'matrix', axis],
          });
        }
      }
      for (const kind of ['include', 'exclude'] as const) {
        const rows = matrix[kind];
        if (rows === undefined) continue;
        if (!Array.isArray(rows)) {
          ok = false;
          report({ code: ErrorCodes.MATRIX, message: `matrix ${kind} of task "${id}" must be a list of mappings`, hint: `${kind}: [{ ${axes[0] ?? 'key'}: value }]`, path: [...base, 'matrix', kind] });
          continue;
        }
        rows.forEach((row, i) => {
          if (typeof row !== 'object' || row === null || Array.isArray(row) || Object.keys(row).length === 0) {
            ok = false;
            report({ code: ErrorCodes.MATRIX, message: `matrix ${kind}[${i}] of task "${id}" must be a non-empty mapping of axis values`, hint: `for example: - { ${axes[0] ?? 'key'}: value }`, path: [...base, 'matrix', kind, i] });
            return;
          }
          if (kind !== 'exclude') return;
          for (const key of Object.keys(row)) {
            if (axes.includes(key)) continue;
            ok = false;
            const suggestion = didYouMean(key, axes);
            report({
              code: ErrorCodes.MATRIX,
              message: `matrix exclude of task "${id}" names "${key}", which is not an axis`,
              hint: suggestion ?? `exclude entries match axis values; axes: ${axes.join(', ') || '(none)'}`,
              path: [...base, 'matrix', kind, i, key],
              at: 'key',
            });
          }
        });
      }
      const maxParallel = strategy['max-parallel'];
      if (maxParallel !== undefined && maxParallel < 1) {
        report({ code: ErrorCodes.MATRIX, message: `max-parallel of task "${id}" is ${maxParallel}; it must be at least 1`, hint: 'remove it to run as many instances as concurrency allows', path: [...base, 'max-parallel'] });
      }
      if (!ok) continue;
      const combos = expandMatrix(matrixSpec(matrix, maxParallel));
      if (combos.length === 0) {
        report({
          code: ErrorCodes.MATRIX,
          message: `matrix of task "${id}" expands to no instances`,
          hint: axes.length === 0 ? 'add at least one axis (name: [values]) or include entry' : 'the exclude entries remove every combination; loosen them',
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
