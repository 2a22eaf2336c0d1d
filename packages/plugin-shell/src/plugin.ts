/**
 * The built-in shell plugin: `psr:shell` with the task types `run` and `script`.
 *
 * This module is also the package entry `@psr/plugin-shell/plugin`: the plugin alone, with
 * the input schemas but without the process machinery (child processes, temporary files,
 * `/proc` sampling), which each task imports on its first run. Loading a workflow only to
 * check it (`psr validate`) therefore costs the schemas, not the runtime.
 */
import { definePlugin } from '@psr/core';
import { runTask } from './run-task.js';
import { scriptTask } from './script-task.js';

/**
 * The `psr:shell` plugin. The workflow loader maps `run:` to the task type `run` and
 * `script:` to `script`; no `plugins:` entry is needed.
 *
 * @example
 * ```ts
 * import { PluginRegistry } from '@psr/core';
 * import shellPlugin from '@psr/plugin-shell/plugin';
 *
 * const registry = new PluginRegistry();
 * registry.register(shellPlugin, 'psr:shell');
 * ```
 */
export const shellPlugin = definePlugin({
  name: 'psr:shell',
  apiVersion: 1,
  tasks: { run: runTask, script: scriptTask },
});

export default shellPlugin;
