// The public surface of @psr/plugin-shell: named re-exports only (no `export *`).
// `@psr/plugin-shell/plugin` is the plugin alone, without the process machinery below.
import { shellPlugin } from './plugin.js';

export { shellPlugin } from './plugin.js';
export { runTask } from './run-task.js';
export type { RunTaskInput } from './run-task.js';
export { directCommand } from './direct-command.js';
export type { DirectCommand } from './direct-command.js';
export { scriptTask } from './script-task.js';
export type { ScriptTaskInput } from './script-task.js';
export { SCRIPT_EXTENSIONS } from './run-script.js';
export { resolveShell, shellArgs, BUILTIN_SHELL_NAMES } from './shell-command.js';
export type { ShellCommand } from './shell-command.js';
export { parseOutputFile, OutputFileError, MAX_OUTPUT_FILE_BYTES } from './output-file.js';
export { ShellErrorCodes } from './shell-errors.js';
export type { ShellErrorCode } from './shell-errors.js';
export { runInProcessGroup, PIPE_DRAIN_MS } from './process-group.js';
export type { GroupCommand, GroupExit } from './process-group.js';
export { SAMPLE_INTERVAL_MS } from './group-usage-sampler.js';

/**
 * The `psr:shell` plugin (`run` and `script` task types), as the default export plugin
 * loaders expect.
 *
 * @example
 * ```ts
 * const shell = (await import('@psr/plugin-shell')).default;
 * shell.tasks.run.description;
 * ```
 */
export default shellPlugin;
