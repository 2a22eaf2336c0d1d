/**
 * `psr history` and `psr show`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ParsedArgs } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { renderHistoryTable, renderRunDetail } from './render.js';
import { stateDirFor } from './state-dir.js';

async function usage(message: string, hint: string): Promise<never> {
  const { PsrError, ErrorCodes } = await import('@psr/core');
  throw new PsrError(ErrorCodes.USAGE, message, { hint });
}

async function positiveInt(value: string | undefined, flag: string, allowZero = false): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) await usage(`invalid ${flag} "${value}"`, `use a whole number${allowZero ? '' : ' of at least 1'}`);
  return n;
}

async function openStore(dir: string) {
  const { openRunStore } = await import('@psr/store-sqlite');
  return openRunStore({ dir });
}

/**
 * `psr history [workflow]` and `psr history prune [workflow] --keep N`.
 *
 * @example
 * ```ts
 * await historyCommand({ positionals: [], options: { json: true } }, io);
 * ```
 */
export async function historyCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  const prune = args.positionals[0] === 'prune';
  const workflowArg = prune ? args.positionals[1] : args.positionals[0];
  const workflowFile = workflowArg === undefined ? undefined : resolve(io.cwd, workflowArg);
  if (workflowFile && !existsSync(workflowFile)) await usage(`no such workflow file: ${workflowArg}`, 'name an existing workflow file, or omit it to list every run');
  const dir = stateDirFor(io, { flag: args.options['state-dir'] as string | undefined, ...(workflowFile ? { workflowFile } : {}) });
  if (!existsSync(join(dir, 'history.db'))) {
    if (args.options['json'] === true) io.stdout.write('[]\n');
    else io.stdout.write(`no runs recorded yet (no history in ${dir})\n`);
    return ExitCode.SUCCESS;
  }
  const store = await openStore(dir);
  try {
    if (prune) {
      const keep = await positiveInt(args.options['keep'] as string | undefined, '--keep', true);
      if (keep === undefined) await usage('psr history prune needs --keep N', 'e.g. psr history prune --keep 50');
      const deleted = store.prune({ keep: keep!, ...(workflowFile ? { workflowFile } : {}) });
      io.stdout.write(`pruned ${deleted} run(s), kept the newest ${keep}\n`);
      return ExitCode.SUCCESS;
    }
    const limit = (await positiveInt(args.options['limit'] as string | undefined, '--limit')) ?? 20;
    const runs = store.listRuns({ limit, ...(workflowFile ? { workflowFile } : {}) });
    io.stdout.write(args.options['json'] === true ? `${JSON.stringify(runs, null, 2)}\n` : renderHistoryTable(runs));
    return ExitCode.SUCCESS;
  } finally {
    await store.close();
  }
}

/**
 * `psr show <run-id>`.
 *
 * @example
 * ```ts
 * await showCommand({ positionals: ['20261122T0444'], options: {} }, io);
 * ```
 */
export async function showCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  const id = args.positionals[0]!;
  const workflowArg = args.positionals[1];
  const dir = stateDirFor(io, {
    flag: args.options['state-dir'] as string | undefined,
    ...(workflowArg ? { workflowFile: resolve(io.cwd, workflowArg) } : {}),
  });
  const missing = async (): Promise<never> =>
    usage(`no run "${id}" in ${dir}`, 'list recorded runs with `psr history`; use --state-dir for history kept elsewhere');
  if (!existsSync(join(dir, 'history.db'))) return missing();
  const store = await openStore(dir);
  try {
    // `last`, as for `psr run --resume last`: the newest run (of the named workflow, when given).
    const lastId = id === 'last' ? store.listRuns({ ...(workflowArg ? { workflowFile: resolve(io.cwd, workflowArg) } : {}), limit: 1 })[0]?.id : undefined;
    const run = id === 'last' ? lastId && store.getRunSync(lastId) : store.getRunSync(id);
    if (!run) return await missing();
    if (args.options['json'] === true) {
      const { workflow, ...info } = run.run;
      io.stdout.write(`${JSON.stringify({ ...run, run: { ...info, workflow: { name: workflow.name, file: workflow.file, hash: workflow.hash } } }, null, 2)}\n`);
    } else {
      io.stdout.write(renderRunDetail(run));
    }
    return ExitCode.SUCCESS;
  } finally {
    await store.close();
  }
}
