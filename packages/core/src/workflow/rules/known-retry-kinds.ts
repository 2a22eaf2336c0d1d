/**
 * knownRetryKinds: a task's `retry.on` names only failure kinds its task type can give, when
 * the task type lists them (`failureKinds`). `on: [network]` on a scan task, whose network
 * failures are kind `source`, would never retry anything, and nothing would say so.
 */
import { ErrorCodes } from '../../errors.js';
import { NEVER_RETRIED_KINDS } from '../../engine/RetryPolicy.js';
import { didYouMean } from '../suggest.js';
import type { WorkflowRule } from './rule.js';

/** Kinds the engine itself gives any task: a timed-out attempt, a crash of the task's code. */
const ENGINE_KINDS: readonly string[] = ['timeout', 'error'];

export const knownRetryKinds: WorkflowRule = {
  name: 'knownRetryKinds',
  check({ workflow, user, registry, report }) {
    for (const task of workflow.tasks) {
      // Only the task's own retry: `defaults.retry.on` is shared by tasks of every type.
      const retry = user.tasks[task.id]?.retry;
      const on = typeof retry === 'object' && retry !== null ? retry.on : undefined;
      if (!on) continue;
      const kinds = registry?.resolve(task.uses)?.taskType.failureKinds;
      const known = kinds ? [...kinds, ...ENGINE_KINDS] : undefined;
      on.forEach((entry, i) => {
        if (typeof entry !== 'string') return;
        const path = ['tasks', task.id, 'retry', 'on', i];
        if (NEVER_RETRIED_KINDS.includes(entry)) {
          report({ code: ErrorCodes.SCHEMA, message: `task "${task.id}" retry.on: "${entry}" failures are never retried`, hint: 'another attempt cannot change them: remove it', path });
        } else if (kinds && known && !known.includes(entry)) {
          const suggestion = didYouMean(entry, known);
          report({
            code: ErrorCodes.SCHEMA,
            message: `task "${task.id}" retry.on: "${entry}" is not a failure kind of ${task.uses}: nothing would be retried for it`,
            hint: `${task.uses} fails as ${kinds.map((k) => `"${k}"`).join(', ')}, any task as "timeout" or "error"${suggestion ? `; ${suggestion}` : ''}`,
            path,
          });
        }
      });
    }
  },
};
