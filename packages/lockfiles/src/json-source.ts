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
 * Property lines are recorded for keys whose parent key is one of `recordUnder`.
 */
export function parseJsonSource(text: string, file: string, recordUnder: readonly string[]): JsonSource {
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
    const what = first ? printParseErrorCode(first.error) : (err as Error).message;
    throw lockfileParseError(`invalid JSON in ${file}: ${what}`, { file, line, col }, undefined, err);
  }
  const lines = new Map<string, number>();
  const under = new Set(recordUnder);
  visit(text, {
    onObjectProperty(property, _offset, _length, startLine, _startCharacter, pathSupplier) {
      const path = pathSupplier();
      const parent = path[path.length - 1];
      if (typeof parent === 'string' && under.has(parent)) lines.set([...path, property].join('\u0000'), startLine + 1);
    },
  });
  return { value, lineOf: (path) => lines.get(path.join('\u0000')) };
}
