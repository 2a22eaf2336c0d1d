/**
 * The public `loadWorkflow`: imports the loader (and with it `yaml`, the heaviest module of
 * psr's start-up) only when a workflow is actually loaded, so `psr --version` stays fast.
 */
import type { Workflow } from '../model.js';
import type { LoadWorkflowOptions, WorkflowSource } from './load.js';

/**
 * Load a workflow: read it, parse the YAML (keeping positions), check it against the schema,
 * normalise it (defaults, durations in ms), load its plugins into `options.registry`, and run
 * every semantic check (ids, needs, cycles, task types, expressions, durations, matrix, cron,
 * inputs, each task's `with:` against its task type's schema).
 *
 * `source` is a path, YAML text (any string containing a newline), or `{ text, file }` where
 * `file` names the text in messages and anchors relative paths.
 *
 * Rejects with a `PsrAggregateError` (`code` of the first problem, `problems` with every
 * problem as `file:line:col` diagnostics) when anything is wrong.
 *
 * @example
 * ```ts
 * import { loadWorkflow, PluginRegistry, formatDiagnostic, PsrAggregateError } from '@psr/core';
 *
 * const registry = new PluginRegistry();
 * registry.register(shellPlugin, 'psr:shell');
 * try {
 *   const workflow = await loadWorkflow('workflows/ci.yml', { registry });
 *   console.log(workflow.tasks.map((t) => t.id));
 * } catch (err) {
 *   if (err instanceof PsrAggregateError) for (const p of err.problems) console.error(formatDiagnostic(p));
 * }
 * ```
 */
export async function loadWorkflow(source: WorkflowSource, options: LoadWorkflowOptions = {}): Promise<Workflow> {
  const loader = await import('./load.js');
  return loader.loadWorkflow(source, options);
}

/**
 * The JSON Schema (draft 2020-12) of workflow files, as published in
 * `@psr/core/schema/workflow.schema.json`; generated from the same zod schema the loader uses.
 *
 * @example
 * ```ts
 * const schema = await workflowJsonSchema();
 * Object.keys(schema.properties as object); // ['$schema', 'version', 'name', …, 'tasks']
 * ```
 */
export async function workflowJsonSchema(): Promise<Record<string, unknown>> {
  const { buildWorkflowJsonSchema } = await import('./json-schema.js');
  return buildWorkflowJsonSchema();
}
