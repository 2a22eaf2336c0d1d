/**
 * Run history for `psr run`: the SQLite store as an observer, `--resume`, and `--keep`.
 * History is on by default (`--no-history` turns it off); the store is imported lazily.
 */
import type { TaskOutputs, Workflow } from '@psr/core';
import type { SqliteRunStore } from '@psr/store-sqlite';
import type { ParsedArgs } from '../command.js';
import type { CliIO } from '../io.js';
import { stateDirFor, stateDirOption } from '../history/state-dir.js';

/** The `psr run` options about history. */
export const historyOptions = [
  stateDirOption,
  { name: 'no-history', type: 'boolean', description: 'Do not record this run in the history database' },
  {
    name: 'resume',
    type: 'string',
    valueName: 'run-id',
    description: 'Re-run only the tasks of an earlier run that failed, were skipped or cancelled (`last` for the newest run)',
  },
  { name: 'keep', type: 'string', valueName: 'n', description: 'After the run, keep only the newest n runs of this workflow' },
] as const;

/** History set up for one run. */
export interface RunHistory {
  store?: SqliteRunStore;
  /** Set when resuming: what the engine must not run again, and the inputs to run with. */
  resume?: { runId: string; reuse: Record<string, TaskOutputs>; inputs: Record<string, string | number | boolean> };
  /** Apply `--keep` and close the store. */
  finish(): Promise<void>;
}

async function fail(code: 'USAGE' | 'RESUME', message: string, hint: string): Promise<never> {
  const { PsrError, ErrorCodes } = await import('@psr/core');
  throw new PsrError(ErrorCodes[code], message, { hint });
}

/**
 * Open the history store for `workflow` and work out a resume plan when `--resume` is given.
 *
 * @example
 * ```ts
 * const history = await openRunHistory(args, io, workflow, rawInputs);
 * createEngine({ registry, observers: [reporter, ...(history.store ? [history.store] : [])] });
 * ```
 */
export async function openRunHistory(
  args: ParsedArgs,
  io: CliIO,
  workflow: Workflow,
  explicitInputs: Record<string, string>,
): Promise<RunHistory> {
  const resumeId = args.options['resume'] as string | undefined;
  const keepFlag = args.options['keep'] as string | undefined;
  const keep = keepFlag === undefined ? undefined : Number(keepFlag);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) await fail('USAGE', `invalid --keep "${keepFlag}"`, 'use a whole number of runs, at least 1');
  if (args.options['no-history'] === true) {
    if (resumeId) await fail('USAGE', '--resume needs the run history, but --no-history was given', 'drop --no-history');
    return { finish: async () => undefined };
  }

  const dir = stateDirFor(io, { flag: args.options['state-dir'] as string | undefined, workflowFile: workflow.file });
  const { openRunStore, planResume } = await import('@psr/store-sqlite');
  const store = await openRunStore({ dir });
  const finish = async (): Promise<void> => {
    try {
      if (keep !== undefined) store.prune({ keep, workflowFile: workflow.file });
    } finally {
      await store.close();
    }
  };
  if (!resumeId) return { store, finish };

  try {
    const id = resumeId === 'last' ? store.lastRun(workflow.file)?.id : resumeId;
    const stored = id === undefined ? undefined : store.getRunSync(id);
    if (!stored) {
      await fail('RESUME', `no run "${resumeId}" of ${workflow.file} in ${dir}`, 'list runs with `psr history <workflow>`');
    }
    const plan = planResume(stored!, workflow);
    for (const [name, value] of Object.entries(explicitInputs)) {
      if (String(plan.inputs[name]) !== value) {
        await fail('RESUME', `--input ${name}=${value} differs from the resumed run's ${name}=${String(plan.inputs[name])}`, 'a resume runs with the same inputs; start a fresh run to change them');
      }
    }
    return { store, finish, resume: { runId: stored!.run.id, reuse: plan.reuse, inputs: plan.inputs } };
  } catch (error) {
    await store.close();
    throw error;
  }
}
