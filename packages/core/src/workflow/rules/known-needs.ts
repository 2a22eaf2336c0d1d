/**
 * knownNeeds: every `needs` entry names a task of this workflow. An entry written as `${{ }}`
 * is left to validExpressions (needs are not evaluated): one problem, one diagnostic.
 */
import { ErrorCodes } from '../../errors.js';
import { didYouMean } from '../suggest.js';
import type { WorkflowRule } from './rule.js';

export const knownNeeds: WorkflowRule = {
  name: 'knownNeeds',
  check({ workflow, report }) {
    const ids = workflow.tasks.map((t) => t.id);
    const known = new Set(ids);
    for (const task of workflow.tasks) {
      task.needs.forEach((need, i) => {
        if (known.has(need) || need.includes('${{')) return;
        const suggestion = didYouMean(need, ids.filter((id) => id !== task.id));
        report({
          code: ErrorCodes.UNKNOWN_NEEDS,
          message: `task "${task.id}" needs "${need}", which is not a task in this workflow`,
          hint: suggestion ?? `needs lists task ids from this file: ${ids.join(', ')}`,
          ...(task.needsLocations?.[i] ? { location: task.needsLocations[i] } : { path: ['tasks', task.id, 'needs'] }),
        });
      });
    }
  },
};
