import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskFailure } from '@psr/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { directCommand } from './direct-command.js';
import { runTask } from './run-task.js';
import { createTestTaskContext } from './test-task-context.js';

const PATH = process.env.PATH;

describe('directCommand: which lines skip the shell', () => {
  test.each([
    ['true', ['true']],
    ['  make build  \n', ['make', 'build']],
    ['ls -la --color=never ./src', ['ls', '-la', '--color=never', './src']],
    ['echo a,b:c@d%e+f', ['echo', 'a,b:c@d%e+f']],
    ['env\tPATH', ['env', 'PATH']],
  ])('%j starts directly', (line, words) => {
    const direct = directCommand(line, PATH);
    expect(direct && [direct.program, ...direct.args]).toEqual(words);
  });

  test.each([
    ['exit 3', 'a builtin with no program equivalent'],
    ['cd /tmp', 'a builtin'],
    ['kill 1234', 'kill also knows job specs'],
    ['pwd', 'builtin pwd is logical, /bin/pwd physical'],
    ['if', 'a keyword'],
    ['FOO=1 env', 'an assignment'],
    ['echo $HOME', 'an expansion'],
    ['echo ~', 'tilde expansion'],
    ['ls *.ts', 'a glob'],
    ["echo 'quoted words'", 'quotes'],
    ['echo a; echo b', 'a list'],
    ['true && false', 'an and-list'],
    ['ls | wc -l', 'a pipe'],
    ['echo hi > out.txt', 'a redirection'],
    ['sleep 10 &', 'a background job'],
    ['echo {a,b}', 'brace expansion'],
    ['echo hi # comment', 'a comment'],
    ['echo one\necho two', 'several lines'],
    ['./build.sh', 'a path relative to the task directory'],
    ['no-such-program-xyz --flag', 'a program not on PATH (the shell reports 127)'],
    ['', 'nothing'],
  ])('%j goes through the shell (%s)', (line) => {
    expect(directCommand(line, PATH)).toBeUndefined();
  });
});

describe('run: direct commands behave like the shell would', () => {
  let workdir: string;
  beforeAll(async () => {
    workdir = await mkdtemp(join(tmpdir(), 'psr-direct-'));
  });
  afterAll(async () => {
    await rm(workdir, { recursive: true, force: true });
  });

  test('a plain command gets its args, PWD set to the working directory, and PSR_OUTPUT', async () => {
    const t = createTestTaskContext({ workdir, env: { PATH: PATH!, PWD: '/somewhere/else' } });
    await runTask.run(t.ctx, { run: 'env' });
    const env = Object.fromEntries(
      t
        .stdout()
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(env.PWD).toBe(workdir);
    expect(env.PSR_OUTPUT).toMatch(/psr-shell-.*\.out$/);
    // No shell ran: bash would have exported SHLVL.
    expect(env.SHLVL).toBeUndefined();
  });

  test('its exit code is the task exit code', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await Promise.resolve(runTask.run(t.ctx, { run: 'false' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(TaskFailure);
    expect((failure as TaskFailure).exitCode).toBe(1);
  });

  test('an explicit shell: bash always uses the shell', async () => {
    const t = createTestTaskContext({ workdir, env: { PATH: PATH! } });
    await runTask.run(t.ctx, { run: 'env', shell: 'bash' });
    expect(t.stdout()).toMatch(/^SHLVL=/m);
  });

  test('cancel stops a direct command with SIGTERM', async () => {
    const t = createTestTaskContext({ workdir });
    const task = Promise.resolve(runTask.run(t.ctx, { run: 'sleep 1000' }));
    await new Promise((r) => setTimeout(r, 500));
    t.cancel('timed out');
    const failure = await task.then(
      () => undefined,
      (e: unknown) => e as TaskFailure,
    );
    expect(failure?.kind).toBe('signal');
    expect(failure?.message).toBe('killed by SIGTERM after the task was stopped (timed out)');
  });
});
