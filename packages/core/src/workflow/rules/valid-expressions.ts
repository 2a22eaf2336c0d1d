/**
 * validExpressions: every `${{ }}` parses (GitHub's expression language) and only reads what
 * exists where it is written: `tasks.X` only for tasks the current task (indirectly) needs,
 * `matrix.*` only in matrix tasks, `inputs.X` only for declared inputs. A dynamic matrix
 * (`strategy.matrix`, one of its axes, `include` or `exclude` written as one `${{ }}`) reads
 * inputs, env, tasks and run, but neither matrix nor secrets. `continue-on-error` is `true`,
 * `false` or one `${{ }}` reading inputs, env, matrix, tasks and run, but not secrets.
 * A `${{ }}` where expressions are not evaluated is one problem, reported here (the schema
 * stage leaves such values to {@link notEvaluatedProblem}).
 */
import { isMap, isPair, isScalar, isSeq, Scalar, type Node } from 'yaml';
import { ErrorCodes, type SourceLocation } from '../../errors.js';
import { findExpressions, wholeExpression } from '../../expressions/template.js';
import type { PathSegment, WorkflowDocument } from '../document.js';
import type { ContextReference } from '../expressions.js';

type ExpressionsModule = typeof import('../expressions.js');
import { conditionText } from '../normalize.js';
import { didYouMean } from '../suggest.js';
import type { RuleContext, WorkflowRule } from './rule.js';

/** Task keys whose values are evaluated by the engine. */
const EVALUATED_TASK_KEYS = new Set(['with', 'run', 'script', 'args', 'shell', 'env', 'if', 'continue-on-error']);

/** Where `${{ }}` is allowed, for the hint of a misplaced one. */
const WHERE_EXPRESSIONS_GO =
  "use ${{ }} only in a task's with, run, script, args, shell, env, if, continue-on-error or strategy.matrix, or in env, defaults.env and defaults.shell";

/** Fields whose value must be one whole `${{ }}` and what it must not read. */
type WholeExpressionField = 'matrix' | 'continue-on-error';

/**
 * The problem of a `${{ }}` written where psr does not evaluate expressions (`timeout`,
 * `retry.attempts`, `concurrency`, …). The schema stage reports this instead of a type
 * error for such values, so each misplaced expression is one diagnostic.
 */
export function notEvaluatedProblem(path: readonly PathSegment[]): { code: typeof ErrorCodes.EXPRESSION; message: string; hint: string } {
  const inMatrix = path[2] === 'strategy' && path[3] === 'matrix';
  return {
    code: ErrorCodes.EXPRESSION,
    message: `expressions are not evaluated in ${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')}`,
    hint: inMatrix
      ? 'write the whole list as one expression instead: axis: ${{ fromJSON(tasks.<id>.outputs.<name>) }} (also works for include, exclude and the whole matrix)'
      : WHERE_EXPRESSIONS_GO,
  };
}

/** Whether a scalar at `path` is checked even without `${{`: an `if:` (braces optional) or a `continue-on-error` string. */
function alwaysChecked(path: readonly PathSegment[]): boolean {
  return path.length === 3 && path[0] === 'tasks' && (path[2] === 'if' || path[2] === 'continue-on-error');
}
const TASK_PROPERTIES = ['outputs', 'result'];

/** GitHub Actions contexts, and where psr keeps the same information. */
const FOREIGN_CONTEXTS: Record<string, string> = {
  needs: 'psr reads other tasks as tasks.<id>.outputs.<key> and tasks.<id>.result (the task must be in needs)',
  jobs: 'psr reads other tasks as tasks.<id>.outputs.<key> and tasks.<id>.result',
  steps: 'a psr task has no steps; read outputs of other tasks with tasks.<id>.outputs.<key>',
  github: 'psr has no github context; use run.id, run.workflow, env.* or inputs.*',
  vars: 'psr has no vars context; use inputs.* or env.*',
};
const RUN_PROPERTIES = ['id', 'attempt', 'workflow', 'started-at'];

export const validExpressions: WorkflowRule = {
  name: 'validExpressions',
  async check(ctx) {
    const root = ctx.document.doc.contents;
    const found: Array<[Scalar, PathSegment[]]> = [];
    walk(root as Node | null, [], (scalar, path) => {
      if (alwaysChecked(path) || (scalar.value as string).includes('${{')) found.push([scalar, [...path]]);
    });
    if (found.length === 0) return;
    // The expression parser is loaded only for workflows that have expressions.
    const expressions = await import('../expressions.js');
    const reachable = transitiveNeeds(ctx);
    for (const [scalar, path] of found) checkScalar(ctx, expressions, reachable, scalar, path);
  },
};

