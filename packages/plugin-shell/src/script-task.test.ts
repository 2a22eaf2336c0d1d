import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findProgram } from './program-path.js';
import { scriptTask } from './script-task.js';
import { ShellErrorCodes } from './shell-errors.js';
import { codeOf, createTestTaskContext, shownText, taskFailureOf } from './test-task-context.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'psr-script-test-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const parse = (input: Record<string, unknown>) => scriptTask.input.parse(input);

describe('script: interpreter by extension', () => {
  test.each([
    ['report.py', 'python'],
    ['report.js', 'node-js'],
    ['report.mjs', 'node-mjs'],
    ['report.cjs', 'node-cjs'],
    ['report.ts', 'tsx'],
    ['report.sh', /^bash-\d+$/],
  ])('%s runs with its interpreter and receives args as argv', async (file, interpreter) => {
    const t = createTestTaskContext({ workdir: fixtures });
    const outputs = await scriptTask.run(t.ctx, parse({ script: `scripts/${file}`, args: ['--count', 'two words', '$HOME', '*', "it's"] }));
    expect(outputs!.interpreter).toMatch(interpreter);
    // No shell re-parsing: spaces, $, globs and quotes arrive verbatim.
    expect(JSON.parse(String(outputs!.args))).toEqual(['--count', 'two words', '$HOME', '*', "it's"]);
  });

  test('without bash on PATH a .sh script runs with sh, and node scripts with the node running psr', async () => {
    const bin = await mkdtemp(join(root, 'bin-'));
    await symlink(findProgram('sh', process.env.PATH)!, join(bin, 'sh'));
    await writeFile(join(bin, 'plain.sh'), 'echo "shell=$0" >> "$PSR_OUTPUT"\n');
    const t = createTestTaskContext({ workdir: bin, env: { PATH: bin } });
    expect(await scriptTask.run(t.ctx, parse({ script: 'plain.sh' }))).toEqual({ shell: join(bin, 'plain.sh') });
    const node = createTestTaskContext({ workdir: fixtures, env: { PATH: bin } });
    expect((await scriptTask.run(node.ctx, parse({ script: 'scripts/report.mjs' })))!.interpreter).toBe('node-mjs');
  });

  test('numbers and booleans in args: are passed as their text', async () => {
    const t = createTestTaskContext({ workdir: fixtures });
    const outputs = await scriptTask.run(t.ctx, parse({ script: 'scripts/report.py', args: [3, true, 0.5] }));
    expect(JSON.parse(String(outputs!.args))).toEqual(['3', 'true', '0.5']);
    expect(t.stdout()).toBe('hello from python\n');
  });

  test('an executable file without a known extension runs through its #! line', async () => {
    const dir = await mkdtemp(join(root, 'shebang-'));
    await copyFile(join(fixtures, 'scripts', 'run-me'), join(dir, 'run-me'));
    await chmod(join(dir, 'run-me'), 0o755);
    const t = createTestTaskContext({ workdir: dir });
    expect(await scriptTask.run(t.ctx, parse({ script: 'run-me', args: ['a', 'b'] }))).toEqual({ interpreter: 'shebang', args: '2' });
  });

  test('a file with no known extension that is not executable fails with a hint', async () => {
    const t = createTestTaskContext({ workdir: fixtures });
    const failure = await taskFailureOf(scriptTask.run(t.ctx, parse({ script: 'scripts/notes' })));
    expect(shownText(failure)).toMatch(/no interpreter known for scripts\/notes \(no extension\) and the file is not executable/);
    expect(shownText(failure)).toMatch(/shell:/);
    expect(codeOf(failure)).toBe(ShellErrorCodes.NO_INTERPRETER);
  });

  test('shell: overrides the extension, and args still follow the script path', async () => {
    const dir = await mkdtemp(join(root, 'override-'));
    await writeFile(join(dir, 'task.txt'), 'import sys, os\nopen(os.environ["PSR_OUTPUT"], "a").write("argv=" + ",".join(sys.argv[1:]) + "\\n")\n');
    const t = createTestTaskContext({ workdir: dir });
    expect(await scriptTask.run(t.ctx, parse({ script: 'task.txt', shell: 'python3', args: ['x', 'y'] }))).toEqual({ argv: 'x,y' });
  });

  test('a script exiting non-zero fails with its exit code', async () => {
    const dir = await mkdtemp(join(root, 'exit-'));
    await writeFile(join(dir, 'fail.py'), 'import sys\nprint("oops", file=sys.stderr)\nsys.exit(5)\n');
    const t = createTestTaskContext({ workdir: dir });
    const failure = await taskFailureOf(scriptTask.run(t.ctx, parse({ script: 'fail.py' })));
    expect(failure.exitCode).toBe(5);
    expect(t.stderr()).toBe('oops\n');
  });
});

