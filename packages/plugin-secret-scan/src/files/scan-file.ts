import { open } from 'node:fs/promises';
import type { RawDetection, TextScanner } from '../detect/scan-text.js';

/** Why a file was not scanned. */
export type FileSkip = 'binary' | 'oversized';

/** The result of scanning one file. */
export interface FileScanResult {
  detections: RawDetection[];
  bytes: number;
  skipped?: FileSkip;
}

const CHUNK = 4 * 1024 * 1024;
const BINARY_PROBE = 8 * 1024;
/** How far back a multi-line block (PEM) that straddles a chunk boundary is carried over. */
const CARRY_LIMIT = 32 * 1024;

/**
 * Scan one file, streaming it in 4 MB chunks cut at line ends so memory stays flat for large
 * files. Files with a NUL byte in their first 8 KB are binary and skipped, as are files over
 * `maxFileSize`. A PEM block cut by a chunk boundary is carried into the next chunk.
 *
 * @example
 * ```ts
 * const r = await scanFile('/repo/.env', scanner, { maxFileSize: 10 * 1024 * 1024 });
 * ```
 */
export async function scanFile(file: string, scanner: TextScanner, options: { maxFileSize: number; size?: number }): Promise<FileScanResult> {
  const handle = await open(file, 'r');
  try {
    const size = options.size ?? (await handle.stat()).size;
    if (size > options.maxFileSize) return { detections: [], bytes: 0, skipped: 'oversized' };
    if (size === 0) return { detections: [], bytes: 0 };
    const detections: RawDetection[] = [];
    const seen = new Set<string>();
    let carry: Buffer = Buffer.alloc(0);
    let lineBase = 1; // line number of carry's first line
    let position = 0;
    let first = true;
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size) + 1);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length - 1, position);
      position += bytesRead;
      const eof = bytesRead === 0 || position >= size;
      let data = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
      if (first) {
        first = false;
        if (data.subarray(0, BINARY_PROBE).includes(0)) return { detections: [], bytes: 0, skipped: 'binary' };
      }
      let cut = data.length;
      if (!eof) {
        const nl = data.lastIndexOf(10);
        cut = nl >= 0 ? nl + 1 : data.length;
      }
      // latin1: one char per byte, so the keyword pass runs over the bytes and offsets agree;
      // detections are converted back to UTF-8 below.
      const view = data.subarray(0, cut);
      const text = view.toString('latin1');
      for (const d of scanner.scan(text, lineBase, view, { file })) {
        fromLatin1(d, text);
        const key = `${d.rule.id}:${d.line}:${d.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        detections.push(d);
      }
      if (eof) break;
      // Carry the unterminated tail, plus an unfinished PEM/PuTTY block if one starts near the end.
      let carryFrom = cut;
      const begin = Math.max(text.lastIndexOf('-----BEGIN'), text.lastIndexOf('PuTTY-User-Key-File'));
      if (begin >= 0 && text.length - begin < CARRY_LIMIT && text.indexOf('-----END', begin) < 0 && text.indexOf('Private-MAC', begin) < 0) {
        carryFrom = text.lastIndexOf('\n', begin) + 1;
      }
      let lines = 0;
      for (let i = data.indexOf(10); i >= 0 && i < carryFrom; i = data.indexOf(10, i + 1)) lines++;
      lineBase += lines;
      carry = Buffer.from(data.subarray(carryFrom));
      data = Buffer.alloc(0);
    }
    return { detections, bytes: size };
  } finally {
    await handle.close();
  }
}

/** Turn a detection made on latin1 text back into UTF-8 terms (secret text, UTF-16 column). */
function fromLatin1(d: RawDetection, text: string): void {
  if (!/[\x80-\xff]/.test(d.secret) && d.column < 2) return;
  const lineStart = d.offset - (d.column - 1);
  const prefix = text.slice(lineStart, d.offset);
  if (/[\x80-\xff]/.test(prefix)) d.column = Buffer.from(prefix, 'latin1').toString('utf8').length + 1;
  if (/[\x80-\xff]/.test(d.secret)) d.secret = Buffer.from(d.secret, 'latin1').toString('utf8');
}
