/** hasTasks: a workflow has at least one task (an empty `tasks:` is almost always a mistake). */
import { ErrorCodes } from '../../errors.js';
import type { WorkflowRule } from './rule.js';

export const hasTasks: WorkflowRule = {
  name: 'hasTasks',
  check({ workflow, report }) {
    if (workflow.tasks.length > 0) return;
    report({
      code: ErrorCodes.SCHEMA,
      message: 'the workflow has no tasks',
      hint: 'add one under tasks:, e.g. tasks: { hello: { run: echo hello } }',
      path: ['tasks'],
      at: 'key',
    });
  },
};
