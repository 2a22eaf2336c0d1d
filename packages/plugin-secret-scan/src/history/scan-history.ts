import { PsrError } from '@psr/core';
import { SecretScanErrorCodes } from '../config/config.js';
import type { DetectionSink } from '../detect/detection-sink.js';
import type { TextScanner } from '../detect/scan-text.js';
import { type HistoryScanStats, scanGitDiff } from './scan-git-diff.js';

export type { HistoryScanStats } from './scan-git-diff.js';

/** Which commits a history scan reads. */
export interface HistoryRange {
  /** Only commits after this date (`2024-01-01`, `2 weeks ago`): git's `--since`. */
  since?: string;
  /** Exclusive start commit/ref: scan `from..to`. */
  from?: string;
  /** Inclusive end commit/ref (default `HEAD` when `from` is set, else every ref: `--all`). */
  to?: string;
}

function checkRef(name: string, value: string | undefined): void {
  if (value !== undefined && (value.startsWith('-') || /[\s\0]/.test(value) || value === '')) {
    throw new PsrError(SecretScanErrorCodes.GIT, `invalid ${name} "${value}"`, { hint: `${name} must be a commit, branch or tag name` });
  }
}

/**
 * Scan the lines added by each commit (`git log -p --cc -U0`, streamed and parsed as it arrives),
 * attributing commit, author and date. A secret added and later deleted is still found in the
 * commit that added it; one that only a merge commit added (while resolving a conflict) in the merge.
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
  checkRef('from', range.from);
  checkRef('to', range.to);
  if (range.since !== undefined && (range.since.startsWith('-') || range.since === '')) {
    throw new PsrError(SecretScanErrorCodes.GIT, `invalid since "${range.since}"`, { hint: 'use a date such as 2024-01-01 or "3 months ago"' });
  }
  // --cc: a merge commit's lines that no parent had (a conflict resolved with a new value).
  const args = ['-c', 'core.quotePath=false', 'log', '-p', '--cc', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', `--format=psr-commit%x00%H%x00%an <%ae>%x00%aI%x00%P`];
  if (range.since) args.push(`--since=${range.since}`);
  if (range.from) args.push(`${range.from}..${range.to ?? 'HEAD'}`);
  else if (range.to) args.push(range.to);
  else args.push('--all');
  args.push('--');

  return scanGitDiff(root, args, scanner, sink, {
    ...options,
    command: 'git log',
    binaryRevisions: (commit, parents, file) => ({ revision: `${commit}:${file}`, previous: parents.map((parent) => `${parent}:${file}`) }),
  });
}
