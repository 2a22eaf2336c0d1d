import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import type { CliIO } from './io.js';
import { codeFrame, reportError } from './render-error.js';

function captureIO(env: Record<string, string> = {}): CliIO & { err: () => string } {
  let err = '';
  return {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (err += s) },
    env,
    cwd: process.cwd(),
    signals: { on: () => undefined, off: () => undefined },
    err: () => err,
  };
}

it('renders psr errors as file:line:col + hint + code frame and maps them to exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'psr-err-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'wf.yml'), 'tasks:\n  a:\n    timeout: 10x\n');
  const io = { ...captureIO(), cwd: dir };
  const error = Object.assign(new Error('invalid duration "10x"'), {
    code: 'PSR_DURATION',
    hint: 'use 500ms, 30s, 5m',
    location: { file: 'wf.yml', line: 3, col: 14 },
  });
  let err = '';
  io.stderr = { write: (s: string) => (err += s) };
  expect(await reportError(error, io)).toBe(2);
  expect(err).toBe('wf.yml:3:14: invalid duration "10x" [PSR_DURATION]\n  hint: use 500ms, 30s, 5m\n   3 |     timeout: 10x\n     |              ^\n');
});

it('says "this is a bug in psr" with versions for unexpected errors, stack only with PSR_DEBUG=1', async () => {
  const quiet = captureIO();
  expect(await reportError(new TypeError('x is undefined'), quiet)).toBe(1);
  expect(quiet.err()).toContain('psr: internal error: TypeError: x is undefined');
  expect(quiet.err()).toContain('this is a bug in psr');
  expect(quiet.err()).toMatch(/psr \S+, node v\d+/);
  expect(quiet.err()).not.toMatch(/^\s+at /m);

  const debug = captureIO({ PSR_DEBUG: '1' });
  await reportError(new TypeError('x is undefined'), debug);
  expect(debug.err()).toMatch(/^\s+at /m);
});

it('gives no code frame for unreadable files, out-of-range lines, binary lines or sensitive files', () => {
  expect(codeFrame({ file: '/nonexistent/wf.yml', line: 1, col: 1 })).toBe('');
  const dir = mkdtempSync(join(tmpdir(), 'psr-err-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'b.yml'), 'a: \u0001\u0002\n');
  expect(codeFrame({ file: join(dir, 'b.yml'), line: 1, col: 1 })).toBe('');
  expect(codeFrame({ file: join(dir, 'b.yml'), line: 99, col: 1 })).toBe('');
  writeFileSync(join(dir, 'c.yml'), 'stripe_key: not-shown\n');
  expect(codeFrame({ file: join(dir, 'c.yml'), line: 1, col: 1 })).toContain('not-shown');
  expect(codeFrame({ file: join(dir, 'c.yml'), line: 1, col: 1, sensitive: true })).toBe('');
});
