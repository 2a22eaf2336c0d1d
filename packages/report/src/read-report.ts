/**
 * Reading a JSON report file (a baseline). A valid report is checked without zod
 * (report-shape.ts); the zod schema and jsonc-parser are imported only to say what is wrong
 * with one that is not, so a scan compared with a baseline loads neither.
 */
// Synchronous fs on purpose: the promise API would cost every scan the load of
// `node:fs/promises` (FileHandle, streams) for one local file.
import { isAscii } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { PsrError } from '@psr/core/errors';
import { ReportErrorCodes } from './report-errors.js';
import type { Report } from './report.js';
import { validReportOf } from './report-shape.js';

/** Baselines larger than this are refused rather than read into memory. */
const MAX_REPORT_BYTES = 512 * 1024 * 1024;

/**
 * Read and parse a JSON report file.
 *
 * @throws PsrError `PSR_REPORT_READ` when the file cannot be read, `PSR_REPORT_INVALID` when it
 *   is not a valid report.
 * @example
 * ```ts
 * const baseline = await readReport('.psr/baseline.json');
 * const diff = compareReports(report, baseline);
 * ```
 */
export async function readReport(path: string): Promise<Report> {
  let text: string | undefined;
  try {
    const info = statSync(path);
    if (info.isDirectory()) {
      throw new PsrError(ReportErrorCodes.READ, `${path} is a directory, not a report file`, {
        hint: 'name the JSON report file itself',
      });
    }
    if (info.size > MAX_REPORT_BYTES) {
      throw new PsrError(ReportErrorCodes.READ, `${path} is ${info.size} bytes; reports over ${MAX_REPORT_BYTES} bytes are refused`, {
        hint: 'is this really a psr JSON report?',
      });
    }
    // A pipe or a device has no size to read into: read as any file, and decode as UTF-8.
    text = info.isFile() ? oneByteJsonText(readWithRoom(path, info.size), ESCAPE_ROOM) : undefined;
    text ??= readFileSync(path, 'utf8');
  } catch (error) {
    throw readError(error, path);
  }
  const report = validReportOf(text);
  if (report) return report;
  // What is wrong, and where in the file: read again, as UTF-8 (the buffer was written over).
  const { parseReport } = await import('./parse-report.js');
  let original: string;
  try {
    original = readFileSync(path, 'utf8');
  } catch (error) {
    throw readError(error, path);
  }
  return parseReport(original, path);
}

function readError(error: unknown, path: string): PsrError {
  if (error instanceof PsrError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new PsrError(ReportErrorCodes.READ, `cannot read report ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {
    hint: code === 'ENOENT' ? 'check the path; a baseline is a report written earlier with `--format json`' : 'check the file’s permissions',
    cause: error,
  });
}

/** Room before a report's bytes in its buffer, for `\u` escapes to grow into (at least 13,000 bytes beyond ASCII). */
const ESCAPE_ROOM = 64 * 1024;
/** Bytes per `isAscii` call when looking for characters beyond ASCII (then 128 at a time). */
const ASCII_CHUNK = 4096;
/** A UTF-8 byte order mark, which `parseReport` skips too. */
const BOM = [0xef, 0xbb, 0xbf];

/** The file's `size` bytes in a buffer, after {@link ESCAPE_ROOM} bytes of room. */
function readWithRoom(path: string, size: number): Buffer {
  const buffer = Buffer.allocUnsafeSlow(ESCAPE_ROOM + size);
  const fd = openSync(path, 'r');
  try {
    let read = 0;
    for (let n = -1; read < size && n !== 0; read += n) n = readSync(fd, buffer, ESCAPE_ROOM + read, size - read, read);
    return buffer.subarray(0, ESCAPE_ROOM + read);
  } finally {
    closeSync(fd);
  }
}

/**
 * The JSON text of the bytes of `buffer` from `start` as a one-byte string, each character
 * beyond ASCII written as a `\uXXXX` escape, which JSON reads as that character; `undefined`
 * when the escapes need more room than the `start` bytes before the text. A report of psr's is
 * ASCII but for a few dozen characters in advisory summaries (curly quotes, no-break spaces);
 * decoded as UTF-8, those few made V8 decode the whole text into a two-byte string and parse
 * that: a 3.5 MB baseline took ~24 ms to read and parse, ~17 this way. The text is moved left
 * into the room, the escapes written in its place, so the string is its only other copy (each
 * copy costs ~900 page faults, 3–10 µs each on the 2-core VMs psr is measured on).
 *
 * No escape is put right after a backslash, whose escape it would change, and outside a string
 * an escape is as invalid as the character it stands for: invalid JSON stays invalid.
 */
function oneByteJsonText(buffer: Buffer, start: number): string | undefined {
  const end = buffer.length;
  const from = BOM.every((b, i) => buffer[start + i] === b) ? start + BOM.length : start;
  // Runs of bytes beyond ASCII (a UTF-8 sequence is all such bytes), and their escapes.
  const runs: Array<{ at: number; end: number; escaped: string }> = [];
  let growth = 0;
  let i = from;
  // Looked for 4 KB, then 128 bytes at a time: isAscii is native, a loop over bytes is not.
  for (let chunk = from; chunk < end; chunk += ASCII_CHUNK) {
    const chunkEnd = Math.min(chunk + ASCII_CHUNK, end);
    if (isAscii(buffer.subarray(chunk, chunkEnd))) continue;
    for (i = Math.max(i, chunk); i < chunkEnd; i++) {
      if (i % 128 === 0 && i + 128 <= chunkEnd && isAscii(buffer.subarray(i, i + 128))) {
        i += 127;
        continue;
      }
      if (buffer[i]! < 0x80) continue;
      let runEnd = i + 1;
      while (runEnd < end && buffer[runEnd]! >= 0x80) runEnd++;
      let backslashes = 0;
      while (i - 1 - backslashes >= from && buffer[i - 1 - backslashes] === 0x5c) backslashes++;
      if (backslashes % 2 === 0) {
        const escaped = jsonEscapes(buffer.toString('utf8', i, runEnd));
        runs.push({ at: i, end: runEnd, escaped });
        growth += escaped.length - (runEnd - i);
      }
      i = runEnd - 1;
    }
  }
  if (runs.length === 0) return buffer.toString('latin1', from);
  if (growth > start) return undefined;
  // The text grows by `growth` at most, into `start` bytes of room: what is written never
  // reaches bytes not yet read.
  let out = 0;
  let copied = from;
  for (const run of runs) {
    out += buffer.copy(buffer, out, copied, run.at);
    out += buffer.write(run.escaped, out, 'latin1');
    copied = run.end;
  }
  out += buffer.copy(buffer, out, copied, end);
  return buffer.toString('latin1', 0, out);
}

/** `\uXXXX` for each UTF-16 code unit of `chars`. */
function jsonEscapes(chars: string): string {
  let escaped = '';
  for (let i = 0; i < chars.length; i++) escaped += `\\u${chars.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escaped;
}
