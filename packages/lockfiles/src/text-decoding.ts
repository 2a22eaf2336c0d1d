import { closeSync, openSync, readSync } from 'node:fs';
import { PsrError } from '@psr/core/errors';
import { LockfileCodes } from './errors.js';

/** How many leading bytes are checked for NUL to call a file binary (git uses the same 8000). */
const BINARY_SNIFF_BYTES = 8000;

type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

function sniffEncoding(head: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return { encoding: 'utf-8', bomLength: 0 };
}

function binaryError(file: string): PsrError {
  return new PsrError(LockfileCodes.BINARY, `${file} is a binary file, not a text manifest; skipped`, {
    location: { file, line: 1, col: 1 },
    hint: 'point psr at the text lockfile; if this is a compressed or generated file, remove it from the scanned path',
  });
}

/** Offset of the first byte that breaks UTF-8, or -1. Only run after a strict decode failed. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) { i++; continue; }
    else if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

function encodingError(file: string, line: number, col: number): PsrError {
  return new PsrError(LockfileCodes.ENCODING, `${file} is not valid UTF-8 (first bad byte at line ${line})`, {
    location: { file, line, col },
    hint: 'save the file as UTF-8 (pip and npm read UTF-8); a UTF-16 file needs its byte-order mark',
  });
}

/**
 * Decode a whole file's bytes: UTF-8 (BOM stripped) or UTF-16 with a BOM. Throws
 * `PSR_LOCKFILE_BINARY` for binary content and `PSR_LOCKFILE_ENCODING` (with the line) for bad UTF-8.
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  const { encoding, bomLength } = sniffEncoding(bytes);
  if (encoding === 'utf-8' && bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) throw binaryError(file);
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(bomLength));
  } catch {
    if (encoding !== 'utf-8') throw encodingError(file, 1, 1);
    const body = bytes.subarray(bomLength);
    const bad = Math.max(firstInvalidUtf8(body), 0);
    const line = countNewlines(body, bad) + 1;
    const lastNl = body.lastIndexOf(0x0a, bad - 1);
    throw encodingError(file, line, bad - lastNl);
  }
}

/** Consecutive physical lines of a file (without their line breaks) and the 1-based number of the first. */
export interface LineBatch {
  firstLine: number;
  lines: string[];
}

/** Bytes per read: a huge file is held one chunk at a time, never whole. */
const CHUNK_BYTES = 1 << 20;

/**
 * Read a text file by lines without holding it whole (for huge requirements files): each read
 * of the file yields the complete lines it holds as one batch. Same encoding rules and errors
 * as {@link decodeText}.
 *
 * Synchronous on purpose: a CLI reads a handful of local files, and the promise API would cost
 * every scan the load of `node:fs/promises` (FileHandle, streams) and a thread-pool round trip
 * per read.
 */
export function* readLineBatches(path: string, file: string = path): Generator<LineBatch> {
  const fd = openSync(path, 'r');
  try {
    const chunk = new Uint8Array(CHUNK_BYTES);
    let first = true;
    let decoder: InstanceType<typeof TextDecoder> | undefined;
    // The unfinished last line, in pieces joined once its newline comes. Appended to one string
    // and searched, a line was flattened again on every chunk: a 50 MB line took ~9 s.
    const pending: string[] = [];
    let pendingLength = 0;
    // Lines completed so far: also the newlines in the bytes before this chunk.
    let lineNo = 0;
    for (;;) {
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      let bytes = chunk.subarray(0, bytesRead);
      if (first) {
        first = false;
        const { encoding, bomLength } = sniffEncoding(bytes);
        if (encoding === 'utf-8' && bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) throw binaryError(file);
        decoder = new TextDecoder(encoding, { fatal: true });
        bytes = bytes.subarray(bomLength);
      }
      let text: string;
      try {
        text = decoder!.decode(bytes, { stream: bytesRead > 0 });
      } catch {
        const bad = Math.max(firstInvalidUtf8(bytes), 0);
        const lastNl = bytes.lastIndexOf(0x0a, bad - 1);
        const col = lastNl === -1 ? pendingLength + bad + 1 : bad - lastNl;
        throw encodingError(file, lineNo + countNewlines(bytes, bad) + 1, col);
      }
      let start = 0;
      const batch: LineBatch = { firstLine: lineNo + 1, lines: [] };
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        let lineText = text.slice(start, nl);
        if (pending.length > 0) {
          pending.push(lineText);
          lineText = pending.join('');
          pending.length = 0;
          pendingLength = 0;
        }
        if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
        batch.lines.push(lineText);
        lineNo++;
        start = nl + 1;
      }
      if (start < text.length) {
        pending.push(start === 0 ? text : text.slice(start));
        pendingLength += text.length - start;
      }
      if (batch.lines.length > 0) yield batch;
      if (bytesRead === 0) break;
    }
    if (pending.length > 0) {
      const last = pending.join('');
      yield { firstLine: lineNo + 1, lines: [last.endsWith('\r') ? last.slice(0, -1) : last] };
    }
  } finally {
    closeSync(fd);
  }
}
