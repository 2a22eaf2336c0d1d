import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nativeSpawner } from './native-spawn.js';
import { runInProcessGroup } from './process-group.js';
import { runTask } from './run-task.js';
import { ShellErrorCodes } from './shell-errors.js';
import { codeOf, createTestTaskContext, defaultEnv, shownText, taskFailureOf } from './test-task-context.js';

// vitest.config.ts runs this file with PSR_SHELL_SPAWN=native and =node: the behaviour below
// holds on both ways of starting a process (native-usage.test.ts has what only the native one does).
const forcedNode = process.env.PSR_SHELL_SPAWN === 'node';
const addonBuilt = existsSync(fileURLToPath(new URL('../dist/posix-spawn.node', import.meta.url)));
const native = nativeSpawner() !== undefined;

let workdir: string;
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'psr-native-spawn-test-'));
});
afterAll(async () => {
  await rm(workdir, { recursive: true, force: true });
});


describe('choosing how to start processes', () => {
  test('the native starter is used when it is built on Linux, and PSR_SHELL_SPAWN=node turns it off', () => {
    expect(native).toBe(!forcedNode && addonBuilt && process.platform === 'linux');
  });
});

describe('starting a process', () => {
  test("the program is looked up on the task's PATH, not on psr's", async () => {
    const bin = join(workdir, 'bin');
    await import('node:fs/promises').then((fs) => fs.mkdir(bin, { recursive: true }));
    await writeFile(join(bin, 'only-on-task-path'), '#!/bin/sh\necho "found it"\n');
    await chmod(join(bin, 'only-on-task-path'), 0o755);
    const t = createTestTaskContext({ workdir, env: { ...defaultEnv(), PATH: `${bin}:${process.env.PATH}` } });
    const exit = await runInProcessGroup({ program: 'only-on-task-path', args: [], cwd: workdir, env: t.ctx.env }, t.ctx);
    expect(exit.exitCode).toBe(0);
    expect(t.stdout()).toBe('found it\n');

    const without = createTestTaskContext({ workdir, env: { PATH: '/nonexistent' } });
    const failure = await taskFailureOf(runInProcessGroup({ program: 'ls', args: [], cwd: workdir, env: without.ctx.env }, without.ctx));
    expect(codeOf(failure)).toBe(ShellErrorCodes.NOT_INSTALLED);
    expect(shownText(failure)).toMatch(/^cannot start "ls": not found on PATH/);
  });

  test('a program that is not executable fails with EACCES and a chmod hint', async () => {
    const script = join(workdir, 'not-executable.sh');
    await writeFile(script, '#!/bin/sh\necho no\n');
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(runInProcessGroup({ program: script, args: [], cwd: workdir, env: t.ctx.env }, t.ctx));
    expect(codeOf(failure)).toBe(ShellErrorCodes.SPAWN);
    expect(failure.message).toMatch(/EACCES/);
    expect(shownText(failure)).toMatch(/hint: .*chmod \+x/);
  });

  test('a missing working directory is reported as such', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(runInProcessGroup({ program: 'true', args: [], cwd: join(workdir, 'gone'), env: t.ctx.env }, t.ctx));
    expect(codeOf(failure)).toBe(ShellErrorCodes.SPAWN);
    expect(shownText(failure)).toMatch(/working directory .*gone does not exist/);
  });

  test('the child starts with no ignored or blocked signals (psr ignores SIGPIPE)', async () => {
    const t = createTestTaskContext({ workdir });
    await runInProcessGroup({ program: 'grep', args: ['^Sig[IB]', '/proc/self/status'], cwd: workdir, env: t.ctx.env }, t.ctx);
    const [, blocked, ignored] = /^SigBlk:\s+([0-9a-f]+)\nSigIgn:\s+([0-9a-f]+)\n$/.exec(t.stdout())!;
    expect(BigInt(`0x${blocked}`)).toBe(0n);
    // Signals 1-31 (the bits below 2^31). glibc's posix_spawn leaves its two internal real-time
    // signals (32, 33) ignored, which only glibc itself uses.
    expect(BigInt(`0x${ignored}`) & 0x7fffffffn).toBe(0n);
  });

  test('stdin is /dev/null and the child leads its own process group and session', async () => {
    const t = createTestTaskContext({ workdir });
    const exit = await runInProcessGroup(
      { program: 'sh', args: ['-c', 'cat; echo "pgid=$(ps -o pgid= $$) sid=$(ps -o sid= $$) pid=$$"'], cwd: workdir, env: t.ctx.env },
      t.ctx,
    );
    expect(exit.exitCode).toBe(0);
    const [, pgid, sid, pid] = /pgid=\s*(\d+) sid=\s*(\d+) pid=(\d+)/.exec(t.stdout())!;
    expect(pgid).toBe(pid);
    expect(sid).toBe(pid);
  });

  test('a run of tasks leaves no file descriptor open', async () => {
    const before = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 20; i++) {
      const t = createTestTaskContext({ workdir });
      await runTask.run(t.ctx, { run: 'echo out; echo err >&2' });
      expect(t.stdout()).toBe('out\n');
      expect(t.stderr()).toBe('err\n');
    }
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  });

  test('a host process that ran tasks exits on its own: nothing keeps its event loop alive', async () => {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const fixture = fileURLToPath(new URL('../fixtures/run-and-return.ts', import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', pathToFileURL(tsx).href, fixture], { cwd: workdir, timeout: 60_000 }, (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    expect(stdout).toBe('ran 10 tasks\n');
  });
});
