/**
 * `@psr/plugin-shell/plugin` is what psr loads to check a workflow (`psr validate`): the built
 * entry must reach only `@psr/core` through static imports (no child_process, crypto, os, …;
 * those load when a task first runs), be the very plugin the main entry exports, and still run
 * tasks, whose implementation it imports on first use. Checked on the built package
 * (`pnpm --filter @psr/plugin-shell build` runs first).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validatePlugin } from '@psr/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestTaskContext } from './test-task-context.js';

const pluginEntry = fileURLToPath(new URL('../dist/plugin.js', import.meta.url));
const mainEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** Bare specifiers reached from `file` by static `import`/`export ... from` lines. */
function staticBareImports(file: string, seen = new Set<string>(), bare = new Set<string>()): Set<string> {
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s(?:[^;]*?\sfrom\s)?["']([^"']+)["']/gm)) {
    const spec = m[1]!;
    if (!spec.startsWith('.')) bare.add(spec);
    else if (!seen.has(join(dirname(file), spec))) staticBareImports(join(dirname(file), spec), seen, bare);
  }
  return bare;
}

let workdir: string;
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'psr-shell-entry-'));
});
afterAll(async () => {
  await rm(workdir, { recursive: true, force: true });
});

it('the built plugin entry statically loads only @psr/core', () => {
  expect(existsSync(pluginEntry), 'build @psr/plugin-shell first').toBe(true);
  expect([...staticBareImports(pluginEntry)]).toEqual(['@psr/core']);
  // The scan itself works: the main entry reaches the process machinery.
  expect([...staticBareImports(mainEntry)]).toContain('child_process');
});

it('is the plugin of the main entry, and its tasks run', async () => {
  const light = (await import(pluginEntry)).default;
  expect(light).toBe((await import(mainEntry)).default);
  const plugin = validatePlugin(light, '@psr/plugin-shell/plugin');
  const t = createTestTaskContext({ workdir });
  expect(await plugin.tasks.run!.run(t.ctx, { run: 'echo "n=1" >> "$PSR_OUTPUT"' })).toEqual({ n: '1' });
  expect(await plugin.tasks.script!.run(t.ctx, { script: '/bin/true', args: [] })).toEqual({});
});