/** Visit every string scalar with its path; `path` is one array reused along the walk (copy it to keep it). */
function walk(node: Node | null | undefined, path: PathSegment[], visit: (s: Scalar, path: readonly PathSegment[]) => void): void {
  if (!node) return;
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      path.push(String(item.key.value));
      walk(item.value as Node | null, path, visit);
      path.pop();
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      path.push(i);
      walk(node.items[i] as Node, path, visit);
      path.pop();
    }
  } else if (isScalar(node) && typeof node.value === 'string') {
    visit(node, path);
  }
}

function checkScalar(ctx: RuleContext, expressions: ExpressionsModule, reachable: Reachable, scalar: Scalar, path: PathSegment[]): void {
  const value = scalar.value as string;
  const isTaskIf = path.length === 3 && path[0] === 'tasks' && path[2] === 'if';
  if (!value.includes('${{') && !alwaysChecked(path)) return;
  // Values the schema stage rejected (unknown keys, wrong types) are already reported: they
  // were removed or replaced by their default.
  if (valueAt(ctx.user, path) !== value) return;
  const { document } = ctx;
  const range = scalar.range ?? [0, 0, 0];
  const raw = document.text.slice(range[0], range[1]);

  const where = placeOf(ctx, path);
  if (!where.evaluated) {
    ctx.report({ ...notEvaluatedProblem(path), path });
    return;
  }

  if (where.whole) {
    const expr = wholeExpression(value);
    if (expr !== undefined) {
      const at = raw.indexOf('${{');
      const inner = raw.indexOf(expr.slice(0, 20), at);
      checkExpression(ctx, expressions, reachable, where.taskId, expr, range[0] + (inner >= 0 ? inner : Math.max(0, at)), path, where.whole);
      return;
    }
    const parts = findExpressions(value);
    const broken = parts.some((e) => e.end === -1 || e.expr.trim() === '');
    if (!broken) {
      ctx.report(
        where.whole === 'matrix'
          ? {
              code: ErrorCodes.MATRIX,
              message: `a matrix value from an expression must be one \${{ }} and nothing else, not text (${JSON.stringify(short(value))})`,
              hint: 'the expression must give the list (or mapping) itself: ${{ fromJSON(tasks.<id>.outputs.<name>) }}',
              path,
            }
          : {
              code: ErrorCodes.SCHEMA,
              message: `tasks.${where.taskId}.continue-on-error: expected a boolean or one \${{ }} expression, got the string ${JSON.stringify(short(value))}`,
              hint: 'write true or false (yes/no/on/off are strings in YAML 1.2), or one expression: ${{ matrix.experimental }}',
              path,
            },
      );
      return;
    }
    // An unclosed or empty ${{ }}: reported below like anywhere else.
  }

  if (isTaskIf) {
    const cond = conditionText(value)!;
    if (cond.includes('${{')) {
      ctx.report({
        code: ErrorCodes.EXPRESSION,
        message: `if: must be one expression, not text with \${{ }} inside (${JSON.stringify(value)})`,
        hint: 'write the whole condition inside one ${{ }}, or leave the braces out: if: tasks.a.result == \'success\'',
        path,
      });
      return;
    }
    const at = Math.max(0, raw.indexOf(cond.slice(0, 20)));
    checkExpression(ctx, expressions, reachable, where.taskId, cond, range[0] + at, path);
    return;
  }

  let searchFrom = 0;
  for (const e of findExpressions(value)) {
    const rawIndex = raw.indexOf('${{', searchFrom);
    searchFrom = rawIndex === -1 ? searchFrom : rawIndex + 3;
    const exprOffset = rawIndex === -1 ? range[0] : range[0] + rawIndex + 3;
    if (e.end === -1) {
      ctx.report({
        code: ErrorCodes.EXPRESSION,
        message: 'unclosed ${{: the expression has no closing }}',
        hint: 'close it: ${{ inputs.name }}',
        location: document.locationAt(exprOffset - 3),
      });
      continue;
    }
    if (e.expr.trim() === '') {
      ctx.report({ code: ErrorCodes.EXPRESSION, message: 'empty expression ${{ }}', hint: 'put an expression inside, e.g. ${{ inputs.target }}', location: document.locationAt(exprOffset - 3) });
      continue;
    }
    checkExpression(ctx, expressions, reachable, where.taskId, e.expr, exprOffset, path);
  }
}

