/**
 * The built-in plugins, registered lazily: a workflow that uses no shell task never imports
 * the shell plugin. Add new built-ins (psr:scan, …) to this list.
 */
import type { LazyPlugin, PluginRegistry } from '@psr/core';

export const builtinPlugins: readonly LazyPlugin[] = [
  {
    name: 'psr:shell',
    taskNames: ['run', 'script'],
    source: '@psr/plugin-shell',
    // The plugin alone: task schemas now, child-process machinery on the first run.
    load: () => import('@psr/plugin-shell/plugin').then((m) => m.default),
  },
  {
    name: 'psr:scan',
    taskNames: ['scan'],
    source: '@psr/plugin-scan',
    load: () => import('@psr/plugin-scan').then((m) => m.default),
  },
  {
    name: 'psr:secret-scan',
    taskNames: ['secret-scan'],
    source: '@psr/plugin-secret-scan',
    load: () => import('@psr/plugin-secret-scan').then((m) => m.default),
  },
];

/**
 * Register every built-in plugin on `registry` (lazily).
 *
 * @example
 * ```ts
 * const registry = new PluginRegistry();
 * registerBuiltins(registry);
 * registry.has('run'); // true, nothing imported yet
 * ```
 */
export function registerBuiltins(registry: PluginRegistry): PluginRegistry {
  for (const plugin of builtinPlugins) registry.registerLazy(plugin);
  return registry;
}
