import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A temporary folder (optionally a git repository) removed by `dispose`. */
export function tempRepo(prefix = 'psr-secret-scan-'): { root: string; write: (rel: string, content: string | Buffer) => void; git: (...args: string[]) => string; dispose: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const write = (rel: string, content: string | Buffer): void => {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 'Ada Lovelace', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_COMMITTER_NAME: 'Ada Lovelace', GIT_COMMITTER_EMAIL: 'ada@example.org', GIT_CONFIG_NOSYSTEM: '1', HOME: root },
    });
  return { root, write, git, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
