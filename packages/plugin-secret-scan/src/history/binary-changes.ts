/**
 * Text git diffs as binary, in history and staged scans: UTF-16 files (the NUL bytes of UTF-16
 * text), files `.gitattributes` marks `binary` or `-diff` (often lockfiles and `.env` files), and
 * a file one side of whose change is binary (saved as UTF-8 again after being UTF-16). git shows
 * `Binary files … differ` with no lines: the blobs are read, decoded and compared here, and the
 * lines the new version adds are scanned as files mode scans the file.
 */
import { spawn } from 'node:child_process';
import type { DetectionSink } from '../detect/detection-sink.js';
import type { TextScanner } from '../detect/scan-text.js';
import { decodeUtf16, utf16ByteOrder } from '../files/utf16-text.js';
import type { HistoryScanStats } from './scan-git-diff.js';

/** A file a commit (or the index) changed that git called binary. */
export interface BinaryChange {
  file: string;
  commit: string;
  author: string;
  date: string;
  /** The blob of the new version (`<commit>:<path>`, `:0:<path>` for the index). */
  revision: string;
  /** The blobs it replaced: one per parent commit (`HEAD:<path>` for the index); absent ones are empty. */
  previous: string[];
}

/** Formats that are never text: their blobs are not read. */
const BINARY_FORMAT = /\.(?:png|jpe?g|gif|bmp|ico|icns|webp|tiff?|psd|pdf|zip|gz|tgz|bz2|xz|zst|7z|rar|jar|war|ear|class|pyc|so|dll|exe|dylib|a|o|obj|lib|wasm|woff2?|ttf|otf|eot|mp3|mp4|m4a|wav|ogg|webm|mov|avi|mkv|flac|sqlite3?|db|bin|dat|pack|idx|jks|keystore|p12|pfx|der|gpg|docx?|xlsx?|pptx?|odt|ods)$/i;

/**
 * One blob's bytes: all of them, or 'oversized' past `maxBytes`; with `head`, only its first
 * bytes (git is stopped there: most binary changes are images, archives and models, of any
 * size, and their first bytes say they are not text). `undefined` when it does not exist (a
 * file added, a repository without commits).
 */
function readBlob(root: string, revision: string, limit: { maxBytes: number } | { head: number }): Promise<Buffer | 'oversized' | undefined> {
  return new Promise((resolve) => {
    const child = spawn('git', ['cat-file', 'blob', revision], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: Buffer | 'oversized' | undefined, stop: boolean): void => {
      if (settled) return;
      settled = true;
      if (stop) child.kill();
      resolve(value);
    };
    child.on('error', () => settle(undefined, false));
    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      chunks.push(chunk);
      size += chunk.length;
      if ('head' in limit && size >= limit.head) settle(Buffer.concat(chunks).subarray(0, limit.head), true);
      else if ('maxBytes' in limit && size > limit.maxBytes) settle('oversized', true);
    });
    child.on('close', (code) => settle(code === 0 ? Buffer.concat(chunks) : undefined, false));
  });
}

/** As git (and files mode) tell binary from text: a NUL in the first 8 KB. */
const BINARY_PROBE = 8 * 1024;

/** The text of a blob: UTF-16 with a byte-order mark, else UTF-8 without one, or `undefined` when it is binary. */
function textOf(blob: Buffer): string | undefined {
  if (utf16ByteOrder(blob) !== undefined) return decodeUtf16(blob);
  if (blob.subarray(0, BINARY_PROBE).includes(0)) return undefined;
  const text = blob.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Line counts of a text, to take each old line away once. */
function lineCounts(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    const own = new Map<string, number>();
    for (const line of text.split('\n')) own.set(line, (own.get(line) ?? 0) + 1);
    // A merge adds a line no parent had: a line counts as old as often as the parent that has it most.
    for (const [line, n] of own) counts.set(line, Math.max(n, counts.get(line) ?? 0));
  }
  return counts;
}

/**
 * Scan the lines each binary-diffed change of a text file adds (lines of the new version that the
 * old version(s) did not have, numbered as in the new version). Binary files are left alone.
 */
export async function scanBinaryChanges(
  root: string,
  changes: readonly BinaryChange[],
  scanner: TextScanner,
  sink: DetectionSink,
  stats: HistoryScanStats,
  options: { skipPath: (rel: string) => boolean; maxFileSize?: number },
): Promise<void> {
  const maxBytes = options.maxFileSize ?? 512 * 1024 * 1024;
  for (const change of changes) {
    if (BINARY_FORMAT.test(change.file)) continue;
    if (options.skipPath(change.file)) {
      stats.allowlisted++;
      continue;
    }
    // Only text is read whole: UTF-16 with its byte-order mark, or no NUL in the first 8 KB.
    const head = await readBlob(root, change.revision, { head: BINARY_PROBE });
    if (head === undefined || head === 'oversized') continue;
    if (utf16ByteOrder(head) === undefined && head.includes(0)) continue;
    const blob = await readBlob(root, change.revision, { maxBytes });
    if (blob === 'oversized') stats.oversized++;
    if (blob === undefined || blob === 'oversized') continue;
    const text = textOf(blob);
    if (text === undefined) continue;
    const before: string[] = [];
    for (const revision of change.previous) {
      const old = await readBlob(root, revision, { maxBytes });
      const oldText = old === undefined || old === 'oversized' ? undefined : textOf(old);
      if (oldText !== undefined) before.push(oldText);
    }
    const old = lineCounts(before);
    const added = new Set<number>();
    text.split('\n').forEach((line, i) => {
      const n = old.get(line) ?? 0;
      if (n > 0) old.set(line, n - 1);
      else {
        added.add(i + 1);
        stats.bytesScanned += line.length + 1;
      }
    });
    if (added.size === 0) continue;
    for (const d of scanner.scan(text, 1, undefined, { file: change.file })) {
      if (added.has(d.line)) sink.add(d, { file: change.file, commit: change.commit, author: change.author, date: change.date });
    }
  }
}
