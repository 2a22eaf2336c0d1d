/**
 * `${{ }}` expressions: parsed and evaluated by GitHub's own `@actions/expressions` (the
 * Actions expression language exactly: operators, coercions, `contains`, `format`,
 * `fromJSON`, …). psr adds only its contexts and the status functions of `if:`.
 */
import type { Expr, data } from '@actions/expressions';
import { ErrorCodes, PsrError } from '../errors.js';
import { actionsExpressions } from './actions-expressions.js';

/** The contexts an expression may read. */
export const EXPRESSION_CONTEXTS = ['inputs', 'env', 'secrets', 'tasks', 'matrix', 'run'] as const;

/** Functions only `if:` may call; their meaning depends on the task's needs. */
export const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'] as const;

/** The values of the contexts for one evaluation (plain JS values or prepared expression data). */
export type ExpressionContexts = Partial<Record<(typeof EXPRESSION_CONTEXTS)[number], unknown>>;

/** Answers of the status functions for one `if:` evaluation. */
export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
}

const statusFunctionInfo = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
const parsed = new Map<string, Expr>();
const parsedForIf = new Map<string, Expr>();

/**
 * Parse one expression (without the `${{ }}` wrapper). Results are cached: matrix
 * instances and retries evaluate the same text many times.
 *
 * @param allowStatusFunctions true for `if:` (enables `success()`, `failure()`, `always()`, `cancelled()`).
 * @throws PsrError `PSR_EXPRESSION` with the position of the problem.
 *
 * @example
 * ```ts
 * parseExpression("tasks.build.result == 'success'");
 * parseExpression('failure()', { allowStatusFunctions: true });
 * ```
 */
export function parseExpression(text: string, options: { allowStatusFunctions?: boolean } = {}): Expr {
  const cache = options.allowStatusFunctions ? parsedForIf : parsed;
  const hit = cache.get(text);
  if (hit) return hit;
  const { Lexer, Parser } = actionsExpressions();
  let expr: Expr;
  try {
    const tokens = new Lexer(text).lex().tokens;
    expr = new Parser(tokens, [...EXPRESSION_CONTEXTS], options.allowStatusFunctions ? statusFunctionInfo : []).parse();
  } catch (cause) {
    const pos = (cause as { pos?: { column?: number } }).pos;
    const at = typeof pos?.column === 'number' ? ` at column ${pos.column + 1}` : '';
    throw new PsrError(ErrorCodes.EXPRESSION, `invalid expression \`${text}\`${at}: ${(cause as Error).message}`, {
      hint: options.allowStatusFunctions
        ? `contexts: ${EXPRESSION_CONTEXTS.join(', ')}; status functions: ${STATUS_FUNCTIONS.map((f) => `${f}()`).join(', ')}`
        : `contexts: ${EXPRESSION_CONTEXTS.join(', ')} (status functions like success() are only allowed in if:)`,
      cause,
    });
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(text, expr);
  return expr;
}

/**
 * True when the expression calls a status function (`success()`, `failure()`, `always()`,
 * `cancelled()`). An `if:` without one means `success() && (<if>)`, as in GitHub Actions.
 *
 * @example
 * ```ts
 * usesStatusFunction('always() && inputs.x'); // true
 * usesStatusFunction("inputs.target == 'prod'"); // false
 * ```
 */
export function usesStatusFunction(text: string): boolean {
  const { Lexer } = actionsExpressions();
  let tokens;
  try {
    tokens = new Lexer(text).lex().tokens;
  } catch {
    return false;
  }
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    const name = t.lexeme.toLowerCase();
    // An identifier directly followed by `(` is a function call (not `tasks.success.result`).
    const prev = tokens[i - 1];
    if ((STATUS_FUNCTIONS as readonly string[]).includes(name) && tokens[i + 1]!.lexeme === '(' && prev?.lexeme !== '.') return true;
  }
  return false;
}

/** Convert a plain JS value to the evaluator's data model. */
export function toExpressionData(value: unknown): data.ExpressionData {
  const { data } = actionsExpressions();
  if (value === null || value === undefined) return new data.Null();
  if (value instanceof data.Dictionary || value instanceof data.Array || value instanceof data.StringData || value instanceof data.NumberData || value instanceof data.BooleanData || value instanceof data.Null) {
    return value;
  }
  switch (typeof value) {
    case 'string':
      return new data.StringData(value);
    case 'number':
      return new data.NumberData(value);
    case 'boolean':
      return new data.BooleanData(value);
    case 'object': {
      if (Array.isArray(value)) return new data.Array(...value.map(toExpressionData));
      const dict = new data.Dictionary();
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) dict.add(k, toExpressionData(v));
      return dict;
    }
    default:
      return new data.StringData(String(value));
  }
}

/** Convert the evaluator's data back to a plain JS value. */
export function fromExpressionData(value: data.ExpressionData | undefined): unknown {
  if (value === undefined) return null;
  const { data } = actionsExpressions();
  switch (value.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.String:
      return (value as data.StringData).value;
    case data.Kind.Number:
      return (value as data.NumberData).value;
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Array:
      return (value as data.Array).values().map(fromExpressionData);
    default: {
      const out: Record<string, unknown> = {};
      for (const { key, value: v } of (value as data.Dictionary).pairs()) out[key] = fromExpressionData(v);
      return out;
    }
  }
}

/** True/false the way `if:` reads a value (GitHub truthiness: '', 0, null, false are false). */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '' || value === 0) return false;
  if (typeof value === 'number' && Number.isNaN(value)) return false;
  return true;
}

/**
 * Evaluate one expression (without `${{ }}`) against the given contexts.
 * Missing properties read as `null` (as in GitHub Actions); parse errors throw `PSR_EXPRESSION`.
 *
 * @example
 * ```ts
 * evaluateExpression('inputs.n > 2', { inputs: { n: 3 } }); // true
 * evaluateExpression("format('v{0}', matrix.py)", { matrix: { py: '3.12' } }); // 'v3.12'
 * ```
 */
export function evaluateExpression(text: string, contexts: ExpressionContexts, status?: StatusFunctions): unknown {
  const { data, Evaluator } = actionsExpressions();
  const expr = parseExpression(text, { allowStatusFunctions: status !== undefined });
  const root = new data.Dictionary();
  for (const name of EXPRESSION_CONTEXTS) root.add(name, toExpressionData(contexts[name] ?? {}));
  let functions: Map<string, { name: string; minArgs: number; maxArgs: number; call: () => data.ExpressionData }> | undefined;
  if (status) {
    const fn = (name: string, f: () => boolean) => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(f()) });
    functions = new Map([
      ['success', fn('success', () => status.success())],
      ['failure', fn('failure', () => status.failure())],
      ['cancelled', fn('cancelled', () => status.cancelled())],
      ['always', fn('always', () => true)],
    ]);
  }
  try {
    return fromExpressionData(new Evaluator(expr, root, functions).evaluate());
  } catch (cause) {
    throw new PsrError(ErrorCodes.EXPRESSION, `cannot evaluate \`${text}\`: ${(cause as Error).message}`, {
      hint: 'check the names and types the expression uses',
      cause,
    });
  }
}
