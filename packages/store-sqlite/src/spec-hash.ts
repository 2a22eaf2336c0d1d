import { createHash } from 'node:crypto';
import type { TaskSpec, Workflow } from '@psr/core';

/**
 * A hash of what a task does, without where it is written: moving a task in the file
 * keeps its hash, changing its command, input, env or needs does not.
 */
export function taskSpecHash(task: TaskSpec): string {
  const { location: _location, needsLocations: _needsLocations, ...meaning } = task;
  return createHash('sha256').update(stableJson(meaning)).digest('hex').slice(0, 16);
}

/** Task id → spec hash for every task of a workflow. */
export function taskSpecHashes(workflow: Workflow): Record<string, string> {
  return Object.fromEntries(workflow.tasks.map((t) => [t.id, taskSpecHash(t)]));
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
