import { ErrorCodes, PsrError, type TaskOutputs, type Workflow } from '@psr/core';
import type { StoredRunDetail } from './sqlite-run-store.js';
import { taskSpecHashes } from './spec-hash.js';

/** What `psr run --resume` hands the engine. */
export interface ResumePlan {
  /** Instance id → recorded outputs of the task instances that are not run again. */
  reuse: Record<string, TaskOutputs>;
  /** Inputs of the resumed run (a resume runs with the same inputs). */
  inputs: StoredRunDetail['run']['inputs'];
  /** Task instances that will run again (failed, skipped, cancelled, or never reached). */
  rerun: string[];
}

/**
 * Decide what a resume may reuse. Succeeded task instances keep their outputs; everything
 * else runs again. Reuse is refused when the workflow changed a task that succeeded (its
 * command, input, env or needs), because its recorded outputs may no longer be what it
 * would produce, or when the run is still going.
 *
 * @example
 * ```ts
 * const stored = store.getRunSync(runId)!;
 * const plan = planResume(stored, workflow);
 * engine.run(workflow, { inputs: plan.inputs, reuse: plan.reuse, resumedFrom: stored.run.id, trigger: 'resume' });
 * ```
 */
export function planResume(stored: StoredRunDetail, workflow: Workflow): ResumePlan {
  if (stored.storedStatus === 'running') {
    throw new PsrError(ErrorCodes.RESUME, `run ${stored.run.id} is still running`, {
      hint: 'wait for it to finish (or stop it) before resuming it',
    });
  }
  if (stored.run.workflow.file !== workflow.file) {
    throw new PsrError(ErrorCodes.RESUME, `run ${stored.run.id} is a run of ${stored.run.workflow.file}, not of ${workflow.file}`, {
      hint: 'resume a run with the workflow file it ran',
    });
  }
  const now = taskSpecHashes(workflow);
  const changed: string[] = [];
  const reuse: Record<string, TaskOutputs> = {};
  const rerun: string[] = [];
  for (const t of stored.tasks) {
    const succeeded = t.status === 'success' && !t.continuedOnError;
    if (!succeeded) {
      rerun.push(t.task.id);
      continue;
    }
    const before = stored.taskSpecs[t.task.taskId];
    if (now[t.task.taskId] === undefined) continue; // removed: nothing can need it any more
    if (before !== now[t.task.taskId]) {
      changed.push(t.task.taskId);
      continue;
    }
    reuse[t.task.id] = t.outputs;
  }
  if (changed.length > 0) {
    const names = [...new Set(changed)].join(', ');
    throw new PsrError(
      ErrorCodes.RESUME,
      `cannot resume run ${stored.run.id}: task(s) that succeeded have changed since: ${names}`,
      { hint: 'their recorded outputs may be stale; start a fresh run (psr run without --resume)' },
    );
  }
  return { reuse, inputs: stored.run.inputs, rerun };
}
