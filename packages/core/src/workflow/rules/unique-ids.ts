/** uniqueIds: task ids, matrix instance ids and `needs` entries are each unique. */
import { isMap, isPair, isScalar } from 'yaml';
import { ErrorCodes } from '../../errors.js';
import { expandMatrix, matrixInstanceId } from '../matrix.js';
import type { WorkflowRule } from './rule.js';

export const uniqueIds: WorkflowRule = {
  name: 'uniqueIds',
  check({ document, workflow, report }) {
    // Duplicate keys under `tasks:` are left to this rule by the YAML stage, so they get
    // their own code and point back at the first definition.
    const tasks = document.nodeAt(['tasks']);
    if (isMap(tasks)) {
      const seen = new Map<string, number>();
      for (const item of tasks.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const id = String(item.key.value);
        const offset = item.key.range?.[0] ?? 0;
        const first = seen.get(id);
        if (first === undefined) {
          seen.set(id, offset);
          continue;
        }
        report({
          code: ErrorCodes.DUPLICATE_ID,
          message: `duplicate task id "${id}" (first defined at line ${document.locationAt(first).line})`,
          hint: 'task ids must be unique: rename one of the tasks',
          location: document.locationAt(offset, item.key.range?.[1]),
        });
      }
    }

    for (const task of workflow.tasks) {
      const seenNeeds = new Set<string>();
      task.needs.forEach((need, i) => {
        if (seenNeeds.has(need)) {
          report({
            code: ErrorCodes.DUPLICATE_ID,
            message: `task "${task.id}" lists "${need}" in needs twice`,
            hint: 'remove the repeated entry',
            path: ['tasks', task.id, 'needs', i],
          });
        }
        seenNeeds.add(need);
      });
      if (!task.matrix || task.matrix.expressions) continue; // a dynamic matrix is checked when it expands
      const instances = new Set<string>();
      for (const combo of expandMatrix(task.matrix)) {
        const id = matrixInstanceId(task.id, combo);
        if (instances.has(id)) {
          report({
            code: ErrorCodes.DUPLICATE_ID,
            message: `matrix of "${task.id}" produces the instance "${id}" twice`,
            hint: 'an include entry repeats a combination the axes already produce; remove it or add a distinguishing key',
            path: ['tasks', task.id, 'strategy', 'matrix'],
            at: 'key',
          });
        }
        instances.add(id);
      }
    }
  },
};
