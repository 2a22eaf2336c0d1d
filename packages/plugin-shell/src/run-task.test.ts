import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findProgram } from './program-path.js';
import { runTask } from './run-task.js';
import { ShellErrorCodes } from './shell-errors.js';
import { codeOf, createTestTaskContext, defaultEnv, shownText, taskFailureOf } from './test-task-context.js';

let workdir: string;
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'psr-run-test-'));
});
afterAll(async () => {
  await rm(workdir, { recursive: true, force: true });
});

describe('run: outputs', () => {
  test('key=value and heredoc lines written to $PSR_OUTPUT become outputs', async () => {
    const t = createTestTaskContext({ workdir });
    const outputs = await runTask.run(t.ctx, {
      run: ['echo "version=1.2.3" >> "$PSR_OUTPUT"', '{ echo "notes<<EOF"; echo "line 1"; echo "line 2"; echo "EOF"; } >> "$PSR_OUTPUT"'].join('\n'),
    });
    expect(outputs).toEqual({ version: '1.2.3', notes: 'line 1\nline 2' });
  });

  test('a task that writes nothing has no outputs', async () => {
    const t = createTestTaskContext({ workdir });
    expect(await runTask.run(t.ctx, { run: 'true' })).toEqual({});
  });

  test('a malformed output file fails the task, naming the line', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { run: 'printf "a=1\\nnot an output\\n" >> "$PSR_OUTPUT"' })));
    expect(shownText(failure)).toMatch(/\$PSR_OUTPUT line 2: expected "name=value"/);
    expect(shownText(failure)).toMatch(/hint:/);
    expect(codeOf(failure)).toBe(ShellErrorCodes.OUTPUT_FILE);
  });

  test('an output file over 1 MiB is refused with its size', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(
      Promise.resolve(runTask.run(t.ctx, { run: 'head -c 2000000 /dev/zero | tr "\\0" x | sed "s/^/big=/" >> "$PSR_OUTPUT"' })),
    );
    expect(shownText(failure)).toMatch(/PSR_OUTPUT is \d+ bytes, more than the 1048576 bytes allowed/);
  });

  test.each([
    ['a directory', 'mkdir "$PSR_OUTPUT"; touch "$PSR_OUTPUT/x"'],
    ['a FIFO', 'mkfifo "$PSR_OUTPUT"'],
  ])('replacing the output file with %s fails clearly, without hanging, and is cleaned up', async (_, run) => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { run: `echo "path=$PSR_OUTPUT"; ${run}` })));
    expect(shownText(failure)).toMatch(/\$PSR_OUTPUT was replaced by something that is not a regular file/);
    expect(existsSync(/path=(.*)/.exec(t.stdout())![1]!)).toBe(false);
  });

  test('outputs written before a non-zero exit are still attached to the failure', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { run: 'echo "found=3" >> "$PSR_OUTPUT"; exit 4' })));
    expect(failure.kind).toBe('exit');
    expect(failure.exitCode).toBe(4);
    expect(failure.outputs).toEqual({ found: '3' });
  });

  test('the script file and the output file are removed after the attempt', async () => {
    const t = createTestTaskContext({ workdir });
    await runTask.run(t.ctx, { run: 'echo "script=$0"; echo "output=$PSR_OUTPUT"; echo x=1 >> "$PSR_OUTPUT"' });
    const script = /script=(.*)/.exec(t.stdout())![1]!;
    const output = /output=(.*)/.exec(t.stdout())![1]!;
    expect(script).toMatch(/psr-shell-.*\.sh$/);
    expect(existsSync(script)).toBe(false);
    expect(existsSync(output)).toBe(false);
  });

  test('40 concurrent tasks each get exactly their own outputs and output', async () => {
    const contexts = Array.from({ length: 40 }, () => createTestTaskContext({ workdir }));
    const results = await Promise.all(
      contexts.map((t, i) => runTask.run(t.ctx, { run: `echo "task ${i}"; echo "index=${i}" >> "$PSR_OUTPUT"` })),
    );
    results.forEach((outputs, i) => {
      expect(outputs).toEqual({ index: String(i) });
      expect(contexts[i]!.stdout()).toBe(`task ${i}\n`);
    });
  });

  test('every attempt gets its own fresh output file', async () => {
    const first = createTestTaskContext({ workdir });
    const second = createTestTaskContext({ workdir, attempt: 2 });
    const run = 'test ! -s "$PSR_OUTPUT" && echo "path=$PSR_OUTPUT" >> "$PSR_OUTPUT"';
    const [a, b] = await Promise.all([runTask.run(first.ctx, { run }), runTask.run(second.ctx, { run })]);
    expect(a!.path).not.toBe(b!.path);
  });
});

