/**
 * Strings with embedded `${{ expr }}` (GitHub Actions "templates"). Hand-written because
 * `@actions/expressions` only evaluates a single expression; finding the `}}` that closes
 * one must skip over string literals (`'a }} b'`), which this scanner does.
 */
import { ErrorCodes, PsrError } from '../errors.js';

/** One `${{ }}` occurrence in a string. */
export interface TemplatePart {
  /** Index of `$` in `${{`. */
  start: number;
  /** Index just after the closing `}}`. */
  end: number;
  /** The expression text, trimmed. */
  expression: string;
}

/** One `${{ … }}` inside a string, found leniently (an unclosed one is reported, not thrown). */
export interface EmbeddedExpression {
  /** The expression text between the braces, untrimmed. */
  expr: string;
  /** Offset of `${{`. */
  start: number;
  /** Offset just past `}}`, or -1 when it is never closed. */
  end: number;
}

/**
 * Every `${{ … }}` in `text`, in order; the one scanner behind {@link findTemplateParts} and the
 * workflow checks. A `}}` inside a single-quoted expression string does not close the expression
 * (`'` is the only string quote of the language; `''` escapes it). An unclosed `${{` is the last
 * entry, with `end` -1 and the rest of `text` as `expr`.
 *
 * @example
 * ```ts
 * findExpressions("a ${{ 'x }}' }} ${{ b").map((e) => e.end === -1); // [false, true]
 * ```
 */
export function findExpressions(text: string): EmbeddedExpression[] {
  const found: EmbeddedExpression[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${{', from);
    if (start === -1) return found;
    let i = start + 3;
    let inString = false;
    let end = -1;
    while (i < text.length) {
      const c = text[i];
      if (inString) {
        if (c === "'") {
          if (text[i + 1] === "'") i++; // '' is an escaped quote
          else inString = false;
        }
      } else if (c === "'") {
        inString = true;
      } else if (c === '}' && text[i + 1] === '}') {
        end = i + 2;
        break;
      }
      i++;
    }
    found.push({ expr: text.slice(start + 3, end === -1 ? text.length : end - 2), start, end });
    if (end === -1) return found;
    from = end;
  }
}

/**
 * Find every `${{ }}` in `text`.
 *
 * @throws PsrError `PSR_EXPRESSION` when a `${{` is never closed.
 * @example
 * ```ts
 * findTemplateParts('v${{ matrix.py }}-${{ inputs.x }}').map((p) => p.expression); // ['matrix.py', 'inputs.x']
 * ```
 */
export function findTemplateParts(text: string): TemplatePart[] {
  return findExpressions(text).map(({ expr, start, end }) => {
    if (end === -1) {
      throw new PsrError(ErrorCodes.EXPRESSION, `unclosed \`\${{\` in "${text.length > 80 ? `${text.slice(0, 77)}...` : text}"`, {
        hint: 'close the expression with }}',
      });
    }
    return { start, end, expression: expr.trim() };
  });
}

/** How an expression's value reads inside a longer string (GitHub: null → '', objects → JSON). */
export function stringifyExpressionValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Replace each `${{ }}` in `text` with its value. A string that is exactly one
 * `${{ expr }}` returns the value itself (keeping its type) unless `asString` is set.
 *
 * @example
 * ```ts
 * interpolateString('n=${{ inputs.n }}', (e) => 3); // 'n=3'
 * interpolateString('${{ inputs.n }}', (e) => 3); // 3
 * ```
 */
export function interpolateString(text: string, evaluate: (expression: string) => unknown, options: { asString?: boolean } = {}): unknown {
  if (!text.includes('${{')) return text;
  const parts = findTemplateParts(text);
  if (parts.length === 0) return text;
  const only = parts[0]!;
  if (parts.length === 1 && only.start === 0 && only.end === text.length && !options.asString) {
    return evaluate(only.expression);
  }
  let out = '';
  let at = 0;
  for (const p of parts) {
    out += text.slice(at, p.start) + stringifyExpressionValue(evaluate(p.expression));
    at = p.end;
  }
  return out + text.slice(at);
}

/**
 * Interpolate every string inside `value` (objects and arrays recursively); keys are kept as written.
 *
 * @example
 * ```ts
 * interpolateValue({ args: ['--n', '${{ inputs.n }}'] }, () => 3); // { args: ['--n', 3] }
 * ```
 */
export function interpolateValue(value: unknown, evaluate: (expression: string) => unknown): unknown {
  if (typeof value === 'string') return interpolateString(value, evaluate);
  if (Array.isArray(value)) return value.map((v) => interpolateValue(v, evaluate));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateValue(v, evaluate);
    return out;
  }
  return value;
}

/** True when `value` (recursively) holds a `${{`, so callers can skip interpolation work. */
export function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${{');
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value !== null && typeof value === 'object') {
    for (const k in value) if (hasTemplate((value as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/**
 * The expression of a string that is exactly one `${{ expr }}` (surrounding blanks allowed),
 * else undefined: such a string stands for the expression's value, not for text.
 *
 * @example
 * ```ts
 * wholeExpression('${{ fromJSON(tasks.a.outputs.list) }}'); // 'fromJSON(tasks.a.outputs.list)'
 * wholeExpression('v${{ inputs.n }}'); // undefined
 * ```
 */
export function wholeExpression(text: string): string | undefined {
  const t = text.trim();
  if (!t.startsWith('${{')) return undefined;
  const found = findExpressions(t);
  if (found.length !== 1 || found[0]!.end !== t.length) return undefined;
  const expr = found[0]!.expr.trim();
  return expr === '' ? undefined : expr;
}
