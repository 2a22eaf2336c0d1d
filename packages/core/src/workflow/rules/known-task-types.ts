/** knownTaskTypes: every task has exactly one kind, and its `uses:` resolves in the registry. */
import { ErrorCodes } from '../../errors.js';
import { didYouMean } from '../suggest.js';
import type { WorkflowRule } from './rule.js';

export const knownTaskTypes: WorkflowRule = {
  name: 'knownTaskTypes',
  check({ user, workflow, document, registry, report }) {
    for (const task of workflow.tasks) {
      const written = user.tasks[task.id]!;
      // Read the kinds from the YAML, not the schema output: a `run: 12` the schema rejected
      // (and reported) still shows what the task was meant to be.
      const kinds = (['uses', 'run', 'script'] as const).filter((k) => written[k] !== undefined || document.has(['tasks', task.id, k]));
      if (kinds.length !== 1) {
        report({
          code: ErrorCodes.SCHEMA,
          message:
            kinds.length === 0
              ? `task "${task.id}" has nothing to do: it needs one of uses:, run: or script:`
              : `task "${task.id}" has ${kinds.map((k) => `${k}:`).join(' and ')}; a task has exactly one of uses:, run:, script:`,
          hint: kinds.length === 0 ? 'add `run: <command>`, `script: <file>` or `uses: <task type>`' : 'split it into separate tasks joined by needs',
          path: kinds.length === 0 ? ['tasks', task.id] : ['tasks', task.id, kinds[1]!],
          at: 'key',
        });
        continue;
      }
      const misplaced: Array<[keyof typeof written, string]> = [];
      if (kinds[0] !== 'uses' && Object.keys(written.with).length > 0) misplaced.push(['with', 'with: belongs to uses: tasks; a run:/script: task takes env: and args:']);
      if (kinds[0] !== 'script' && written.args !== undefined) misplaced.push(['args', 'args: belongs to script: tasks']);
      if (kinds[0] === 'uses' && written.shell !== undefined) misplaced.push(['shell', 'shell: belongs to run:/script: tasks']);
      for (const [key, hint] of misplaced) {
        report({ code: ErrorCodes.SCHEMA, message: `task "${task.id}": ${String(key)}: is not allowed with ${kinds[0]}:`, hint, path: ['tasks', task.id, key], at: 'key' });
      }
      // No registry, or the kind's value was rejected by the schema (already reported), or is
      // a `${{ }}` (reported by validExpressions: uses: is not evaluated).
      if (!registry || written[kinds[0]!] === undefined || task.uses.includes('${{')) continue;
      if (registry.has(task.uses)) continue;
      const providers = registry.providers(task.uses);
      const path = ['tasks', task.id, kinds[0]!];
      if (providers.length > 1) {
        report({
          code: ErrorCodes.UNKNOWN_TASK_TYPE,
          message: `task type "${task.uses}" of task "${task.id}" is provided by several plugins: ${providers.join(', ')}`,
          hint: `name the plugin: ${providers.map((p) => `uses: ${p}/${task.uses}`).join(' or ')}`,
          path,
        });
        continue;
      }
      const names = registry.taskTypeNames();
      const suggestion = didYouMean(task.uses, names);
      const builtIn = task.uses === 'run' || task.uses === 'script';
      report({
        code: ErrorCodes.UNKNOWN_TASK_TYPE,
        message: builtIn
          ? `task "${task.id}" is a ${task.uses}: task, but the built-in shell plugin (psr:shell) is not registered`
          : `unknown task type "${task.uses}" in task "${task.id}"`,
        hint: [
          suggestion,
          // Only a program embedding psr has a registry without it (the CLI registers it).
          builtIn
            ? "register it with the registry: import { shellPlugin } from '@psr/plugin-shell'; registry.register(shellPlugin, '@psr/plugin-shell')"
            : `registered task types: ${names.length > 0 ? names.join(', ') : '(none)'}; add the plugin that provides it to plugins:`,
        ]
          .filter(Boolean)
          .join(' '),
        path,
      });
    }
  },
};