describe('script: paths', () => {
  test('a missing script fails with the path as written, where it was looked for, and a hint', async () => {
    const t = createTestTaskContext({ workdir: fixtures });
    const failure = await taskFailureOf(scriptTask.run(t.ctx, parse({ script: 'scripts/nope.py' })));
    expect(shownText(failure)).toContain(`script not found: scripts/nope.py (looked for ${join(fixtures, 'scripts', 'nope.py')})`);
    expect(shownText(failure)).toMatch(/relative to the task's working directory/);
    expect(codeOf(failure)).toBe(ShellErrorCodes.SCRIPT_NOT_FOUND);
    expect(t.metrics).toEqual([]);
  });

  test('a path through a file (not a directory) is reported as not found', async () => {
    const t = createTestTaskContext({ workdir: fixtures });
    const failure = await taskFailureOf(scriptTask.run(t.ctx, parse({ script: 'scripts/report.py/x.py' })));
    expect(codeOf(failure)).toBe(ShellErrorCodes.SCRIPT_NOT_FOUND);
  });

  test('a directory is refused', async () => {
    const t = createTestTaskContext({ workdir: fixtures });
    const failure = await taskFailureOf(scriptTask.run(t.ctx, parse({ script: 'scripts' })));
    expect(shownText(failure)).toMatch(/script scripts is a directory/);
    expect(codeOf(failure)).toBe(ShellErrorCodes.SCRIPT_INVALID);
  });

  test('../ paths outside the working directory run (documented policy) and the real path is logged', async () => {
    const project = await mkdtemp(join(root, 'project-'));
    await mkdir(join(project, 'scripts'));
    await mkdir(join(project, 'packages', 'a'), { recursive: true });
    await writeFile(join(project, 'scripts', 'build.sh'), 'echo "where=$(pwd)" >> "$PSR_OUTPUT"\n');
    const t = createTestTaskContext({ workdir: join(project, 'packages', 'a') });
    expect(await scriptTask.run(t.ctx, parse({ script: '../../scripts/build.sh' }))).toEqual({ where: join(project, 'packages', 'a') });
    expect(t.entries).toContainEqual(expect.objectContaining({ stream: 'debug', text: `script ../../scripts/build.sh → ${join(project, 'scripts', 'build.sh')}` }));
  });

  test('a symlink is followed; errors and logs name where it leads', async () => {
    const dir = await mkdtemp(join(root, 'links-'));
    await writeFile(join(dir, 'real.sh'), 'echo via=link >> "$PSR_OUTPUT"\n');
    await symlink(join(dir, 'real.sh'), join(dir, 'link.sh'));
    await symlink(dir, join(dir, 'dir-link'));
    const t = createTestTaskContext({ workdir: dir });
    expect(await scriptTask.run(t.ctx, parse({ script: 'link.sh' }))).toEqual({ via: 'link' });
    expect(t.entries).toContainEqual(expect.objectContaining({ stream: 'debug', text: `script link.sh → ${join(dir, 'real.sh')}` }));
    const failure = await taskFailureOf(scriptTask.run(createTestTaskContext({ workdir: dir }).ctx, parse({ script: 'dir-link' })));
    expect(shownText(failure)).toContain(`script dir-link is a directory (resolved to ${dir})`);
  });

  test('a dangling symlink is not found; a symlink loop is refused', async () => {
    const dir = await mkdtemp(join(root, 'bad-links-'));
    await symlink(join(dir, 'missing.sh'), join(dir, 'dangling.sh'));
    await symlink(join(dir, 'loop-b.sh'), join(dir, 'loop-a.sh'));
    await symlink(join(dir, 'loop-a.sh'), join(dir, 'loop-b.sh'));
    const dangling = await taskFailureOf(scriptTask.run(createTestTaskContext({ workdir: dir }).ctx, parse({ script: 'dangling.sh' })));
    expect(codeOf(dangling)).toBe(ShellErrorCodes.SCRIPT_NOT_FOUND);
    const loop = await taskFailureOf(scriptTask.run(createTestTaskContext({ workdir: dir }).ctx, parse({ script: 'loop-a.sh' })));
    expect(loop.message).toMatch(/script loop-a.sh is a symlink loop/);
    expect(codeOf(loop)).toBe(ShellErrorCodes.SCRIPT_INVALID);
  });

  test('a FIFO is not a script', async () => {
    const dir = await mkdtemp(join(root, 'fifo-'));
    const t = createTestTaskContext({ workdir: dir });
    const { spawnSync } = await import('node:child_process');
    expect(spawnSync('mkfifo', [join(dir, 'pipe.sh')]).status).toBe(0);
    const failure = await taskFailureOf(scriptTask.run(t.ctx, parse({ script: 'pipe.sh' })));
    expect(shownText(failure)).toMatch(/script pipe.sh is not a regular file/);
  });

  test('a NUL byte in the path is refused cleanly', async () => {
    const t = createTestTaskContext({ workdir: fixtures });
    const failure = await taskFailureOf(scriptTask.run(t.ctx, parse({ script: 'scripts/report.py\0.sh' })));
    expect(shownText(failure)).toMatch(/NUL byte/);
  });

  test('a NUL byte in an argument fails cleanly instead of crashing', async () => {
    const t = createTestTaskContext({ workdir: fixtures });
    const failure = await taskFailureOf(scriptTask.run(t.ctx, parse({ script: 'scripts/report.py', args: ['ok', 'bad\0arg'] })));
    expect(shownText(failure)).toMatch(/cannot start "python3"/);
    expect(codeOf(failure)).toBe(ShellErrorCodes.SPAWN);
  });

  test('an absolute path is used as is', async () => {
    const t = createTestTaskContext({ workdir: root });
    const outputs = await scriptTask.run(t.ctx, parse({ script: join(fixtures, 'scripts', 'report.mjs') }));
    expect(outputs!.interpreter).toBe('node-mjs');
  });

  test('the input schema requires a script and defaults args to none', () => {
    expect(scriptTask.input.safeParse({ script: '' }).success).toBe(false);
    expect(parse({ script: 'a.py' })).toEqual({ script: 'a.py', args: [] });
    expect(scriptTask.input.safeParse({ script: 'a.py', args: [{ nested: 1 }] }).success).toBe(false);
  });
});
