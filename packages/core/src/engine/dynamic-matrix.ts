/**
 * Expanding a dynamic matrix at run time: evaluate its `${{ }}` parts, merge them with the
 * static parts, check the result as the loader checks a matrix as written, and expand it.
 * Every problem is one `PsrError` with code `PSR_MATRIX` that fails the task.
 */
import { ErrorCodes, PsrError } from '../errors.js';
import type { MatrixSpec } from '../model.js';
import { expandMatrix, matrixInstanceId, MAX_MATRIX_COMBINATIONS, type MatrixCombination } from '../workflow/matrix.js';
import { isMatrixMapping, matrixShapeProblems } from '../workflow/matrix-shape.js';

/**
 * The combinations of a dynamic matrix (an empty list when it has none: the task is then
 * skipped). `evaluate` evaluates one expression in the task's contexts.
 *
 * @throws PsrError `PSR_MATRIX` when an expression fails or gives a value of the wrong shape,
 *   when the expansion exceeds {@link MAX_MATRIX_COMBINATIONS}, or when it repeats an instance.
 */
export function expandDynamicMatrix(taskId: string, spec: MatrixSpec, evaluate: (expression: string) => unknown): MatrixCombination[] {
  const expressions = spec.expressions;
  if (!expressions) return expandMatrix(spec);
  const gave: string[] = [];
  const value = (expr: string): unknown => {
    let v: unknown;
    try {
      v = evaluate(expr);
    } catch (error) {
      // The usual mistake: fromJSON of an output that was never written (a typo, a task that wrote nothing).
      const inner = /^fromJSON\(([^()]*)\)$/i.exec(expr)?.[1]?.trim();
      if (inner !== undefined && isEmpty(inner, evaluate)) {
        throw new PsrError(ErrorCodes.MATRIX, `the matrix of task "${taskId}" could not be evaluated: ${inner} is empty, so fromJSON has nothing to read`, {
          hint: 'check the output name, and that the task wrote it to $PSR_OUTPUT (name=["a","b"])',
        });
      }
      throw new PsrError(ErrorCodes.MATRIX, `the matrix of task "${taskId}" could not be evaluated: ${(error as Error).message}`, {
        hint: 'a dynamic matrix is usually ${{ fromJSON(tasks.<id>.outputs.<name>) }}: check that the task wrote that output as JSON',
      });
    }
    gave.push(`\${{ ${expr} }} gave ${describe(v)}`);
    return v;
  };

  let matrix: Record<string, unknown>;
  if (expressions.matrix !== undefined) {
    const whole = value(expressions.matrix);
    if (!isMatrixMapping(whole)) {
      throw new PsrError(ErrorCodes.MATRIX, `strategy.matrix of task "${taskId}" must be a mapping of axes, not ${describe(whole)} (from \${{ ${expressions.matrix} }})`, {
        hint: 'the expression must give an object such as {"os": ["linux"], "include": [{"os": "mac"}]}',
      });
    }
    matrix = whole;
  } else {
    matrix = {};
    for (const [axis, values] of Object.entries(spec.axes)) {
      const expr = expressions.axes?.[axis];
      matrix[axis] = expr === undefined ? values : value(expr);
    }
    if (expressions.include !== undefined) matrix.include = value(expressions.include);
    else if (spec.include.length > 0) matrix.include = spec.include;
    if (expressions.exclude !== undefined) matrix.exclude = value(expressions.exclude);
    else if (spec.exclude.length > 0) matrix.exclude = spec.exclude;
  }

  const [problem] = matrixShapeProblems(taskId, matrix, { emptyAxisIsProblem: false });
  if (problem) {
    throw new PsrError(ErrorCodes.MATRIX, `${problem.message} (${gave.join('; ')})`, {
      hint: 'write the output as JSON: a list for an axis (["a","b"]), a list of objects for include/exclude, an object of axes for the whole matrix',
    });
  }

  const axes: Record<string, unknown[]> = {};
  for (const [k, v] of Object.entries(matrix)) if (k !== 'include' && k !== 'exclude') axes[k] = v as unknown[];
  const combos = expandMatrix({
    axes,
    include: (matrix.include as Array<Record<string, unknown>> | undefined) ?? [],
    exclude: (matrix.exclude as Array<Record<string, unknown>> | undefined) ?? [],
  });
  if (combos.length > MAX_MATRIX_COMBINATIONS) {
    throw new PsrError(ErrorCodes.MATRIX, `matrix of task "${taskId}" expands to ${combos.length} instances; the limit is ${MAX_MATRIX_COMBINATIONS}`, {
      hint: 'split the list the matrix comes from, or drop axes; a matrix this large is usually a mistake',
    });
  }
  const seen = new Set<string>();
  for (const combo of combos) {
    const id = matrixInstanceId(taskId, combo);
    if (seen.has(id)) {
      throw new PsrError(ErrorCodes.MATRIX, `matrix of task "${taskId}" produces the instance "${id}" twice`, {
        hint: 'the list has a repeated value, or an include entry repeats a combination: remove duplicates before writing the output',
      });
    }
    seen.add(id);
  }
  return combos;
}

function isEmpty(expr: string, evaluate: (expression: string) => unknown): boolean {
  try {
    const v = evaluate(expr);
    return v === null || v === undefined || v === '';
  } catch {
    return false;
  }
}

/** A value as a message shows it: its kind, and the value itself when short. */
function describe(value: unknown): string {
  const kind = value === null || value === undefined ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `the ${typeof value}`;
  if (value === null || value === undefined) return kind;
  const text = JSON.stringify(value);
  return text.length <= 60 ? `${kind} ${text}` : `${kind} ${text.slice(0, 57)}...`;
}
