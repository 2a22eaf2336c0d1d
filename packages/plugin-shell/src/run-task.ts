/**
 * The `run` task type: what `run: <command>` (and an optional `shell:`) in a workflow becomes.
 * This module holds only the definition (description and input schema); the implementation
 * (`run-command.ts`, with child processes and temporary files) is imported on the first run,
 * so `psr validate` and every other load of the plugin skip it.
 */
import { defineTask, z, type TaskContext } from '@psr/core';

const runInput = z.object({
  run: z.string().min(1, 'run: must not be empty'),
  shell: z.string().min(1, 'shell: must not be empty').optional(),
});

/**
 * The validated `with:` of a `run` task.
 *
 * @example
 * ```ts
 * const input: RunTaskInput = { run: 'make build', shell: 'sh' };
 * ```
 */
export type RunTaskInput = z.output<typeof runInput>;

let implementation: Promise<typeof import('./run-command.js')> | undefined;

/**
 * Run a command with a shell, GitHub Actions style: the command is written to a temporary
 * script file and the shell template is called with `{0}` replaced by its path. Default
 * shell: `bash --noprofile --norc -eo pipefail {0}` when bash is installed, else `sh -e {0}`.
 * Without `shell:`, a single plain command line (`make build`) starts directly, without a
 * shell (see `directCommand`). Outputs are what the command wrote to `$PSR_OUTPUT`.
 *
 * @example
 * ```ts
 * // tasks: { version: { run: 'echo "version=$(cat VERSION)" >> "$PSR_OUTPUT"' } }
 * const outputs = await runTask.run(ctx, { run: 'echo "n=1" >> "$PSR_OUTPUT"' }); // { n: '1' }
 * ```
 */
export const runTask = defineTask({
  description: 'Run a shell command (bash by default; `shell:` picks another shell or a template with {0})',
  input: runInput,
  async run(ctx: TaskContext, input: RunTaskInput) {
    implementation ??= import('./run-command.js');
    return (await implementation).runCommand(ctx, input);
  },
});
