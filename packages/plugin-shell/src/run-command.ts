/**
 * What a `run:` task does once it runs: pick a direct start or a shell, write the command to a
 * temporary script file when a shell is needed, and run one attempt. Imported by `runTask` on
 * its first run, so that loading the plugin to check a workflow costs no process machinery.
 */
import type { TaskContext } from '@psr/core';
import { createAttemptFiles } from './attempt-files.js';
import { directCommand } from './direct-command.js';
import type { RunTaskInput } from './run-task.js';
import { runShellAttempt } from './shell-attempt.js';
import { resolveShell, shellArgs } from './shell-command.js';

/**
 * Run a command with a shell, GitHub Actions style: the command is written to a temporary
 * script file and the shell template is called with `{0}` replaced by its path. Default
 * shell: `bash --noprofile --norc -eo pipefail {0}` when bash is installed, else `sh -e {0}`.
 * Without `shell:`, a single plain command line (`make build`) starts directly, without a
 * shell (see `directCommand`). Resolves with what the command wrote to `$PSR_OUTPUT`.
 *
 * @example
 * ```ts
 * const outputs = await runCommand(ctx, { run: 'echo "n=1" >> "$PSR_OUTPUT"' }); // { n: '1' }
 * ```
 */
export async function runCommand(ctx: TaskContext, input: RunTaskInput): Promise<Record<string, string>> {
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
}