describe('run: environment and working directory', () => {
  test('the child sees exactly ctx.env plus PSR_OUTPUT, in ctx.workdir', async () => {
    process.env.PSR_SHELL_TEST_NOT_IN_CTX = 'leak';
    try {
      const t = createTestTaskContext({ workdir, env: { PATH: process.env.PATH!, GREETING: 'hello world', EMPTY: '' } });
      await runTask.run(t.ctx, { run: 'env | sort; echo "cwd=$(pwd)"' });
      const names = t
        .stdout()
        .split('\n')
        .filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l) && !l.startsWith('cwd='))
        .map((l) => l.slice(0, l.indexOf('=')));
      // bash itself exports PWD, SHLVL and _; nothing else may appear.
      expect(names.filter((n) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(n)).sort()).toEqual(['EMPTY', 'GREETING', 'PATH', 'PSR_OUTPUT']);
      expect(t.stdout()).toContain('GREETING=hello world\n');
      expect(t.stdout()).toContain(`cwd=${workdir}\n`);
      expect(t.stdout()).not.toContain('leak');
    } finally {
      delete process.env.PSR_SHELL_TEST_NOT_IN_CTX;
    }
  });

  test('a missing working directory is a clear failure', async () => {
    const t = createTestTaskContext({ workdir: join(workdir, 'does-not-exist') });
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { run: 'true' })));
    expect(shownText(failure)).toMatch(/working directory .*does-not-exist does not exist/);
    expect(codeOf(failure)).toBe(ShellErrorCodes.SPAWN);
  });
});

describe('run: exit codes', () => {
  test('a non-zero exit code fails with kind exit and the code, recorded in metrics', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { run: 'exit 7' })));
    expect(failure.message).toBe('exited with code 7');
    expect(failure.kind).toBe('exit');
    expect(failure.exitCode).toBe(7);
    expect(t.metrics).toEqual([expect.objectContaining({ exitCode: 7 })]);
  });

  test('success records exit code 0', async () => {
    const t = createTestTaskContext({ workdir });
    await runTask.run(t.ctx, { run: 'true' });
    expect(t.metrics).toEqual([expect.objectContaining({ exitCode: 0 })]);
  });

  test('bash runs with -e and pipefail: a failing command stops the script', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { run: 'echo before\nfalse | cat\necho after' })));
    expect(failure.exitCode).toBe(1);
    expect(t.stdout()).toBe('before\n');
  });

  test('death by a signal fails with kind signal and the signal name', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { run: 'kill -KILL $$' })));
    expect(failure.kind).toBe('signal');
    expect(failure.message).toBe('killed by SIGKILL');
    expect(t.metrics).toEqual([expect.objectContaining({ signal: 'SIGKILL' })]);
  });
});

