/**
 * Statically checking `${{ }}` expressions. Parsing is done by GitHub's own
 * `@actions/expressions` (the Actions expression language); locating them inside strings is
 * `findExpressions` in expressions/template.ts. This module walks the syntax tree for context references.
 */
import { Lexer, Parser, type Expr } from '@actions/expressions';
import { ContextAccess, FunctionCall, IndexAccess, Literal, Unary, Binary, Logical, Grouping } from '@actions/expressions/ast';

/** Contexts an expression may read. */
export const EXPRESSION_CONTEXTS = ['inputs', 'env', 'secrets', 'tasks', 'matrix', 'run'] as const;

/** Status functions of `if:` (GitHub Actions semantics), beyond the built-in functions. */
export const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'] as const;

const EXTENSION_FUNCTIONS = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));

/** A parse failure: message and 0-based column inside the expression. */
export interface ExpressionProblem {
  message: string;
  column: number;
}

/** Parse results by text: workflows repeat expressions (`${{ inputs.target }}` in every task). */
const parsed = new Map<string, { ast: Expr } | { problem: ExpressionProblem }>();

/** Parse an expression, or describe why it does not parse. The syntax tree is shared: read it, do not change it. */
export function parseExpression(expr: string): { ast: Expr } | { problem: ExpressionProblem } {
  let result = parsed.get(expr);
  if (!result) {
    if (parsed.size > 10_000) parsed.clear();
    result = parseUncached(expr);
    parsed.set(expr, result);
  }
  return result;
}

function parseUncached(expr: string): { ast: Expr } | { problem: ExpressionProblem } {
  try {
    const lexed = new Lexer(expr).lex();
    const ast = new Parser(lexed.tokens, [...EXPRESSION_CONTEXTS], EXTENSION_FUNCTIONS).parse();
    return { ast };
  } catch (err) {
    const e = err as { message?: string; pos?: { column: number } };
    let message = String(e.message ?? err);
    let column = e.pos?.column ?? 0;
    // The lexer throws plain errors: "Unexpected symbol: '+'. Located at position 3 within expression: …".
    const located = /Located at position (\d+)/.exec(message);
    if (located) {
      column = Math.max(0, Number(located[1]) - 1);
      message = message.slice(0, located.index).replace(/[.\s]+$/, '');
    }
    return { problem: { message, column } };
  }
}

/** A reference to a context, with the literal property path after it (`tasks.deps.outputs` → ['deps', 'outputs']). */
export interface ContextReference {
  context: string;
  /** Literal keys read from the context, as far as they are literal. */
  path: string[];
  /** 0-based column of the context name inside the expression. */
  column: number;
}

/** Every context reference in a parsed expression. */
export function contextReferences(ast: Expr): ContextReference[] {
  const refs: ContextReference[] = [];
  const visit = (node: Expr): void => {
    const chain = accessChain(node);
    if (chain) {
      refs.push(chain);
      // Indexes that are themselves expressions (tasks[inputs.name]) still reference contexts.
      for (let n: Expr = node; n instanceof IndexAccess; n = n.expr) if (!(n.index instanceof Literal)) visit(n.index);
      return;
    }
    if (node instanceof IndexAccess) {
      visit(node.expr);
      visit(node.index);
    } else if (node instanceof FunctionCall) node.args.forEach(visit);
    else if (node instanceof Unary) visit(node.expr);
    else if (node instanceof Binary) {
      visit(node.left);
      visit(node.right);
    } else if (node instanceof Logical) node.args.forEach(visit);
    else if (node instanceof Grouping) visit(node.group);
  };
  visit(ast);
  return refs;
}

function accessChain(node: Expr): ContextReference | undefined {
  const keys: string[] = [];
  let n: Expr = node;
  while (n instanceof IndexAccess) {
    keys.unshift(n.index instanceof Literal ? n.index.literal.coerceString() : '*');
    n = n.expr;
  }
  if (!(n instanceof ContextAccess)) return undefined;
  // Keep only the literal prefix: tasks[x].outputs → ['*'] stops at the first non-literal.
  const literal: string[] = [];
  for (const k of keys) {
    if (k === '*') break;
    literal.push(k);
  }
  return { context: n.name.lexeme, path: literal, column: n.name.range.start.column };
}
