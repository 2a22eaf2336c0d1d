import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatDiagnostic, PsrAggregateError } from '../errors.js';
import { definePlugin, defineTask } from '../plugin.js';
import { loadWorkflow } from '../workflow/load.js';
import { loadPlugins } from './load.js';
import { PluginRegistry } from './registry.js';

// A project on disk: plugins import zod from the project's node_modules, as real ones do.
const root = mkdtempSync(join(tmpdir(), 'psr-plugins-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'node_modules'), { recursive: true });
symlinkSync(dirname(createRequire(import.meta.url).resolve('zod/package.json')), join(root, 'node_modules', 'zod'), 'dir');

function write(rel: string, text: string): string {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const pluginSource = (name: string, task: string, extra = '') => `import { z } from 'zod';
export default {
  name: ${JSON.stringify(name)},
  apiVersion: 1,
  tasks: {
    ${JSON.stringify(task)}: {
      description: 'test task',
      input: z.strictObject({ who: z.string() }),
      run: (_ctx, input) => ({ said: input.who }),
    },
  },
  ${extra}
};
`;

write('plugins/hello.js', pluginSource('hello', 'greet'));
// ESM-only package (exports with only an "import" condition, like psr's own plugins).
write('node_modules/psr-plugin-esm/package.json', JSON.stringify({ name: 'psr-plugin-esm', type: 'module', exports: { '.': { types: './index.d.ts', import: './dist/index.js' } } }));
write('node_modules/psr-plugin-esm/dist/index.js', pluginSource('esm', 'esm-task'));
// Scoped package resolved through "main".
write('node_modules/@acme/psr-plugin/package.json', JSON.stringify({ name: '@acme/psr-plugin', type: 'module', main: 'main.js' }));
write('node_modules/@acme/psr-plugin/main.js', pluginSource('acme', 'acme-task'));
write('plugins/throws.js', "throw new Error('boom at import');\n");
write('plugins/no-default.js', 'export const plugin = 1;\n');
write('plugins/v2.js', "export default { name: 'future', apiVersion: 2, tasks: {} };\n");
write('plugins/no-run.js', "import { z } from 'zod';\nexport default { name: 'lazy', apiVersion: 1, tasks: { t: { description: 'x', input: z.object({}) } } };\n");
write('plugins/hello-again.js', pluginSource('hello', 'other'));

const wfFile = join(root, 'wf.yml');

async function problemsOf(specifiers: string[]): Promise<string[]> {
  const refs = specifiers.map((specifier, i) => ({ specifier, location: { file: 'wf.yml', line: i + 2, col: 5 } }));
  const err = await loadPlugins(refs, wfFile, new PluginRegistry()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PsrAggregateError);
  return (err as PsrAggregateError).problems.map((p) => formatDiagnostic(p));
}

describe('loadPlugins', () => {
  it('loads a relative path, an ESM-only package and a scoped package, resolved from the workflow file', async () => {
    const registry = new PluginRegistry();
    await loadPlugins([{ specifier: './plugins/hello.js' }, { specifier: 'psr-plugin-esm' }, { specifier: '@acme/psr-plugin' }], wfFile, registry);
    expect(registry.taskTypeNames()).toEqual(['acme-task', 'esm-task', 'greet']);
    expect(registry.resolve('greet')).toMatchObject({ source: './plugins/hello.js', plugin: { name: 'hello' } });
  });

  it('reports unresolvable entries as PSR_UNKNOWN_PLUGIN at their line, all at once', async () => {
    const out = await problemsOf(['./plugins/missing.js', 'psr-plugin-not-installed', './plugins/throws.js']);
    expect(out).toHaveLength(3);
    expect(out[0]).toBe(
      `wf.yml:2:5: plugin "./plugins/missing.js" not found: no file ${join(root, 'plugins/missing.js')} [PSR_UNKNOWN_PLUGIN]\n  hint: paths in plugins: are relative to the workflow file; check the path and the file extension`,
    );
    expect(out[1]).toMatch(/^wf.yml:3:5: plugin "psr-plugin-not-installed" cannot be resolved from .* \[PSR_UNKNOWN_PLUGIN\]\n {2}hint: install it where the workflow is \(npm install psr-plugin-not-installed\)/);
    expect(out[2]).toMatch(/^wf.yml:4:5: plugin "\.\/plugins\/throws.js" \(.*throws.js\) failed to import: boom at import \[PSR_UNKNOWN_PLUGIN\]/);
  });

  it('reports malformed plugins as PSR_PLUGIN_INVALID saying what was expected', async () => {
    const out = await problemsOf(['./plugins/no-default.js', './plugins/v2.js', './plugins/no-run.js']);
    expect(out).toEqual([
      'wf.yml:2:5: ./plugins/no-default.js is not a psr plugin: the module has no default export [PSR_PLUGIN_INVALID]\n  hint: a plugin module default-exports definePlugin({ name, apiVersion: 1, tasks: { ... } }) from @psr/core',
      'wf.yml:3:5: ./plugins/v2.js is not a psr plugin: apiVersion is 2, this psr speaks apiVersion 1 [PSR_PLUGIN_INVALID]\n  hint: a plugin module default-exports definePlugin({ name, apiVersion: 1, tasks: { ... } }) from @psr/core',
      'wf.yml:4:5: ./plugins/no-run.js is not a psr plugin: task "t" has no run() function [PSR_PLUGIN_INVALID]\n  hint: a plugin module default-exports definePlugin({ name, apiVersion: 1, tasks: { ... } }) from @psr/core',
    ]);
  });

  it('refuses two plugins with one name', async () => {
    const out = await problemsOf(['./plugins/hello.js', './plugins/hello-again.js']);
    expect(out).toEqual([
      'wf.yml:3:5: plugin name "hello" (from ./plugins/hello-again.js) is already registered [PSR_PLUGIN_INVALID]\n  hint: each plugin needs a unique name; remove the duplicate entry from plugins:',
    ]);
  });

  it('imports lazily registered built-ins only when a used task type needs them', async () => {
    const registry = new PluginRegistry();
    let loads = 0;
    const lazy = definePlugin({ name: 'psr:lazy', apiVersion: 1, tasks: { slow: defineTask({ description: 'x', input: z.object({}), run: () => ({}) }) } });
    registry.registerLazy({ name: 'psr:lazy', taskNames: ['slow'], source: 'psr:lazy', load: async () => (loads++, lazy) });
    await loadPlugins([], wfFile, registry, ['run']);
    expect(loads).toBe(0);
    await loadPlugins([], wfFile, registry, ['slow']);
    expect(loads).toBe(1);
    expect(registry.resolve('slow')?.plugin.name).toBe('psr:lazy');
  });
});

describe('loadWorkflow with plugins:', () => {
  it('loads the listed plugins, then checks uses: and with: against them', async () => {
    write(
      'ok.yml',
      'plugins:\n  - ./plugins/hello.js\n  - psr-plugin-esm\ntasks:\n  hi:\n    uses: greet\n    with: { who: me }\n  esm:\n    uses: esm-task\n    with: { who: you }\n',
    );
    const registry = new PluginRegistry();
    const wf = await loadWorkflow(join(root, 'ok.yml'), { registry });
    expect(wf.plugins.map((p) => [p.specifier, p.location?.line])).toEqual([
      ['./plugins/hello.js', 2],
      ['psr-plugin-esm', 3],
    ]);
    expect(registry.has('greet') && registry.has('esm-task')).toBe(true);
  });

  it('reports a bad plugin entry and the task types it would have provided', async () => {
    write('bad.yml', 'plugins:\n  - ./plugins/helo.js\ntasks:\n  hi:\n    uses: greet\n    with: { who: 1 }\n');
    const err = (await loadWorkflow(join(root, 'bad.yml'), { registry: new PluginRegistry() }).catch((e: unknown) => e)) as PsrAggregateError;
    expect(err.problems.map((p) => `${p.location?.file}:${p.location?.line}:${p.location?.col} ${p.code}`)).toEqual([
      `${join(root, 'bad.yml')}:2:5 PSR_UNKNOWN_PLUGIN`,
      `${join(root, 'bad.yml')}:5:11 PSR_UNKNOWN_TASK_TYPE`,
    ]);
  });

  it('skips plugin loading when asked to', async () => {
    const registry = new PluginRegistry();
    registry.register(definePlugin({ name: 'pre', apiVersion: 1, tasks: { greet: defineTask({ description: 'x', input: z.object({ who: z.string() }), run: () => ({}) }) } }), 'pre');
    const wf = await loadWorkflow(join(root, 'bad.yml'), { registry, loadPlugins: false }).catch((e: unknown) => e);
    expect((wf as PsrAggregateError).problems.map((p) => p.code)).toEqual(['PSR_TASK_INPUT']);
  });
});
