/**
 * The `script` task type: what `script: <path>` (with `args:` and an optional `shell:`) becomes.
 * This module holds only the definition (description and input schema); the implementation
 * (`run-script.ts`, with child processes and temporary files) is imported on the first run,
 * so `psr validate` and every other load of the plugin skip it.
 */
import { defineTask, z, type TaskContext } from '@psr/core';

const scriptInput = z.object({
  script: z.string().min(1, 'script: must not be empty'),
  args: z
    .array(z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v)))
    .default([]),
  shell: z.string().min(1, 'shell: must not be empty').optional(),
});

/**
 * The validated `with:` of a `script` task (`args` converted to strings, `[]` by default).
 *
 * @example
 * ```ts
 * const input: ScriptTaskInput = { script: 'scripts/report.py', args: ['--count', '3'] };
 * ```
 */
export type ScriptTaskInput = z.output<typeof scriptInput>;

let implementation: Promise<typeof import('./run-script.js')> | undefined;

/**
 * Run a script file with the interpreter its extension implies: `.py` → python3 (else python),
 * `.js`/`.mjs`/`.cjs` → node, `.ts`/`.mts`/`.cts` → node with tsx, `.sh` → bash (else sh),
 * `.bash` → bash; an executable file with another extension runs directly (its `#!` line
 * decides). `shell:` overrides the choice. `args:` are passed as separate arguments, never
 * re-parsed by a shell.
 *
 * @example
 * ```ts
 * // tasks: { report: { script: 'scripts/report.py', args: ['--count', '3'] } }
 * const outputs = await scriptTask.run(ctx, { script: 'scripts/report.py', args: ['--count', '3'] });
 * ```
 */
export const scriptTask = defineTask({
  description: 'Run a script file; the interpreter follows the extension (.py .js .mjs .cjs .ts .mts .sh) or `shell:`',
  input: scriptInput,
  async run(ctx: TaskContext, input: ScriptTaskInput) {
    implementation ??= import('./run-script.js');
    return (await implementation).runScript(ctx, input);
  },
});
