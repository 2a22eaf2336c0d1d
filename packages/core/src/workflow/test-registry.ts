/**
 * A registry with a small test plugin (and a stand-in for the built-in shell plugin, which
 * lives in another package) for tests of task-type and `with:` checks.
 */
import { z } from 'zod';
import { definePlugin, defineTask } from '../plugin.js';
import { PluginRegistry } from '../plugins/registry.js';

export const testPlugin = definePlugin({
  name: 'test',
  apiVersion: 1,
  tasks: {
    greet: defineTask({
      description: 'Say hello',
      input: z.strictObject({ who: z.string(), times: z.number().int().min(1).default(1) }),
      run: (_ctx, input) => ({ greeted: input.who }),
    }),
    // A rule across two keys, as a zod refinement with a hint (the scan task's format/output).
    pair: defineTask({
      description: 'Copy files in pairs',
      input: z.strictObject({ from: z.array(z.string()), to: z.array(z.string()) }).superRefine((v, ctx) => {
        if (v.from.length !== v.to.length) ctx.addIssue({ code: 'custom', message: `${v.from.length} source(s) but ${v.to.length} destination(s)`, path: ['to'], params: { hint: 'one destination per source' } });
      }),
      run: () => ({}),
    }),
    'secret-scan': defineTask({
      description: 'Look for secrets',
      input: z.object({ path: z.string().default('.') }),
      failureKinds: ['findings', 'source'],
      run: () => ({}),
    }),
  },
});

export const shellStandIn = definePlugin({
  name: 'psr:shell',
  apiVersion: 1,
  tasks: {
    run: defineTask({ description: 'Run a command', input: z.object({ run: z.string().min(1), shell: z.string().optional() }), run: () => ({}) }),
    script: defineTask({
      description: 'Run a script',
      input: z.object({ script: z.string().regex(/\.(py|js|mjs|ts|sh)$/, 'unknown script extension'), args: z.array(z.string()).optional(), shell: z.string().optional() }),
      run: () => ({}),
    }),
  },
});

export function testRegistry(): PluginRegistry {
  const registry = new PluginRegistry();
  registry.register(shellStandIn, 'psr:shell');
  registry.register(testPlugin, 'test');
  return registry;
}
