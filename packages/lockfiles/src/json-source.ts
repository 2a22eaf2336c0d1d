import { basename } from 'node:path';
import { parse as parseLenient, printParseErrorCode, visit, type ParseError } from 'jsonc-parser';
import { lockfileParseError, positionAt } from './errors.js';

/** Parsed JSON plus the 1-based line of each object property, found by key path. */
export interface JsonSource {
  value: unknown;
  /** Line of the property at `path` (e.g. `['packages', 'node_modules/lodash']`), if recorded. */
  lineOf(path: readonly string[]): number | undefined;
}

/**
 * Parse JSON strictly (`JSON.parse`), reporting a syntax error as `PSR_LOCKFILE_PARSE` at its
 * `file:line:col` (jsonc-parser's scanner gives the offset; JSON.parse messages do not always).
 * Property lines are recorded for the top-level keys, the keys of the top-level objects named in
 * `recordUnder`, and with `nestedDependencies` for npm lockfile v1's nested
 * `dependencies.<name>.dependencies.<name>` keys.
 */
export function parseJsonSource(text: string, file: string, recordUnder: readonly string[], nestedDependencies = false): JsonSource {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const errors: ParseError[] = [];
    parseLenient(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const fromMessage = /position (\d+)/.exec(String((err as Error).message));
    const offset = first?.offset ?? (fromMessage ? Number(fromMessage[1]) : text.length);
    const { line, col } = positionAt(text, offset);
    // jsonc-parser names its errors in camel case (`CloseBraceExpected`): said as words.
    const what = first ? printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : (err as Error).message;
    throw lockfileParseError(`invalid JSON in ${basename(file)}: ${what}`, { file, line, col }, undefined, err);
  }
  const lines = new Map<string, number>();
  const under = new Set(recordUnder);
  // Our own key stack (jsonc-parser's pathSupplier copies the path for every property, which
  // dominated the time on big lockfiles).
  const stack: string[] = [];
  let pending = '';
  visit(text, {
    onObjectBegin() {
      stack.push(pending);
    },
    onObjectEnd() {
      stack.pop();
    },
    onArrayBegin() {
      stack.push(pending);
    },
    onArrayEnd() {
      stack.pop();
    },
    onObjectProperty(property, _offset, _length, startLine) {
      pending = property;
      // stack[0] is the root object's '' entry
      const depth = stack.length - 1;
      const parent = stack[stack.length - 1]!;
      if (depth === 0) lines.set(property, startLine + 1); // top-level keys, for errors about a section
      if (!under.has(parent)) return;
      if (depth === 1 || (depth > 1 && nestedOkFrom(1))) lines.set([...stack.slice(1), property].join('\u0000'), startLine + 1);
    },
  });
  function nestedOkFrom(start: number): boolean {
    const s = stack.slice(start);
    if (!nestedDependencies || s.length % 2 === 0) return false;
    for (let i = 0; i < s.length; i += 2) if (s[i] !== 'dependencies') return false;
    return true;
  }
  return { value, lineOf: (path) => lines.get(path.join('\u0000')) };
}
