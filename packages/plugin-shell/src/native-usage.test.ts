import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nativeSpawner } from './native-spawn.js';
import { runTask } from './run-task.js';
import { createTestTaskContext } from './test-task-context.js';

// Only in vitest.config.ts's native-spawn project; skipped only where the addon is not built.
let workdir: string;
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'psr-native-usage-test-'));
});
afterAll(async () => {
  await rm(workdir, { recursive: true, force: true });
});

describe.runIf(nativeSpawner() !== undefined)('native starter: exact usage from wait4', () => {
  test('the CPU time of a short busy child is counted in full, not sampled', async () => {
    const t = createTestTaskContext({ workdir });
    // 0.2 s of CPU: too short for the 50 ms sampler to see all of it.
    await runTask.run(t.ctx, { run: `python3 -c 'import time\nwhile time.process_time() < 0.2: pass'` });
    expect(t.metrics[0]?.cpuMs).toBeGreaterThanOrEqual(200);
    expect(t.metrics[0]?.cpuMs).toBeLessThan(3000);
  });

  test('the peak RSS of a child that allocates more than psr uses and exits at once is reported', async () => {
    // Known only above psr's own peak (here: the test process's) — see NativeExit.peakRssBytes.
    const bytes = process.resourceUsage().maxRSS * 1024 + 200 * 1024 * 1024;
    const t = createTestTaskContext({ workdir });
    await runTask.run(t.ctx, { run: `python3 -c 'block = b"x" * ${bytes}'` });
    expect(t.metrics[0]?.peakRssBytes).toBeGreaterThanOrEqual(bytes);
  });

  test("a short task's peak RSS is not mistaken for psr's own", async () => {
    // `true` shares psr's memory until its execve; that must not be reported as its peak.
    const t = createTestTaskContext({ workdir });
    await runTask.run(t.ctx, { run: 'true' });
    expect(t.metrics[0]?.peakRssBytes ?? 0).toBeLessThan(process.resourceUsage().maxRSS * 1024);
  });
});


describe.runIf(nativeSpawner() !== undefined)('native starter: worker threads', () => {
  test('a worker thread that ends while its process still runs ends cleanly, though Node unloads the addon first', async () => {
    // In a fresh Node process whose main thread never loads the addon, so that it is unloaded
    // when the worker ends, before the worker's last loop turn closes the process's watch.
    const addon = fileURLToPath(new URL('../dist/posix-spawn.node', import.meta.url));
    const workerCode = `
      const { createRequire } = require('node:module');
      const addon = createRequire(${JSON.stringify(addon)})(${JSON.stringify(addon)});
      const started = addon.spawn('/bin/sh', ['sh', '-c', 'sleep 30'], ['PATH=/usr/bin:/bin'], '/', () => {});
      console.log(started[0]);
      setTimeout(() => process.exit(0), 50);`;
    const mainCode = `
      const { Worker } = require('node:worker_threads');
      new Worker(${JSON.stringify(workerCode)}, { eval: true }).on('exit', () => setTimeout(() => console.log('main survived'), 100));`;
    const { execFile } = await import('node:child_process');
    const outcome = await new Promise<{ signal: string | null; stdout: string }>((resolve) =>
      execFile(process.execPath, ['-e', mainCode], { timeout: 20_000 }, (error, stdout) =>
        resolve({ signal: (error as { signal?: string } | null)?.signal ?? null, stdout }),
      ),
    );
    const pid = Number(outcome.stdout.split('\n')[0]);
    if (pid > 0) process.kill(-pid, 'SIGKILL');
    expect(outcome.signal).toBeNull();
    expect(outcome.stdout).toMatch(/main survived/);
  });
});
