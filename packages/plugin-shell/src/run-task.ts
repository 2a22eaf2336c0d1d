/**
 * The `run` task type: what `run: <command>` (and an optional `shell:`) in a workflow becomes.
 */
import { defineTask, z } from '@psr/core';
import { createAttemptFiles } from './attempt-files.js';
import { directCommand } from './direct-command.js';
import { runShellAttempt } from './shell-attempt.js';
import { resolveShell, shellArgs } from './shell-command.js';

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
  input: z.object({
    run: z.string().min(1, 'run: must not be empty'),
    shell: z.string().min(1, 'shell: must not be empty').optional(),
  }),
  async run(ctx, input) {
    const direct = input.shell === undefined ? directCommand(input.run, ctx.env.PATH) : undefined;
    if (direct) return runShellAttempt(ctx, { ...direct, env: { PWD: ctx.workdir } }, await createAttemptFiles());
    const shell = resolveShell(input.shell, ctx.env.PATH);
    const files = await createAttemptFiles();
    let scriptPath: string;
    try {
      scriptPath = await files.writeScript(input.run, shell.extension);
    } catch (error) {
      await files.remove();
      throw error;
    }
    return runShellAttempt(ctx, { program: shell.program, args: shellArgs(shell, scriptPath) }, files);
  },
});
