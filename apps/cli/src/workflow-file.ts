/**
 * Loading a workflow file named on the command line, with the built-in plugins available.
 */
import { isAbsolute, resolve } from 'node:path';
import type { PluginRegistry, Workflow } from '@psr/core';
import { registerBuiltins } from './builtins.js';
import type { CliIO } from './io.js';

/** A loaded workflow and the registry holding its task types. */
export interface LoadedWorkflow {
  workflow: Workflow;
  registry: PluginRegistry;
}

/**
 * The path handed to the loader: as the user typed it (so diagnostics read `wf.yml:3:5`)
 * unless the command runs in another directory than the process.
 */
export function workflowPath(file: string, io: Pick<CliIO, 'cwd'>): string {
  if (isAbsolute(file) || io.cwd === process.cwd()) return file;
  return resolve(io.cwd, file);
}

/**
 * Load and validate `file`; throws PsrError / PsrAggregateError for every problem found.
 *
 * @example
 * ```ts
 * const { workflow, registry } = await loadWorkflowFile('examples/hello/workflow.yml', io);
 * ```
 */
export async function loadWorkflowFile(file: string, io: Pick<CliIO, 'cwd'>): Promise<LoadedWorkflow> {
  const { loadWorkflow, PluginRegistry } = await import('@psr/core');
  const registry = registerBuiltins(new PluginRegistry());
  const workflow = await loadWorkflow(workflowPath(file, io), { registry });
  return { workflow, registry };
}
