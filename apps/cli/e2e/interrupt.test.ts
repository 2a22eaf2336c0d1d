/**
 * Ctrl-C / SIGTERM on a real `psr run`: graceful cancel, then kill; exit 130; no orphans.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, startPsr, waitFor, workspace } from './harness.js';

const pidOf = (dir: string, file: string): number => Number(readFileSync(join(dir, file), 'utf8').trim());
const pidWritten = (dir: string, file: string) => (): boolean => existsSync(join(dir, file)) && readFileSync(join(dir, file), 'utf8').trim().length > 0;

describe('interrupting psr run', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} once cancels running tasks, kills their children and exits 130`, async () => {
      const dir = workspace({
        'wf.yml': `
tasks:
  a: { run: 'echo $$ > a.pid; sleep 60 & echo $! > a-child.pid; wait' }
  b: { run: 'echo $$ > b.pid; sleep 60' }
  after: { needs: [a, b], run: echo never }
`,
      });
      const p = startPsr(['run', 'wf.yml'], { cwd: dir });
      for (const f of ['a.pid', 'a-child.pid', 'b.pid']) await waitFor(pidWritten(dir, f), 20_000, f);
      const pids = ['a.pid', 'a-child.pid', 'b.pid'].map((f) => pidOf(dir, f));
      p.child.kill(signal);
      const r = await p.done;
      expect(r.code).toBe(130);
      expect(r.stdout).toContain('interrupted: cancelling running tasks');
      expect(r.stdout).toMatch(/a\s+⊘ cancelled/);
      expect(r.stdout).toMatch(/b\s+⊘ cancelled/);
      expect(r.stdout).not.toContain('never');
      for (const pid of pids) await waitFor(() => !alive(pid), 10_000, `pid ${pid} to exit`);
    });
  }

  it('a second Ctrl-C kills a task that ignores SIGTERM', async () => {
    const dir = workspace({
      'wf.yml': `
tasks:
  stubborn:
    run: |
      trap 'echo ignoring TERM' TERM
      echo $$ > stubborn.pid
      while true; do sleep 0.1 || true; done
`,
    });
    const p = startPsr(['run', 'wf.yml'], { cwd: dir });
    await waitFor(pidWritten(dir, 'stubborn.pid'), 20_000, 'stubborn.pid');
    const pid = pidOf(dir, 'stubborn.pid');
    p.child.kill('SIGINT');
    await waitFor(() => p.stdout.includes('cancelling'), 10_000, 'the cancel notice');
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('killing running tasks');
    await waitFor(() => !alive(pid), 10_000, `pid ${pid} to exit`);
  });
});