function checkExpression(
  ctx: RuleContext,
  expressions: ExpressionsModule,
  reachable: Reachable,
  taskId: string | undefined,
  expr: string,
  offset: number,
  path: PathSegment[],
  whole?: WholeExpressionField,
): void {
  const { document } = ctx;
  const at = (column: number): SourceLocation => document.locationAt(offset + column);
  const parsed = expressions.parseExpression(expr);
  if ('problem' in parsed) {
    const unknownContext = /Unrecognized named-value: '([^']*)'/.exec(parsed.problem.message);
    const unknownFunction = /Unrecognized function: '([^']*)'/.exec(parsed.problem.message);
    ctx.report({
      code: ErrorCodes.EXPRESSION,
      message: unknownContext
        ? `unknown context "${unknownContext[1]}" in \${{ ${short(expr)} }}`
        : unknownFunction
          ? `unknown function "${unknownFunction[1]}" in \${{ ${short(expr)} }}`
          : `invalid expression \${{ ${short(expr)} }}: ${parsed.problem.message}`,
      hint: unknownContext
        ? (FOREIGN_CONTEXTS[unknownContext[1]!] ?? `${didYouMean(unknownContext[1]!, ['inputs', 'env', 'secrets', 'tasks', 'matrix', 'run']) ?? ''} contexts: inputs, env, secrets, tasks, matrix, run`.trim())
        : unknownFunction
          ? 'functions: success(), failure(), always(), cancelled(), contains, startsWith, endsWith, format, join, toJSON, fromJSON'
          : 'expressions use the GitHub Actions syntax: ${{ inputs.x == \'prod\' && tasks.build.result == \'success\' }}',
      location: at(parsed.problem.column),
    });
    return;
  }
  for (const ref of expressions.contextReferences(parsed.ast)) {
    if (whole === 'continue-on-error' && ref.context === 'secrets') {
      ctx.report({
        code: ErrorCodes.EXPRESSION,
        message: `the continue-on-error of task "${taskId}" reads secrets${ref.path[0] !== undefined ? `.${ref.path[0]}` : ''}, which it cannot read`,
        hint: 'whether a failure continues shows in output and history: decide it from inputs, env, matrix, run or tasks in needs',
        location: at(ref.column),
      });
      continue;
    }
    if (whole === 'matrix' && (ref.context === 'matrix' || ref.context === 'secrets')) {
      ctx.report({
        code: ErrorCodes.EXPRESSION,
        message: `the matrix of task "${taskId}" reads ${ref.context}${ref.path[0] !== undefined ? `.${ref.path[0]}` : ''}, which a matrix expression cannot read`,
        hint:
          ref.context === 'matrix'
            ? 'the matrix is being built: read inputs, env, run or the outputs of tasks in needs'
            : 'instance ids show matrix values in output and history, so secrets stay out of them',
        location: at(ref.column),
      });
      continue;
    }
    checkReference(ctx, reachable, taskId, ref, at(ref.column), path);
  }
}

