import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runTask } from './run-task.js';
import { createTestTaskContext, taskFailureOf } from './test-task-context.js';
import { isRunning, pidsIn } from './test-process-state.js';

let workdir: string;
/** Pids a test started; any still running at the end are killed so a failing test leaks nothing. */
const started: number[] = [];
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'psr-group-test-'));
});
afterAll(async () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await rm(workdir, { recursive: true, force: true });
});

const gone = (pid: number) => expect.poll(() => isRunning(pid), { timeout: 10_000, interval: 50 }).toBe(false);

describe('process group: cancel and kill', () => {
  test('cancel sends SIGTERM that a trap handler receives; the task fails after the child is gone', async () => {
    const t = createTestTaskContext({ workdir });
    const task = Promise.resolve(
      runTask.run(t.ctx, {
        run: [
          `trap 'echo "got TERM"; echo "trapped=yes" >> "$PSR_OUTPUT"; exit 3' TERM`,
          'echo "pid=$$"',
          'echo ready',
          'while true; do sleep 0.05; done',
        ].join('\n'),
      }),
    );
    await t.waitForStdout('ready');
    const [pid] = pidsIn(t.stdout(), 'pid');
    started.push(pid!);
    t.cancel('timed out after 1s');
    const failure = await taskFailureOf(task);
    expect(t.stdout()).toContain('got TERM\n');
    expect(failure.kind).toBe('exit');
    expect(failure.exitCode).toBe(3);
    expect(failure.message).toBe('exited with code 3 after the task was stopped (timed out after 1s)');
    expect(failure.outputs).toEqual({ trapped: 'yes' });
    expect(isRunning(pid!)).toBe(false);
  });

  test('a process ignoring SIGTERM survives cancel and is SIGKILLed when killSignal aborts', async () => {
    const t = createTestTaskContext({ workdir });
    const task = Promise.resolve(
      runTask.run(t.ctx, { run: [`trap '' TERM`, 'echo "pid=$$"', 'echo ready', 'while true; do sleep 0.05; done'].join('\n') }),
    );
    let settled = false;
    void task.then(
      () => (settled = true),
      () => (settled = true),
    );
    await t.waitForStdout('ready');
    const [pid] = pidsIn(t.stdout(), 'pid');
    started.push(pid!);
    t.cancel();
    await new Promise((r) => setTimeout(r, 500));
    expect(settled).toBe(false);
    expect(isRunning(pid!)).toBe(true);
    t.kill();
    const failure = await taskFailureOf(task);
    expect(failure.kind).toBe('signal');
    expect(failure.message).toMatch(/^killed by SIGKILL after the task was stopped/);
    expect(t.metrics).toEqual([expect.objectContaining({ signal: 'SIGKILL' })]);
    expect(isRunning(pid!)).toBe(false);
  });

  test('a timeout kills grandchildren, background and nested, by process group', async () => {
    const t = createTestTaskContext({ workdir });
    const task = Promise.resolve(
      runTask.run(t.ctx, {
        run: [
          'rm -f nested-started',
          'sleep 1000 &',
          'echo "bg=$!"',
          'sleep 1000 > /dev/null 2>&1 &',
          'echo "bg=$!"',
          // A grandchild of a grandchild: a subshell that starts its own background sleep. Ready
          // only once it has said so (a fixed pause lost the race on a loaded machine).
          `bash -c 'sleep 1000 & echo "bg=$!"; : > nested-started; wait' &`,
          'while [ ! -e nested-started ]; do sleep 0.02; done',
          'echo ready',
          'wait',
        ].join('\n'),
      }),
    );
    await t.waitForStdout('ready');
    const pids = pidsIn(t.stdout(), 'bg');
    started.push(...pids);
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(isRunning(pid)).toBe(true);
    t.cancel('timed out');
    await taskFailureOf(task);
    for (const pid of pids) await gone(pid);
  });

  test('background children still running when the main process exits are killed', async () => {
    const t = createTestTaskContext({ workdir });
    const outputs = await runTask.run(t.ctx, {
      run: [
        'sleep 1000 &',
        'echo "bg=$!"',
        'sleep 1000 > /dev/null 2>&1 < /dev/null &',
        'echo "bg=$!"',
        'nohup sleep 1000 > /dev/null 2>&1 &',
        'echo "bg=$!"',
        'echo done=1 >> "$PSR_OUTPUT"',
      ].join('\n'),
    });
    expect(outputs).toEqual({ done: '1' });
    const pids = pidsIn(t.stdout(), 'bg');
    started.push(...pids);
    expect(pids).toHaveLength(3);
    for (const pid of pids) await gone(pid);
  });

  test('a process that leaves the group but keeps the output pipe open does not hang the task', async () => {
    const t = createTestTaskContext({ workdir });
    // setsid moves the sleep into a new session, beyond group signals; it still holds stdout.
    // The pid file is written after setsid() ran, so the main shell exits only once it escaped.
    const outputs = await runTask.run(t.ctx, {
      run: [
        `setsid sh -c 'echo $$ > escaped.pid; exec sleep 1000' &`,
        'while [ ! -s escaped.pid ]; do sleep 0.05; done',
        'echo "escaped=$(cat escaped.pid)"',
        'rm escaped.pid',
        'echo ok=1 >> "$PSR_OUTPUT"',
      ].join('\n'),
    });
    const [pid] = pidsIn(t.stdout(), 'escaped');
    started.push(pid!);
    expect(outputs).toEqual({ ok: '1' });
    expect(t.entries.some((e) => e.stream === 'warn' && /left the task's process group/.test(e.text))).toBe(true);
    process.kill(pid!, 'SIGKILL');
  });
});

describe('process group: psr exiting', () => {
  test('task processes do not outlive a psr process that exits abruptly', async () => {
    const { execFile } = await import('node:child_process');
    const { createRequire } = await import('node:module');
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const fixture = fileURLToPath(new URL('../fixtures/exit-midway.ts', import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', pathToFileURL(tsx).href, fixture], { cwd: workdir, timeout: 60_000 }, (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    const pids = pidsIn(stdout, 'bg');
    started.push(...pids);
    expect(pids).toHaveLength(1);
    await gone(pids[0]!);
  });
});

describe('process group: metrics', () => {
  test('CPU time of a busy child process is sampled', async () => {
    const t = createTestTaskContext({ workdir });
    // The busy loop runs in a child of the shell: its CPU counts for the task.
    // Spin until the process has used 1 s of CPU (not wall time: the machine may be loaded).
    await runTask.run(t.ctx, { run: `python3 -c 'import time\nwhile time.process_time() < 1.0: pass'` });
    const [metrics] = t.metrics;
    expect(metrics?.exitCode).toBe(0);
    // Sampled periodically, so the last moments may be missed: half of it is a safe floor.
    expect(metrics?.cpuMs).toBeGreaterThan(500);
    expect(metrics?.cpuMs).toBeLessThan(5000);
  });

  test('peak RSS of a child that allocates 200 MB is sampled', async () => {
    const t = createTestTaskContext({ workdir });
    await runTask.run(t.ctx, { run: `python3 -c 'import time\nblock = b"x" * (200 * 1024 * 1024)\ntime.sleep(1.5)'` });
    const [metrics] = t.metrics;
    expect(metrics?.peakRssBytes).toBeGreaterThan(150 * 1024 * 1024);
  });

  test('an idle task reports far less CPU than a busy one', async () => {
    const t = createTestTaskContext({ workdir });
    await runTask.run(t.ctx, { run: 'sleep 1.5' });
    const [metrics] = t.metrics;
    expect(metrics?.cpuMs ?? 0).toBeLessThan(200);
    expect(metrics?.peakRssBytes).toBeGreaterThan(0);
  });
});
