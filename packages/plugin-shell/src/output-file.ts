/**
 * The `$PSR_OUTPUT` file format, the same as GitHub Actions' `$GITHUB_OUTPUT`:
 *
 * ```text
 * name=value
 * notes<<EOF
 * line one
 * line two
 * EOF
 * ```
 *
 * Hand-written because it is a dozen lines and no maintained npm package parses this format.
 */

/**
 * Largest output file accepted (GitHub's limit for a job's outputs is 1 MB too).
 *
 * @example
 * ```ts
 * if (size > MAX_OUTPUT_FILE_BYTES) console.log('write a file and output its path instead');
 * ```
 */
export const MAX_OUTPUT_FILE_BYTES = 1024 * 1024;

/**
 * A malformed output file; `line` is 1-based.
 *
 * @example
 * ```ts
 * try { parseOutputFile('oops'); } catch (e) { if (e instanceof OutputFileError) console.log(e.line); } // 1
 * ```
 */
export class OutputFileError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'OutputFileError';
    this.line = line;
  }
}

/**
 * Parse the text of a `$PSR_OUTPUT` file into outputs. Blank lines are ignored, a later key
 * replaces an earlier one, `\r\n` line ends are accepted, multi-line values are joined with `\n`.
 * Throws {@link OutputFileError} with the line number on a line that is neither `key=value`
 * nor `key<<DELIMITER`, an empty key, a missing closing delimiter, or a NUL byte.
 *
 * @example
 * ```ts
 * parseOutputFile('version=1.2.3\nnotes<<EOF\nfirst\nsecond\nEOF\n');
 * // → { version: '1.2.3', notes: 'first\nsecond' }
 * ```
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  // A trailing newline leaves one empty last element; it is not a line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = stripCr(lines[i]!);
    if (line.includes('\0')) throw new OutputFileError(lineNo, 'contains a NUL byte (binary data is not an output value)');
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    // Like GitHub: `=` wins when it comes first (`a=b<<c` is the value `b<<c`).
    if (eq !== -1 && (heredoc === -1 || eq < heredoc)) {
      const key = line.slice(0, eq);
      if (key.trim() === '') throw new OutputFileError(lineNo, `empty name in "${preview(line)}"`);
      outputs[key] = line.slice(eq + 1);
      continue;
    }
    if (heredoc !== -1) {
      const key = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (key.trim() === '') throw new OutputFileError(lineNo, `empty name in "${preview(line)}"`);
      if (delimiter === '') throw new OutputFileError(lineNo, `missing delimiter after "<<" in "${preview(line)}"`);
      const value: string[] = [];
      let closed = false;
      for (i = i + 1; i < lines.length; i++) {
        const body = stripCr(lines[i]!);
        if (body.includes('\0')) throw new OutputFileError(i + 1, 'contains a NUL byte (binary data is not an output value)');
        if (body === delimiter) {
          closed = true;
          break;
        }
        value.push(body);
      }
      if (!closed) throw new OutputFileError(lineNo, `"${key}<<${delimiter}" is never closed by a line "${delimiter}"`);
      outputs[key] = value.join('\n');
      continue;
    }
    throw new OutputFileError(lineNo, `expected "name=value" or "name<<DELIMITER", got "${preview(line)}"`);
  }
  return outputs;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function preview(line: string): string {
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
