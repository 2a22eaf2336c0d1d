import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PsrError } from '@psr/core';
import { SecretScanErrorCodes } from '../config/config.js';
import type { DetectionSink } from '../detect/detection-sink.js';
import type { TextScanner } from '../detect/scan-text.js';

/** Which commits a history scan reads. */
export interface HistoryRange {
  /** Only commits after this date (`2024-01-01`, `2 weeks ago`): git's `--since`. */
  since?: string;
  /** Exclusive start commit/ref: scan `from..to`. */
  from?: string;
  /** Inclusive end commit/ref (default `HEAD` when `from` is set, else every ref: `--all`). */
  to?: string;
}

/** Counts of a history scan. */
export interface HistoryScanStats {
  commitsScanned: number;
  /** Bytes of added lines scanned. */
  bytesScanned: number;
  /** Added-line hunks in files the config allowlists. */
  allowlisted: number;
  /** Added-line hunks larger than maxFileSize (not scanned). */
  oversized: number;
}

const MARK = 'psr-commit\0';

function checkRef(name: string, value: string | undefined): void {
  if (value !== undefined && (value.startsWith('-') || /[\s\0]/.test(value) || value === '')) {
    throw new PsrError(SecretScanErrorCodes.GIT, `invalid ${name} "${value}"`, { hint: `${name} must be a commit, branch or tag name` });
  }
}

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
 * Scan the lines added by each commit (`git log -p -U0`, streamed and parsed as it arrives),
 * attributing commit, author and date. A secret added and later deleted is still found in the
 * commit that added it.
 *
 * @example
 * ```ts
 * const stats = await scanHistory('/repo', scanner, sink, { from: 'v1.0' }, { skipPath: () => false });
 * ```
 */
export async function scanHistory(
  root: string,
  scanner: TextScanner,
  sink: DetectionSink,
  range: HistoryRange,
  options: { skipPath: (rel: string) => boolean; signal?: AbortSignal; maxFileSize?: number },
): Promise<HistoryScanStats> {
  const maxHunk = options.maxFileSize ?? Number.POSITIVE_INFINITY;
  checkRef('from', range.from);
  checkRef('to', range.to);
  if (range.since !== undefined && (range.since.startsWith('-') || range.since === '')) {
    throw new PsrError(SecretScanErrorCodes.GIT, `invalid since "${range.since}"`, { hint: 'use a date such as 2024-01-01 or "3 months ago"' });
  }
  const args = ['-c', 'core.quotePath=false', 'log', '-p', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', `--format=psr-commit%x00%H%x00%an <%ae>%x00%aI`];
  if (range.since) args.push(`--since=${range.since}`);
  if (range.from) args.push(`${range.from}..${range.to ?? 'HEAD'}`);
  else if (range.to) args.push(range.to);
  else args.push('--all');
  args.push('--');

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
  let file: string | undefined;
  let inHeader = false;
  let hunkStart = 0;
  let hunk: string[] = [];
  const flush = (): void => {
    if (hunkTooBig) stats.oversized++;
    else if (hunk.length > 0 && file !== undefined) {
      if (options.skipPath(file)) stats.allowlisted++;
      else {
        const text = hunk.join('\n');
        stats.bytesScanned += text.length + 1;
        for (const d of scanner.scan(text, hunkStart)) sink.add(d, { file, commit, author, date });
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
        file = undefined;
        stats.commitsScanned++;
        continue;
      }
      if (line.startsWith('diff --git ')) {
        flush();
        inHeader = true;
        file = undefined;
        continue;
      }
      if (inHeader) {
        if (line.startsWith('+++ ')) {
          // git ends the name with a tab when it contains spaces.
          const target = unquotePath(line.slice(4).replace(/\t$/, ''));
          file = target === '/dev/null' ? undefined : target.replace(/^b\//, '');
        } else if (line.startsWith('@@')) inHeader = false;
        else continue;
      }
      if (line.startsWith('@@')) {
        flush();
        const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
        hunkStart = m ? Number(m[1]) : 1;
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
    const notRepo = /not a git repository/i.test(stderr);
    throw new PsrError(SecretScanErrorCodes.GIT, notRepo ? `${root} is not a git repository` : `git log failed: ${stderr.split('\n')[0] ?? `exit ${code}`}`, {
      hint: notRepo ? 'history mode needs a git repository; use mode: files for a plain folder' : 'check the from/to/since values name existing commits',
    });
  }
  return stats;
}
