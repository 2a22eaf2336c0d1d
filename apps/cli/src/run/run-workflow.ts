/**
 * `psr run`: load, check inputs and secrets, run with a reporter, map the result to an exit code.
 */
import { resolve } from 'node:path';
import type { RunResult } from '@psr/core';
import type { ParsedArgs } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { formatDiagnostics } from '../render-error.js';
import type { CliIO } from '../io.js';
import { createJsonReporter } from '../reporters/json.js';
import { createLiveReporter } from '../reporters/live.js';
import { createPlainReporter } from '../reporters/plain.js';
import type { Reporter } from '../reporters/reporter.js';
import { loadWorkflowFile } from '../workflow-file.js';
import { watchInterrupts } from './interrupts.js';
import { openRunHistory } from './history.js';
import { startRunTelemetry } from './telemetry.js';

/** After a second Ctrl-C, wait at most this long for the run to settle before exiting anyway. */
const KILL_SETTLE_MS = 5000;

async function usageError(message: string, hint: string): Promise<never> {
  const { PsrError, ErrorCodes } = await import('@psr/core');
  throw new PsrError(ErrorCodes.USAGE, message, { hint });
}

/** `--input k=v` values as a record; the engine coerces them to the declared types. */
export async function parseInputFlags(values: readonly string[]): Promise<Record<string, string>> {
  const inputs: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) await usageError(`invalid --input "${v}"`, 'write --input name=value');
    inputs[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return inputs;
}

async function parseConcurrency(value: string | undefined): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) await usageError(`invalid -j/--concurrency "${value}"`, 'use a whole number of tasks, at least 1 (e.g. -j 4)');
  return n;
}

/** The reporter for this terminal: NDJSON with --json, live on an interactive terminal, else plain lines. */
export function pickReporter(io: CliIO, json: boolean, mask: (s: string) => string): Reporter {
  if (json) return createJsonReporter(io.stdout, mask);
  const forced = io.env['PSR_REPORTER'];
  const ci = io.env['CI'];
  const inCI = ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
  const live = forced ? forced === 'live' : io.stdout.isTTY === true && !inCI && io.env['TERM'] !== 'dumb';
  return live ? createLiveReporter(io, mask) : createPlainReporter(io, mask);
}

/** Exit code of a finished run. */
export function exitCodeOf(result: RunResult, interrupted: boolean): number {
  if (interrupted) return ExitCode.INTERRUPTED;
  return result.status === 'success' ? ExitCode.SUCCESS : ExitCode.TASK_FAILED;
}

/**
 * Run the workflow named in `args`.
 *
 * @example
 * ```ts
 * const code = await runWorkflow({ positionals: ['wf.yml'], options: { json: true } }, io);
 * ```
 */
export async function runWorkflow(args: ParsedArgs, io: CliIO): Promise<number> {
  const file = args.positionals[0]!;
  const rawInputs = await parseInputFlags((args.options['input'] as string[] | undefined) ?? []);
  const concurrency = await parseConcurrency(args.options['concurrency'] as string | undefined);
  const secretsFlag = args.options['secrets-file'] as string | undefined;
  const secretsFile = secretsFlag === undefined ? undefined : resolve(io.cwd, secretsFlag);

  const core = await import('@psr/core');
  const { workflow, registry } = await loadWorkflowFile(file, io);
  const history = await openRunHistory(args, io, workflow, rawInputs);
  const inputs = core.resolveInputs(workflow, history.resume?.inputs ?? rawInputs);
  const secrets = await core.loadSecrets({ env: io.env, ...(secretsFile ? { file: secretsFile } : {}) });
  const masker = new core.SecretMasker(Object.values(secrets));
  const mask = (s: string): string => masker.mask(s);

  const reporter = pickReporter(io, args.options['json'] === true, mask);
  const telemetry = await startRunTelemetry(args, io);
  const engine = core.createEngine({
    registry,
    observers: history.store ? [reporter, history.store] : [reporter],
    ...(telemetry.tracer ? { tracer: telemetry.tracer } : {}),
  });
  const handle = engine.run(workflow, {
    inputs,
    secrets,
    env: { ...io.env },
    trigger: history.resume ? 'resume' : 'manual',
    ...(history.resume ? { reuse: history.resume.reuse, resumedFrom: history.resume.runId } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(args.options['fail-fast'] === true ? { failFast: true } : {}),
  });
  const watch = watchInterrupts(handle, io.signals, (m) => reporter.notice(m));
  try {
    const settled = Promise.resolve(handle).then((result) => ({ result }));
    const killedTimeout = watch.killed.then(() => new Promise<{ result?: undefined }>((r) => setTimeout(() => r({}), KILL_SETTLE_MS).unref()));
    const { result } = await Promise.race([settled, killedTimeout]);
    reporter.close(result);
    if (!result) return ExitCode.INTERRUPTED;
    if (result.observerErrors?.length) {
      io.stderr.write(`psr: ${result.observerErrors.length} observer error(s) during the run:\n${await formatDiagnostics(result.observerErrors, io.cwd)}\n`);
    }
    return exitCodeOf(result, watch.interrupted);
  } catch (error) {
    reporter.close();
    throw error;
  } finally {
    watch.dispose();
    // Flush the trace and close the history even when the run failed or was interrupted.
    await telemetry.shutdown();
    await history.finish();
  }
}
