/**
 * Matrix expansion with GitHub Actions semantics: the cartesian product of the axes, minus
 * every combination matching an `exclude` entry, then each `include` entry either extends
 * the combinations it matches (adding keys they lack) or, when it matches none, is added
 * as a combination of its own.
 */
import type { MatrixSpec } from '../model.js';

/** One combination of matrix values. */
export type MatrixCombination = Record<string, unknown>;

/** Guard against accidental combinatorial explosions (`a: [..100], b: [..100], c: [..100]`). */
export const MAX_MATRIX_COMBINATIONS = 256;

/**
 * Expand a matrix into its combinations, in axis order.
 *
 * @example
 * ```ts
 * expandMatrix({ axes: { python: ['3.11', '3.12'], os: ['linux'] }, include: [], exclude: [] });
 * // [{ python: '3.11', os: 'linux' }, { python: '3.12', os: 'linux' }]
 * ```
 */
export function expandMatrix(spec: Pick<MatrixSpec, 'axes' | 'include' | 'exclude'>): MatrixCombination[] {
  let combos: MatrixCombination[] = [{}];
  const axes = Object.entries(spec.axes);
  for (const [name, values] of axes) {
    const next: MatrixCombination[] = [];
    for (const c of combos) for (const v of values) next.push({ ...c, [name]: v });
    combos = next;
    if (combos.length > MAX_MATRIX_COMBINATIONS * 16) break; // reported by the rule; stop allocating
  }
  if (axes.length === 0) combos = [];
  combos = combos.filter((c) => !spec.exclude.some((ex) => matches(c, ex)));
  const axisNames = new Set(axes.map(([n]) => n));
  const originalCount = combos.length;
  for (const inc of spec.include) {
    let extended = false;
    for (let i = 0; i < originalCount; i++) {
      const c = combos[i]!;
      // An include entry may add keys to a combination but never overwrite one of its axis values.
      const compatible = Object.entries(inc).every(([k, v]) => !axisNames.has(k) || !(k in c) || sameValue(c[k], v));
      if (compatible) {
        combos[i] = { ...c, ...inc };
        extended = true;
      }
    }
    if (!extended) combos.push({ ...inc });
  }
  return combos;
}

/**
 * The id of one matrix instance: `build (python=3.11, os=linux)`.
 *
 * @example
 * ```ts
 * matrixInstanceId('build', { python: '3.11', os: 'linux' }); // 'build (python=3.11, os=linux)'
 * ```
 */
export function matrixInstanceId(taskId: string, combination: MatrixCombination): string {
  const parts = Object.entries(combination).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length === 0 ? taskId : `${taskId} (${parts.join(', ')})`;
}

function matches(combo: MatrixCombination, partial: MatrixCombination): boolean {
  return Object.entries(partial).every(([k, v]) => k in combo && sameValue(combo[k], v));
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
