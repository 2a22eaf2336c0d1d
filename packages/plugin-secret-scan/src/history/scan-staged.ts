import type { DetectionSink } from '../detect/detection-sink.js';
import type { TextScanner } from '../detect/scan-text.js';
import { type HistoryScanStats, scanGitDiff } from './scan-git-diff.js';

/**
 * Scan the lines the index adds over HEAD (`git diff --cached`): what the next commit would
 * add, for a pre-commit hook. Line numbers are those of the staged files; changes not staged
 * are not read. In a repository without commits every staged line is new.
 *
 * @example
 * ```ts
 * const stats = await scanStaged('/repo', scanner, sink, { skipPath: () => false });
 * ```
 */
export async function scanStaged(
  root: string,
  scanner: TextScanner,
  sink: DetectionSink,
  options: { skipPath: (rel: string) => boolean; signal?: AbortSignal; maxFileSize?: number },
): Promise<HistoryScanStats> {
  const args = ['-c', 'core.quotePath=false', 'diff', '--cached', '-p', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--'];
  return scanGitDiff(root, args, scanner, sink, {
    ...options,
    command: 'git diff --cached',
    // The index's version against HEAD's (none before the first commit).
    binaryRevisions: (_commit, _parents, file) => ({ revision: `:0:${file}`, previous: [`HEAD:${file}`] }),
  });
}
