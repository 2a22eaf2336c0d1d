import { describe, expect, test } from 'vitest';
import { OutputFileError, parseOutputFile } from './output-file.js';

function lineOf(text: string): number {
  try {
    parseOutputFile(text);
  } catch (error) {
    expect(error).toBeInstanceOf(OutputFileError);
    return (error as OutputFileError).line;
  }
  throw new Error('expected the text to be rejected');
}

describe('parseOutputFile', () => {
  test('reads key=value lines; the value keeps everything after the first =', () => {
    expect(parseOutputFile('version=1.2.3\nurl=https://x.test/?a=b\nempty=\n')).toEqual({
      version: '1.2.3',
      url: 'https://x.test/?a=b',
      empty: '',
    });
  });

  test('reads heredoc values over several lines, with any delimiter', () => {
    const text = ['notes<<EOF', 'first line', '', '  indented = kept', 'EOF', 'after=1', 'json<<ghadelimiter_123', '{"a": 1}', 'ghadelimiter_123'].join('\n');
    expect(parseOutputFile(text)).toEqual({ notes: 'first line\n\n  indented = kept', after: '1', json: '{"a": 1}' });
  });

  test('a heredoc whose body mentions the delimiter inside a line is not closed by it', () => {
    expect(parseOutputFile('x<<END\nnot END yet\nEND\n')).toEqual({ x: 'not END yet' });
  });

  test('accepts CRLF line ends, blank lines and a missing final newline; later keys win', () => {
    expect(parseOutputFile('a=1\r\n\r\nb<<E\r\nx\r\nE\r\na=2')).toEqual({ a: '2', b: 'x' });
  });

  test('= before << makes a plain value (like GitHub Actions)', () => {
    expect(parseOutputFile('cmd=cat <<EOF\n')).toEqual({ cmd: 'cat <<EOF' });
  });

  test('an empty file has no outputs', () => {
    expect(parseOutputFile('')).toEqual({});
  });

  test('a line that is neither form is rejected with its line number', () => {
    expect(lineOf('a=1\nb=2\njust some text\n')).toBe(3);
    expect(() => parseOutputFile('a=1\noops\n')).toThrow(/line 2: expected "name=value" or "name<<DELIMITER", got "oops"/);
  });

  test('an unterminated heredoc is rejected at the line that opened it', () => {
    expect(lineOf('a=1\nnotes<<EOF\nline\n')).toBe(2);
    expect(() => parseOutputFile('notes<<EOF\nline\n')).toThrow(/never closed by a line "EOF"/);
  });

  test('empty names and missing delimiters are rejected', () => {
    expect(lineOf('=value\n')).toBe(1);
    expect(lineOf('ok=1\n<<EOF\nx\nEOF\n')).toBe(2);
    expect(lineOf('x<<\n')).toBe(1);
  });

  test('binary content (a NUL byte) is rejected, in a value line or a heredoc body', () => {
    expect(lineOf('a=1\nb=\0\u0001\n')).toBe(2);
    expect(lineOf('a<<E\nok\n\0\nE\n')).toBe(3);
  });

  test('a huge single line is shown shortened in the error', () => {
    const line = 'x'.repeat(10_000);
    expect(() => parseOutputFile(line)).toThrow(/got "x{57}\.\.\."/);
  });
});

describe('parseOutputFile on arbitrary input', () => {
  // A small seeded generator: the same cases every run, so a failure is reproducible.
  function* randomTexts(count: number): Generator<string> {
    let seed = 0x2545f491;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x1_0000_0000;
    };
    const pieces = ['a', 'key', '=', '<<', 'EOF', '\n', '\r\n', ' ', '\0', 'é', '😀', 'x=1\n', 'k<<E\n', 'E\n', '\t', '==', '<'];
    for (let i = 0; i < count; i++) {
      let text = '';
      const length = Math.floor(next() * 40);
      for (let j = 0; j < length; j++) text += pieces[Math.floor(next() * pieces.length)];
      yield text;
    }
  }

  test('2,000 random texts either parse to string values or fail with a line number inside the text', () => {
    let parsed = 0;
    let rejected = 0;
    for (const text of randomTexts(2000)) {
      try {
        const outputs = parseOutputFile(text);
        for (const value of Object.values(outputs)) expect(typeof value).toBe('string');
        if (Object.keys(outputs).length > 0) parsed++;
      } catch (error) {
        rejected++;
        expect(error).toBeInstanceOf(OutputFileError);
        const line = (error as OutputFileError).line;
        expect(line).toBeGreaterThanOrEqual(1);
        expect(line).toBeLessThanOrEqual(text.split('\n').length);
      }
    }
    // The generator exercises both outcomes, so neither branch above is vacuous.
    expect(parsed).toBeGreaterThan(20);
    expect(rejected).toBeGreaterThan(20);
  });
});