describe('run: shells', () => {
  test('the default shell is bash', async () => {
    const t = createTestTaskContext({ workdir });
    await runTask.run(t.ctx, { run: 'echo "bash ${BASH_VERSINFO[0]}"' });
    expect(t.stdout()).toMatch(/^bash \d+\n$/);
  });

  test('without bash on PATH the default is sh -e', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'psr-nobash-'));
    try {
      await symlink(findProgram('sh', process.env.PATH)!, join(bin, 'sh'));
      const t = createTestTaskContext({ workdir, env: { PATH: bin } });
      const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { run: 'echo "shell=$0"\nfalse\necho unreachable' })));
      expect(failure.exitCode).toBe(1);
      expect(t.stdout()).toMatch(/^shell=.*\.sh\n$/);
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });

  test('shell: sh runs with -e', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { run: 'echo one\nfalse\necho two', shell: 'sh' })));
    expect(failure.exitCode).toBe(1);
    expect(t.stdout()).toBe('one\n');
  });

  test('shell: python and python3 run the command as Python', async () => {
    for (const shell of ['python', 'python3']) {
      const t = createTestTaskContext({ workdir });
      const outputs = await runTask.run(t.ctx, {
        shell,
        run: 'import os, sys\nprint("py", sys.version_info[0])\nopen(os.environ["PSR_OUTPUT"], "a").write("lang=python\\n")',
      });
      expect(t.stdout()).toBe('py 3\n');
      expect(outputs).toEqual({ lang: 'python' });
    }
  });

  test('shell: node runs the command as JavaScript', async () => {
    const t = createTestTaskContext({ workdir });
    await runTask.run(t.ctx, { shell: 'node', run: 'console.log(`node ${6 * 7}`)' });
    expect(t.stdout()).toBe('node 42\n');
  });

  test('shell: pwsh runs PowerShell when installed, else fails saying it is not installed', async () => {
    const t = createTestTaskContext({ workdir });
    const result = Promise.resolve(runTask.run(t.ctx, { shell: 'pwsh', run: 'Write-Output "pwsh ok"' }));
    if (findProgram('pwsh', process.env.PATH)) {
      await result;
      expect(t.stdout()).toBe('pwsh ok\n');
    } else {
      const failure = await taskFailureOf(result);
      expect(shownText(failure)).toMatch(/shell "pwsh" is not installed/);
      expect(codeOf(failure)).toBe(ShellErrorCodes.NOT_INSTALLED);
    }
  });

  test('a custom template gets {0} replaced by the script path', async () => {
    const t = createTestTaskContext({ workdir });
    // The script reads itself through {0}: proof that the path was substituted.
    await runTask.run(t.ctx, { shell: 'python3 -u {0}', run: 'import sys\nprint(open(sys.argv[0]).read().splitlines()[0])' });
    expect(t.stdout()).toBe('import sys\n');
  });

  test('an unknown shell fails before running, with a hint listing the shells', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { shell: 'fish', run: 'echo hi' })));
    expect(shownText(failure)).toMatch(/unknown shell "fish"/);
    expect(shownText(failure)).toMatch(/bash, sh, python, python3, node, pwsh/);
    expect(shownText(failure)).toMatch(/"fish \{0\}"/);
    expect(codeOf(failure)).toBe(ShellErrorCodes.UNKNOWN_SHELL);
    expect(t.metrics).toEqual([]);
  });

  test('a template whose program is not installed fails clearly', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { shell: 'no-such-interpreter-xyz {0}', run: 'x' })));
    expect(shownText(failure)).toMatch(/shell program "no-such-interpreter-xyz" .* is not installed \(not found on PATH\)/);
    expect(codeOf(failure)).toBe(ShellErrorCodes.NOT_INSTALLED);
  });

  test('a template that starts with {0} is refused', async () => {
    const t = createTestTaskContext({ workdir });
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { shell: '{0} --flag', run: 'x' })));
    expect(shownText(failure)).toMatch(/must start with a program name/);
  });

  test('a command far larger than one argv entry may be (2 MB) runs, because it goes through a file', async () => {
    const t = createTestTaskContext({ workdir });
    const run = `: '${'x'.repeat(2 * 1024 * 1024)}'\necho big-ok`;
    await runTask.run(t.ctx, { run });
    expect(t.stdout()).toBe('big-ok\n');
  });

  test('the input schema refuses an empty command', () => {
    expect(runTask.input.safeParse({ run: '' }).success).toBe(false);
    expect(runTask.input.safeParse({ run: 'echo', shell: 'sh' }).success).toBe(true);
  });
});

describe('run: streaming', () => {
  test('stdout and stderr chunks arrive in order while the process still runs', async () => {
    const t = createTestTaskContext({ workdir });
    // The script waits for a file after each line, and the test creates the file only once it
    // saw the line: each chunk must reach the logger while the process is still running.
    const go = (n: number) => join(workdir, `go-streaming-${n}`);
    const waitFor = (n: number) => `while [ ! -f "${go(n)}" ]; do sleep 0.02; done`;
    const task = Promise.resolve(
      runTask.run(t.ctx, {
        run: `echo out-1; ${waitFor(1)}; echo err-1 >&2; ${waitFor(2)}; echo out-2; ${waitFor(3)}; echo out-3`,
      }),
    );
    await t.waitForStdout('out-1');
    await writeFile(go(1), '');
    await t.waitForStderr('err-1');
    await writeFile(go(2), '');
    await t.waitForStdout('out-2');
    expect(t.stdout()).toBe('out-1\nout-2\n');
    await writeFile(go(3), '');
    await task;
    const order = t.entries.filter((e) => e.stream === 'stdout' || e.stream === 'stderr').map((e) => e.text.trim());
    expect(order).toEqual(['out-1', 'err-1', 'out-2', 'out-3']);
  });

  test('multi-byte characters split across chunks arrive intact', async () => {
    const t = createTestTaskContext({ workdir });
    await runTask.run(t.ctx, { run: "for i in $(seq 1 3000); do printf 'é€😀'; done" });
    expect(t.stdout()).toBe('é€😀'.repeat(3000));
  });
});

describe('run: cancellation before start', () => {
  test('an attempt whose signal is already aborted starts nothing', async () => {
    const t = createTestTaskContext({ workdir });
    t.cancel('run cancelled');
    const marker = join(workdir, 'should-not-exist');
    const failure = await taskFailureOf(Promise.resolve(runTask.run(t.ctx, { run: `touch "${marker}"` })));
    expect(failure.kind).toBe('cancelled');
    expect(existsSync(marker)).toBe(false);
  });
});

describe('run: the environment of the test helper', () => {
  test('defaultEnv mirrors process.env', () => {
    expect(defaultEnv().PATH).toBe(process.env.PATH);
  });
});
