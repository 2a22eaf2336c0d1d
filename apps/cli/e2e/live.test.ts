/**
 * The live view on a real pseudo-terminal (util-linux `script` allocates one): psr detects the
 * TTY, redraws with ANSI sequences, and still ends with the summary and the right exit code.
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { baseEnv, binPath, workspace } from './harness.js';

it('uses the live view on a terminal and keeps the exit code', () => {
  const dir = workspace({
    'wf.yml': 'tasks:\n  a: { run: "echo working; sleep 0.4" }\n  b: { needs: a, run: "echo broken >&2; exit 1" }\n  c: { needs: b, run: echo never }\n',
  });
  const env = baseEnv({ TERM: 'xterm-256color', COLUMNS: '100' });
  delete env['CI'];
  delete env['NO_COLOR'];
  const r = spawnSync('script', ['-qec', `${process.execPath} ${binPath} run wf.yml`, '/dev/null'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  expect(r.status).toBe(1);
  const text = r.stdout.replace(/\r/g, '');
  expect(text).toContain('\x1b[?25l'); // live view: cursor hidden while redrawing…
  expect(text).toContain('\x1b[?25h'); // …and shown again
  expect(text).toMatch(/\x1b\[\d+A/); // region redrawn in place
  const plain = text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  expect(plain).not.toContain('[a] working'); // not the plain [task] lines
  expect(plain).toMatch(/✗ b .*\n {4}broken\n/); // a failed task keeps its last lines
  expect(plain).toMatch(/c\s+○ skipped/);
  expect(plain).toContain('run failure in');
});
