import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from './json-syntax-error.js';

describe('findJsonSyntaxError', () => {
  it('finds nothing in valid JSON, whatever JSON.parse accepts', () => {
    for (const text of ['{}', '[]', ' 0 ', '-1.5e+3', '"a\\"\\u00e9\\n"', 'true', 'null', '{"a": [1, {"b": false}], "c": "d"}\n', '[[[[]]]]', '"\u00e9\ud83d\ude00"']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(findJsonSyntaxError(text), text).toBeUndefined();
    }
  });

  it.each([
    ['not json\nline two', 0, 'unexpected character "n"'],
    ['{\n  "a": 1,\n  oops\n}', 14, 'expected a property name in double quotes'],
    ['{"a": 1', 7, 'unexpected end of the text (is the file truncated?)'],
    ['', 0, 'unexpected end of the text (is the file truncated?)'],
    ['{"a": [1, 2,]}', 12, 'trailing comma'],
    ['{"a": 1,}', 8, 'trailing comma'],
    ['{"a" 1}', 5, 'expected ":" after the property name'],
    ['[1 2]', 3, 'expected "," or "]"'],
    ['{"a": 1}x', 8, 'unexpected text after the JSON value'],
    ['  "abc', 2, 'unterminated string'],
    ['"a\tb"', 2, 'control character in a string (write it as an escape such as \\n)'],
    ['"\\x"', 1, 'invalid escape in a string'],
    ['"\\u12g4"', 1, 'invalid \\u escape in a string'],
    ['[01]', 2, 'expected "," or "]"'],
    ['-', 0, 'invalid number'],
    ['[tru]', 1, 'unexpected character "t"'],
    ['\u0000PNG', 0, 'unexpected character "\\u0000"'],
  ])('%j: offset %i, %s', (text, offset, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonSyntaxError(text)).toEqual({ offset, reason });
  });

  it('walks deep nesting without recursion', () => {
    expect(findJsonSyntaxError(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)).toBeUndefined();
    expect(findJsonSyntaxError('['.repeat(200_000))).toEqual({ offset: 200_000, reason: 'unexpected end of the text (is the file truncated?)' });
  });
});
