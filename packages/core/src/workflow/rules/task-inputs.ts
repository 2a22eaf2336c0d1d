/**
 * taskInputs: each task's `with:` matches the input schema of its task type (when the type
 * resolves in the registry). Keys whose value holds a `${{ }}` expression are only known at
 * run time, so problems under them are left to the engine.
 */
import { ErrorCodes } from '../../errors.js';
import type { PathSegment } from '../document.js';
import { schemaProblems } from '../schema-issues.js';
import type { WorkflowRule } from './rule.js';

export const taskInputs: WorkflowRule = {
  name: 'taskInputs',
  check({ workflow, user, registry, document, report }) {
    if (!registry) return;
    for (const task of workflow.tasks) {
      const resolved = registry.resolve(task.uses);
      if (!resolved) continue;
      const result = resolved.taskType.input.safeParse(task.with);
      if (result.success) continue;
      const written = user.tasks[task.id]!;
      // run:/script: tasks have no `with:`; their input comes from their own keys.
      const inline = written.uses === undefined;
      const issues = result.error.issues.filter((i) => i.path.length === 0 || !hasDeepExpression(task.with[String(i.path[0])]));
      const yamlPath = (p: readonly PathSegment[]): PathSegment[] => (inline ? ['tasks', task.id, p.length > 0 ? p[0]! : task.uses] : ['tasks', task.id, 'with', ...p]);
      const problems = schemaProblems(issues, {
        schema: resolved.taskType.input,
        valueAt: (p) => valueAt(task.with, p),
        sourceAt: (p) => document.plainScalarText(yamlPath(p)),
        rootName: inline ? `task "${task.id}"` : 'with:',
      });
      for (const p of problems) {
        const path = yamlPath(p.path);
        report({
          code: ErrorCodes.TASK_INPUT,
          message: `task "${task.id}" (${task.uses})${inline ? "" : " with:"} ${p.message}`,
          hint: p.hint ?? `task type "${resolved.name}" from ${resolved.plugin.name}: ${resolved.taskType.description}`,
          path,
          ...(p.at ? { at: p.at } : {}),
        });
      }
    }
  },
};

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(seg)];
  }
  return v;
}

function hasDeepExpression(value: unknown): boolean {
  if (typeof value === 'string' && value.includes('${{')) return true;
  if (Array.isArray(value)) return value.some(hasDeepExpression);
  if (value && typeof value === 'object') return Object.values(value).some(hasDeepExpression);
  return false;
}
