/**
 * Where JSON text first breaks the grammar, and why, in a few words. `JSON.parse` alone cannot
 * say: for an unexpected token V8 gives no position, only the start of the text quoted into its
 * message (a multi-line file comes out as a multi-line message).
 */

/** The first syntax error of a JSON text. */
export interface JsonSyntaxError {
  /** Offset in UTF-16 code units of the character at fault (the text's length when it ends too soon). */
  offset: number;
  /** A short reason, without any of the text (`unexpected character "o"`, `trailing comma`). */
  reason: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function describe(ch: string | undefined): string {
  if (ch === undefined) return 'unexpected end of the text (is the file truncated?)';
  return `unexpected character ${JSON.stringify(ch)}`;
}

/**
 * Find the first syntax error of `text` (RFC 8259 JSON), or `undefined` when it parses. Meant
 * for the error path after `JSON.parse` threw: it walks the text once, without recursion (deep
 * nesting cannot overflow the stack), and builds nothing.
 *
 * @example
 * ```ts
 * findJsonSyntaxError('{"a": 1,}'); // { offset: 8, reason: 'trailing comma' }
 * findJsonSyntaxError('not json'); // { offset: 0, reason: 'unexpected character "n"' }
 * ```
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (reason: string, at = i): JsonSyntaxError => ({ offset: at, reason });
  const skipSpace = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  /** Reads a string at `i` (an opening quote); an error, or undefined when it is well formed. */
  const readString = (): JsonSyntaxError | undefined => {
    const start = i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return fail('control character in a string (write it as an escape such as \\n)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('invalid \\u escape in a string');
          i += 6;
        } else if (e !== undefined && ESCAPES.has(e)) i += 2;
        else return fail('invalid escape in a string');
      } else i++;
    }
    return fail('unterminated string', start);
  };
  /** Reads `"key" :` at i (after skipping space), leaving i at the value. */
  const readKey = (): JsonSyntaxError | undefined => {
    skipSpace();
    if (text[i] !== '"') return text[i] === undefined ? fail(describe(undefined)) : fail('expected a property name in double quotes');
    const e = readString();
    if (e) return e;
    skipSpace();
    if (text[i] !== ':') return text[i] === undefined ? fail(describe(undefined)) : fail('expected ":" after the property name');
    i++;
    skipSpace();
    return undefined;
  };
  // Open containers: '{' or '['.
  const open: string[] = [];
  skipSpace();
  for (;;) {
    // A value is expected at i.
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      i++;
      skipSpace();
      if (text[i] === (ch === '{' ? '}' : ']')) i++;
      else {
        open.push(ch);
        if (ch === '{') {
          const keyError = readKey();
          if (keyError) return keyError;
        }
        continue;
      }
    } else if (ch === '"') {
      const e = readString();
      if (e) return e;
    } else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return fail('invalid number');
      i = NUMBER.lastIndex;
    } else {
      const literal = LITERALS.find((l) => text.startsWith(l, i));
      if (literal === undefined) return fail(describe(ch));
      i += literal.length;
    }
    // After a value: close containers, or go on to the next element.
    for (;;) {
      skipSpace();
      const container = open.at(-1);
      if (container === undefined) return i < text.length ? fail('unexpected text after the JSON value') : undefined;
      const close = container === '{' ? '}' : ']';
      if (text[i] === close) {
        i++;
        open.pop();
        continue;
      }
      if (text[i] !== ',') return text[i] === undefined ? fail(describe(undefined)) : fail(`expected "," or "${close}"`);
      i++;
      skipSpace();
      if (text[i] === '}' || text[i] === ']') return fail('trailing comma', i);
      if (container === '{') {
        const keyError = readKey();
        if (keyError) return keyError;
      }
      break;
    }
  }
}
