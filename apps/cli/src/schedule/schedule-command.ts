/**
 * `psr schedule`: the cron daemon. Each fire is an ordinary engine run with
 * `trigger: 'schedule'`, recorded in history and traced as its own trace.
 */
import { resolve } from 'node:path';
import type { RunHandle, RunResult, Workflow } from '@psr/core';
import type { LoadedWorkflow } from '../workflow-file.js';
import type { ParsedArgs } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { stateDirFor } from '../history/state-dir.js';
import { formatDuration } from '../reporters/format.js';
import { startRunTelemetry } from '../run/telemetry.js';
import { loadWorkflowFile } from '../workflow-file.js';

// Trace context of the shell that started the daemon must not make every scheduled run one trace.
const TRACE_VARIABLES = ['TRACEPARENT', 'TRACESTATE', 'BAGGAGE'];

/**
 * Run the daemon until SIGTERM/SIGINT (or print `--list` and return).
 *
 * @example
 * ```ts
 * process.exitCode = await scheduleCommand({ positionals: ['nightly.yml'], options: {} }, processIO());
 * ```
 */
export async function scheduleCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  const core = await import('@psr/core');
  const { Scheduler, nextFireTimes } = await import('@psr/scheduler');
  const loaded: Array<LoadedWorkflow & { file: string }> = [];
  for (const file of args.positionals) loaded.push({ file, ...(await loadWorkflowFile(file, io)) });
  const withSchedule = loaded.filter((l) => l.workflow.schedule.length > 0);
  for (const l of loaded) {
    if (l.workflow.schedule.length === 0) io.stderr.write(`psr: warning: ${l.file} has no on.schedule entries; ignored\n`);
  }
  if (withSchedule.length === 0) {
    throw new core.PsrError(core.ErrorCodes.USAGE, 'none of the workflows has on.schedule entries', {
      hint: 'add on: { schedule: [ { cron: "0 3 * * *" } ] } to a workflow',
    });
  }

  if (args.options['list'] === true) {
    for (const { file, workflow } of withSchedule) {
      workflow.schedule.forEach((s, i) => {
        io.stdout.write(`${workflow.name}#${i}  ${file}  cron "${s.cron}"  ${s.timezone}  overlap ${s.overlap}  catch-up ${s.catchUp}\n`);
        for (const t of nextFireTimes(s, 5)) io.stdout.write(`  ${t.toISOString()}  ${localTime(t, s.timezone)}\n`);
      });
    }
    return ExitCode.SUCCESS;
  }

  const graceMs = core.parseDuration((args.options['grace'] as string | undefined) ?? '30s');
  const secretsFlag = args.options['secrets-file'] as string | undefined;
  const secrets = await core.loadSecrets({ env: io.env, ...(secretsFlag ? { file: resolve(io.cwd, secretsFlag) } : {}) });
  const masker = new core.SecretMasker(Object.values(secrets));
  const say = (line: string): void => void io.stdout.write(`${masker.mask(line)}\n`);
  const telemetry = await startRunTelemetry(args, io);
  const { openRunStore } = await import('@psr/store-sqlite');
  const stores = new Map<string, Awaited<ReturnType<typeof openRunStore>>>();
  const storeFor = async (workflow: Workflow) => {
    const dir = stateDirFor(io, { flag: args.options['state-dir'] as string | undefined, workflowFile: workflow.file });
    let store = stores.get(dir);
    if (!store) stores.set(dir, (store = await openRunStore({ dir })));
    return store;
  };
  const env = Object.fromEntries(Object.entries(io.env).filter(([k]) => !TRACE_VARIABLES.includes(k)));

  const scheduler = new Scheduler({
    workflows: withSchedule.map((l) => l.workflow),
    // Judged per schedule entry: each one recorded its fires (recordScheduleFire below).
    async lastFiredAt(job) {
      return (await storeFor(job.workflow)).lastScheduledFire(job.workflow.file, job.schedule);
    },
    async startRun(job, fire) {
      const { registry } = loaded.find((l) => l.workflow === job.workflow)!;
      const store = await storeFor(job.workflow);
      const engine = core.createEngine({
        registry,
        observers: [store, taskLines(say)],
        ...(telemetry.tracer ? { tracer: telemetry.tracer } : {}),
      });
      const handle: RunHandle = engine.run(job.workflow, {
        secrets,
        env,
        trigger: 'schedule',
        inputs: {},
        attributes: {
          'psr.trigger': 'schedule',
          'psr.schedule.index': job.index,
          'psr.schedule.cron': job.schedule.cron,
          'psr.schedule.timezone': job.schedule.timezone,
          'psr.schedule.scheduled_at': fire.scheduledAt.toISOString(),
          ...(fire.catchUp ? { 'psr.schedule.catch_up': true } : {}),
        },
      });
      store.recordScheduleFire(handle.id, {
        index: job.index,
        cron: job.schedule.cron,
        timezone: job.schedule.timezone,
        scheduledAt: fire.scheduledAt.toISOString(),
        catchUp: fire.catchUp,
      });
      say(`${job.id}: run ${handle.id} started${fire.catchUp ? ' (catch-up for a missed fire)' : ''}`);
      const done = Promise.resolve(handle).then((result: RunResult) => {
        say(`${job.id}: run ${handle.id} ${result.status} in ${formatDuration(result.durationMs)}`);
        return result;
      });
      return { done, cancel: () => handle.cancel('scheduler shutting down') };
    },
    onEvent(event) {
      if (event.type === 'skip') say(`${event.job.id}: fire at ${event.scheduledAt.toISOString()} skipped, the previous run is still going (overlap: skip)`);
      else if (event.type === 'queue') say(`${event.job.id}: fire queued behind the running run (overlap: queue)`);
      else if (event.type === 'error') io.stderr.write(`psr: ${event.job.id}: ${masker.mask(String((event.error as Error)?.message ?? event.error))}\n`);
      else if (event.type === 'cancel-running') say(`grace period over: cancelling ${event.running} running run(s)`);
    },
  });

  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (stop = r));
  const onSignal = (): void => stop();
  io.signals.on('SIGINT', onSignal);
  io.signals.on('SIGTERM', onSignal);
  try {
    await scheduler.start();
    for (const job of scheduler.jobs()) {
      const next = nextFireTimes(job.schedule, 1)[0];
      say(`${job.id}: cron "${job.schedule.cron}" (${job.schedule.timezone}), next ${next ? next.toISOString() : 'never'}`);
    }
    say(`psr schedule: watching ${scheduler.jobs().length} schedule(s); Ctrl-C or SIGTERM to stop`);
    await stopped;
    say(`stopping: no new runs; waiting up to ${formatDuration(graceMs)} for ${scheduler.running} running run(s)`);
    await scheduler.stop({ graceMs });
    say('psr schedule: stopped');
    return ExitCode.SUCCESS;
  } finally {
    io.signals.off('SIGINT', onSignal);
    io.signals.off('SIGTERM', onSignal);
    await telemetry.shutdown();
    for (const s of stores.values()) await s.close();
  }
}

/** One line per finished task: a daemon's log should stay readable with many runs. */
function taskLines(say: (line: string) => void) {
  return {
    onTaskEnd({ run, result }: { run: { id: string }; result: { task: { id: string }; status: string; durationMs: number } }) {
      say(`  [${run.id}] ${result.task.id} ${result.status} (${formatDuration(result.durationMs)})`);
    },
  };
}

function localTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(date) + ` ${timeZone}`;
}