function checkReference(ctx: RuleContext, reachable: Reachable, taskId: string | undefined, ref: ContextReference, location: SourceLocation, path: PathSegment[]): void {
  const { user, report } = ctx;
  const [first, second] = ref.path;
  const where = taskId === undefined ? 'workflow env' : `task "${taskId}"`;
  switch (ref.context) {
    case 'tasks': {
      if (taskId === undefined) {
        report({ code: ErrorCodes.EXPRESSION, message: 'tasks.* is not available in workflow-level env', hint: 'read task outputs inside the task that needs them', location });
        return;
      }
      if (first === undefined) return;
      const ids = Object.keys(user.tasks);
      if (!(first in user.tasks)) {
        report({ code: ErrorCodes.EXPRESSION, message: `${where} reads tasks.${first}, which is not a task in this workflow`, hint: didYouMean(first, ids) ?? `tasks: ${ids.join(', ')}`, location });
        return;
      }
      if (!reachable.get(taskId)?.has(first)) {
        report({
          code: ErrorCodes.EXPRESSION,
          message: `${where} reads tasks.${first}, but does not need "${first}"`,
          hint: first === taskId ? 'a task cannot read its own outputs' : `add "${first}" to the needs of "${taskId}" so it has finished first`,
          location,
        });
        return;
      }
      if (second !== undefined && !TASK_PROPERTIES.includes(second)) {
        report({ code: ErrorCodes.EXPRESSION, message: `tasks.${first}.${second} does not exist`, hint: `${didYouMean(second, TASK_PROPERTIES) ?? ''} a task has .outputs.<name> and .result`.trim(), location });
      }
      return;
    }
    case 'matrix': {
      const strategy = taskId === undefined ? undefined : user.tasks[taskId]?.strategy;
      if (!strategy) {
        report({
          code: ErrorCodes.EXPRESSION,
          message: `${where} reads matrix${first !== undefined ? `.${first}` : ''}, but ${taskId === undefined ? 'workflow env has no matrix' : 'has no strategy.matrix'}`,
          hint: 'matrix values exist only inside a task with strategy.matrix',
          location,
        });
        return;
      }
      const matrix = strategy.matrix;
      const dynamic = typeof matrix === 'string' || hasDynamicPart(matrix);
      if (dynamic && path.length === 3 && path[2] === 'if') {
        report({
          code: ErrorCodes.EXPRESSION,
          message: `the if: of task "${taskId}" reads matrix${first !== undefined ? `.${first}` : ''}, but its matrix comes from an expression and expands only after if: is decided`,
          hint: 'test the value inside the task (run:), or drop combinations with exclude',
          location,
        });
        return;
      }
      // A matrix (or include) from an expression has keys known only at run time.
      if (first === undefined || typeof matrix === 'string' || typeof matrix.include === 'string') return;
      const keys = new Set<string>();
      for (const [k, v] of Object.entries(matrix)) {
        if (k !== 'include' && k !== 'exclude') keys.add(k);
        else if (k === 'include' && Array.isArray(v)) for (const row of v) if (row && typeof row === 'object') Object.keys(row).forEach((rk) => keys.add(rk));
      }
      if (!keys.has(first)) {
        report({ code: ErrorCodes.EXPRESSION, message: `${where} reads matrix.${first}, which is not a matrix key`, hint: didYouMean(first, keys) ?? `matrix keys: ${[...keys].join(', ')}`, location });
      }
      return;
    }
    case 'inputs': {
      if (first === undefined || first in user.inputs) return;
      const names = Object.keys(user.inputs);
      report({
        code: ErrorCodes.EXPRESSION,
        message: `inputs.${first} is not declared`,
        hint: didYouMean(first, names) ?? `declare it under inputs: (declared: ${names.join(', ') || 'none'})`,
        location,
      });
      return;
    }
    case 'run': {
      if (first === undefined || RUN_PROPERTIES.includes(first)) return;
      report({ code: ErrorCodes.EXPRESSION, message: `run.${first} does not exist`, hint: `${didYouMean(first, RUN_PROPERTIES) ?? ''} run has: ${RUN_PROPERTIES.join(', ')}`.trim(), location });
      return;
    }
    default:
      void path;
  }
}

function placeOf(ctx: RuleContext, path: PathSegment[]): { evaluated: boolean; taskId?: string; whole?: WholeExpressionField } {
  if (path[0] === 'env') return { evaluated: true };
  if (path[0] === 'defaults' && (path[1] === 'env' || path[1] === 'shell')) return { evaluated: true };
  if (path[0] === 'tasks' && typeof path[1] === 'string' && typeof path[2] === 'string' && path[1] in ctx.user.tasks) {
    // strategy.matrix itself, or one of its keys (an axis, include, exclude): a dynamic matrix.
    if (path[2] === 'strategy' && path[3] === 'matrix' && path.length <= 5) return { evaluated: true, taskId: path[1], whole: 'matrix' };
    if (path[2] === 'continue-on-error' && path.length === 3) return { evaluated: true, taskId: path[1], whole: 'continue-on-error' };
    return { evaluated: EVALUATED_TASK_KEYS.has(path[2]), taskId: path[1] };
  }
  return { evaluated: false };
}

/** Whether a matrix mapping has a part written as `${{ }}`. */
function hasDynamicPart(matrix: Record<string, unknown>): boolean {
  for (const k in matrix) if (typeof matrix[k] === 'string' && (matrix[k] as string).includes('${{')) return true;
  return false;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(seg)];
  }
  return v;
}

/** For each task, every task it needs directly or indirectly (computed on first use: most tasks never read tasks.*). */
function transitiveNeeds({ workflow }: RuleContext): Reachable {
  const direct = new Map(workflow.tasks.map((t) => [t.id, t.needs] as const));
  const cache = new Map<string, Set<string>>();
  const compute = (taskId: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(direct.get(taskId) ?? [])];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const n of direct.get(id) ?? []) stack.push(n);
    }
    seen.delete(taskId);
    return seen;
  };
  return {
    get(taskId: string): Set<string> | undefined {
      let found = cache.get(taskId);
      if (!found) cache.set(taskId, (found = compute(taskId)));
      return found;
    },
  };
}

interface Reachable {
  get(taskId: string): Set<string> | undefined;
}

export type { WorkflowDocument };

/** The expression as shown in messages: trimmed, and cut when very long. */
function short(expr: string): string {
  const t = expr.trim().replace(/\s+/g, ' ');
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}
