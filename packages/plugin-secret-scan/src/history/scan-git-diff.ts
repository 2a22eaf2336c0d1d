/**
 * Reading the lines a git diff adds (`git log -p -U0` for history, `git diff --cached -U0` for
 * staged changes), streamed and parsed as the output arrives, into the detection sink with each
 * line's file and number in the new version (and commit, author and date when git prints them).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PsrError } from '@psr/core';
import { SecretScanErrorCodes } from '../config/config.js';
import type { DetectionSink } from '../detect/detection-sink.js';
import type { TextScanner } from '../detect/scan-text.js';
import { type BinaryChange, scanBinaryChanges } from './binary-changes.js';

/** Counts of a history or staged scan. */
export interface HistoryScanStats {
  commitsScanned: number;
  /** Bytes of added lines scanned. */
  bytesScanned: number;
  /** Added-line hunks in files the config allowlists. */
  allowlisted: number;
  /** Added-line hunks larger than maxFileSize (not scanned). */
  oversized: number;
}

/** The start of a commit's header line, from the `--format` scanHistory asks for. */
const MARK = 'psr-commit\0';

/** Unquote a path git printed in C style (`"dir/caf\303\251.txt"`). */
function unquotePath(p: string): string {
  if (!p.startsWith('"')) return p;
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[++i]!;
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(({ n: 10, t: 9, '"': 34, '\\': 92 } as Record<string, number>)[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Run `git <args>` in `root` and scan every added line of its patch output. `args` must ask for
 * a patch with no context (`-p -U0`), no colour and no external diff or text conversion.
 * Combined diffs of merge commits (`--cc`: `@@@` hunks, one prefix column per parent) count a
 * line as added only when every column is `+`: a line no parent had (a conflict resolved with a
 * new token), not one the merge took from a parent, whose own commit already reported it.
 *
 * @example
 * ```ts
 * await scanGitDiff('/repo', ['diff', '--cached', '-p', '-U0', '--no-color', '--'], scanner, sink, { skipPath: () => false, command: 'git diff' });
 * ```
 */
export async function scanGitDiff(
  root: string,
  args: readonly string[],
  scanner: TextScanner,
  sink: DetectionSink,
  options: {
    skipPath: (rel: string) => boolean;
    signal?: AbortSignal;
    maxFileSize?: number;
    command: string;
    /** Where the new and old blobs of a file git calls binary are (read when they are text: UTF-16, or marked `-diff`). */
    binaryRevisions?: (commit: string, parents: readonly string[], file: string) => { revision: string; previous: string[] };
  },
): Promise<HistoryScanStats> {
  const maxHunk = options.maxFileSize ?? Number.POSITIVE_INFINITY;
  const child = spawn('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => {
    if (stderr.length < 4000) stderr += c;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });

  const stats: HistoryScanStats = { commitsScanned: 0, bytesScanned: 0, allowlisted: 0, oversized: 0 };
  let hunkBytes = 0;
  let hunkTooBig = false;
  let commit = '';
  let author = '';
  let date = '';
  let parentCommits: string[] = [];
  let file: string | undefined;
  /** The file of a merge's combined diff (`diff --cc <file>`), which names it only there. */
  let combinedFile: string | undefined;
  const binaryChanges: BinaryChange[] = [];
  const binaryChange = (target: string | undefined): void => {
    if (target === undefined || options.binaryRevisions === undefined) return;
    binaryChanges.push({ file: target, commit, author, date, ...options.binaryRevisions(commit, parentCommits, target) });
  };
  let inHeader = false;
  let hunkStart = 0;
  let hunk: string[] = [];
  /** Parents of the current hunk: 1 for a plain diff, 2+ for a merge's combined diff. */
  let parents = 1;
  /** Combined hunks: the next line number in the merge result. */
  let newLine = 0;
  const flush = (): void => {
    if (hunkTooBig) stats.oversized++;
    else if (hunk.length > 0 && file !== undefined) {
      if (options.skipPath(file)) stats.allowlisted++;
      else {
        const text = hunk.join('\n');
        stats.bytesScanned += text.length + 1;
        for (const d of scanner.scan(text, hunkStart, undefined, { file })) sink.add(d, { file, commit, author, date });
      }
    }
    hunk = [];
    hunkBytes = 0;
    hunkTooBig = false;
  };

  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.startsWith(MARK)) {
        flush();
        const parts = line.split('\0');
        commit = parts[1] ?? '';
        author = parts[2] ?? '';
        date = parts[3] ?? '';
        parentCommits = (parts[4] ?? '').split(' ').filter(Boolean);
        file = undefined;
        stats.commitsScanned++;
        continue;
      }
      if (line.startsWith('diff --git ') || line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
        flush();
        inHeader = true;
        file = undefined;
        combinedFile = line.startsWith('diff --git ') ? undefined : unquotePath(line.slice(line.indexOf(' ', 5) + 1));
        continue;
      }
      if (inHeader) {
        if (line.startsWith('Binary files ')) {
          // `Binary files a/x and b/x differ` (`/dev/null` for a deleted file), `Binary files differ` in a merge.
          const target = line === 'Binary files differ' ? combinedFile : / and ("?b\/.*) differ$/.exec(line)?.[1];
          binaryChange(target === undefined ? undefined : unquotePath(target).replace(/^b\//, ''));
          continue;
        }
        if (line.startsWith('+++ ')) {
          // git ends the name with a tab when it contains spaces.
          const target = unquotePath(line.slice(4).replace(/\t$/, ''));
          file = target === '/dev/null' ? undefined : target.replace(/^b\//, '');
        } else if (line.startsWith('@@')) inHeader = false;
        else continue;
      }
      if (line.startsWith('@@')) {
        flush();
        const m = /^(@@+) (?:-\d+(?:,\d+)? )+\+(\d+)(?:,\d+)? @@+/.exec(line);
        parents = m ? m[1]!.length - 1 : 1;
        hunkStart = newLine = m ? Number(m[2]) : 1;
        continue;
      }
      if (parents > 1) {
        const columns = line.slice(0, parents);
        if (columns.includes('-') || line.startsWith('\\')) continue; // not in the merge result
        const at = newLine++;
        if (columns !== '+'.repeat(parents) || hunkTooBig) continue; // a parent had it
        if (hunk.length > 0 && hunkStart + hunk.length !== at) flush();
        if (hunk.length === 0) hunkStart = at;
        hunkBytes += line.length;
        if (hunkBytes > maxHunk) {
          hunkTooBig = true;
          hunk = [];
        } else hunk.push(line.slice(parents));
        continue;
      }
      if (line.startsWith('+') && !hunkTooBig) {
        hunkBytes += line.length;
        if (hunkBytes > maxHunk) {
          hunkTooBig = true; // a huge added blob: skipped like an oversized file
          hunk = [];
        } else hunk.push(line.slice(1));
      }
    }
    flush();
  } finally {
    lines.close();
  }
  const code = await exited;
  if (code !== 0) {
    // Outside a repository `git diff` turns into `git diff --no-index` and rejects `--cached`.
    const notRepo = /not a git repository|usage: git diff --no-index/i.test(stderr);
    throw new PsrError(SecretScanErrorCodes.GIT, notRepo ? `${root} is not a git repository` : `${options.command} failed: ${stderr.split('\n')[0] ?? `exit ${code}`}`, {
      hint: notRepo ? 'history and staged modes need a git repository; use mode: files for a plain folder' : 'check the from/to/since values name existing commits',
    });
  }
  await scanBinaryChanges(root, binaryChanges, scanner, sink, stats, options);
  return stats;
}
