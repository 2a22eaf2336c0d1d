// The plugin as the engine sees it: validated by the registry, loaded with a real workflow,
// run by the real engine (real TaskContext, real timeouts), not through the test helper.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginRegistry, createEngine, loadWorkflow, validatePlugin } from '@psr/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import shellPlugin from './index.js';
import { isRunning, pidsIn } from './test-process-state.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'psr-shell-engine-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runWorkflow(yaml: string) {
  const file = join(dir, `wf-${Math.random().toString(36).slice(2)}.yml`);
  await writeFile(file, yaml);
  const registry = new PluginRegistry();
  registry.register(shellPlugin, 'psr:shell');
  const workflow = await loadWorkflow(file, { registry });
  return createEngine({ registry, killGraceMs: 1000 }).run(workflow);
}

describe('psr:shell inside the engine', () => {
  test('is a valid plugin named psr:shell providing run and script', () => {
    const plugin = validatePlugin(shellPlugin, '@psr/plugin-shell');
    expect(plugin.name).toBe('psr:shell');
    expect(Object.keys(plugin.tasks).sort()).toEqual(['run', 'script']);
  });

  test('outputs of a run: task feed a script: task through expressions and args', async () => {
    await writeFile(join(dir, 'shout.py'), 'import os, sys\nopen(os.environ["PSR_OUTPUT"], "a").write("loud=" + sys.argv[1].upper() + "\\n")\n');
    const result = await runWorkflow(
      [
        'version: 1',
        'name: outputs',
        'tasks:',
        '  greet:',
        '    run: echo "word=hello $NAME" >> "$PSR_OUTPUT"',
        '    env: { NAME: world }',
        '  shout:',
        '    needs: [greet]',
        '    script: shout.py',
        '    args: ["${{ tasks.greet.outputs.word }}"]',
        '',
      ].join('\n'),
    );
    expect(result.status).toBe('success');
    const shout = result.tasks.find((t) => t.task.taskId === 'shout');
    expect(shout?.outputs).toEqual({ loud: 'HELLO WORLD' });
    const greet = result.tasks.find((t) => t.task.taskId === 'greet');
    expect(greet?.attempts[0]?.exitCode).toBe(0);
  });

  test('a task timeout kills the whole process group, grandchildren included', async () => {
    const pidFile = join(dir, 'pids.txt');
    const result = await runWorkflow(
      [
        'version: 1',
        'name: timeout',
        'tasks:',
        '  hang:',
        '    timeout: 1s',
        '    run: |',
        `      sleep 1000 & echo "bg=$!" >> "${pidFile}"`,
        `      bash -c 'sleep 1000 & echo "bg=$!" >> "${pidFile}"; wait' &`,
        '      wait',
        '',
      ].join('\n'),
    );
    const hang = result.tasks.find((t) => t.task.taskId === 'hang');
    expect(hang?.status).toBe('failure');
    expect(hang?.attempts[0]?.status).toBe('timeout');
    const pids = pidsIn(await readFile(pidFile, 'utf8'), 'bg');
    expect(pids).toHaveLength(2);
    for (const pid of pids) await expect.poll(() => isRunning(pid), { timeout: 10_000 }).toBe(false);
  });
});
