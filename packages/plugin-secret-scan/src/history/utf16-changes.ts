/**
 * UTF-16 files in history and staged scans. git shows their changes as `Binary files … differ`
 * (the NUL bytes of UTF-16 text), so the diff carries no lines: the blobs are read, decoded and
 * compared here, and the lines the new version adds are scanned as files mode scans the file.
 */
import { execFile } from 'node:child_process';
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

/** Files no UTF-16 text is ever saved as: their blobs are not read. */
const BINARY_FORMAT = /\.(?:png|jpe?g|gif|bmp|ico|icns|webp|tiff?|psd|pdf|zip|gz|tgz|bz2|xz|zst|7z|rar|jar|war|ear|class|pyc|so|dll|exe|dylib|a|o|obj|lib|wasm|woff2?|ttf|otf|eot|mp3|mp4|m4a|wav|ogg|webm|mov|avi|mkv|flac|sqlite3?|db|bin|dat|pack|idx|jks|keystore|p12|pfx|der|gpg|docx?|xlsx?|pptx?|odt|ods)$/i;

/** Read one blob, or `undefined` when it does not exist (a file added, a repository without commits). */
function readBlob(root: string, revision: string, maxBytes: number): Promise<Buffer | 'oversized' | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['cat-file', 'blob', revision], { cwd: root, encoding: 'buffer', maxBuffer: maxBytes }, (error, stdout) => {
      if (error === null) resolve(stdout);
      else resolve((error as { code?: unknown }).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' ? 'oversized' : undefined);
    });
  });
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
 * Scan the lines each UTF-16 change adds (lines of the new version that the old version(s) did
 * not have, numbered as in the new version). Other binary files are left alone.
 */
export async function scanUtf16Changes(
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
    const blob = await readBlob(root, change.revision, maxBytes);
    if (blob === 'oversized') stats.oversized++;
    if (blob === undefined || blob === 'oversized' || utf16ByteOrder(blob) === undefined) continue;
    const text = decodeUtf16(blob);
    if (text === undefined) continue;
    const before: string[] = [];
    for (const revision of change.previous) {
      const old = await readBlob(root, revision, maxBytes);
      if (old !== undefined && old !== 'oversized') before.push(decodeUtf16(old) ?? old.toString('latin1'));
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
