/**
 * Fires workflow runs on `on.schedule` cron entries. The scheduler only decides *when*;
 * starting, recording and tracing a run is the caller's `startRun` (the CLI starts an
 * engine run with `trigger: 'schedule'`). Cron parsing, timezones and DST are croner's.
 */
import { Cron } from 'croner';
import type { ScheduleSpec, Workflow } from '@psr/core';

/** One schedule entry of one workflow. */
export interface ScheduledJob {
  workflow: Workflow;
  schedule: ScheduleSpec;
  /** Position of the entry in `on.schedule` (a workflow may have several). */
  index: number;
  /** `<workflow name>#<index>`, unique within a scheduler. */
  id: string;
}

/** Why a run is being started. */
export interface FireInfo {
  /** The cron time this run is for. */
  scheduledAt: Date;
  /** True for the one run `catch-up: last` starts for a fire missed while the daemon was down. */
  catchUp: boolean;
}

/** A started run, as the scheduler needs to see it. */
export interface ScheduledRun {
  /** Settles when the run has ended (its result is not the scheduler's business). */
  done: Promise<unknown>;
  /** Cancel gracefully (called when the shutdown grace period runs out). */
  cancel(): void;
}

/** What the scheduler did, for logs. */
export type SchedulerEvent =
  | { type: 'fire'; job: ScheduledJob; fire: FireInfo }
  | { type: 'skip'; job: ScheduledJob; scheduledAt: Date; reason: 'overlap' }
  | { type: 'queue'; job: ScheduledJob; scheduledAt: Date }
  | { type: 'error'; job: ScheduledJob; error: unknown }
  | { type: 'stopping'; running: number }
  | { type: 'cancel-running'; running: number };

/** Options of {@link Scheduler}. */
export interface SchedulerOptions {
  workflows: Workflow[];
  /** Start one run; may be async. A throw is reported as an `error` event, the daemon goes on. */
  startRun(job: ScheduledJob, fire: FireInfo): ScheduledRun | Promise<ScheduledRun>;
  /** When this schedule entry last fired (from run history), to judge its `catch-up`. */
  lastFiredAt?(job: ScheduledJob): Date | undefined | Promise<Date | undefined>;
  onEvent?(event: SchedulerEvent): void;
}

interface JobState {
  job: ScheduledJob;
  cron: Cron;
  running: Set<ScheduledRun>;
  /** `queue` overlap: the one pending fire, if any. */
  pending?: FireInfo;
}

/**
 * A daemon that fires runs for every schedule entry of the given workflows.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler({
 *   workflows: [workflow],
 *   startRun: (job, fire) => {
 *     const handle = engine.run(job.workflow, { trigger: 'schedule', attributes: { 'psr.schedule.cron': job.schedule.cron } });
 *     return { done: Promise.resolve(handle), cancel: () => handle.cancel() };
 *   },
 * });
 * await scheduler.start();
 * process.once('SIGTERM', () => scheduler.stop({ graceMs: 30_000 }));
 * ```
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #states: JobState[] = [];
  #stopped = false;
  #starting = new Set<Promise<unknown>>();

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  /** Every schedule entry of the workflows. */
  jobs(): ScheduledJob[] {
    return this.#options.workflows.flatMap((workflow) =>
      workflow.schedule.map((schedule, index) => ({ workflow, schedule, index, id: `${workflow.name}#${index}` })),
    );
  }

  /** Start the cron timers, after running the catch-up fires that history calls for. */
  async start(now: Date = new Date()): Promise<void> {
    for (const job of this.jobs()) {
      const state: JobState = {
        job,
        running: new Set(),
        cron: new Cron(job.schedule.cron, { timezone: job.schedule.timezone, paused: true, catch: false }, () => {
          this.#fire(state, { scheduledAt: new Date(), catchUp: false });
        }),
      };
      this.#states.push(state);
      if (job.schedule.catchUp === 'last') {
        const last = await this.#options.lastFiredAt?.(job);
        const missed = last ? state.cron.nextRun(last) : null;
        if (missed && missed.getTime() <= now.getTime()) {
          // The newest missed fire time, not the first: one catch-up run stands for all of them.
          const newest = state.cron.previousRuns(1, now)[0] ?? missed;
          this.#fire(state, { scheduledAt: newest, catchUp: true });
        }
      }
    }
    if (!this.#stopped) for (const s of this.#states) s.cron.resume();
  }

  /** Number of runs in flight. */
  get running(): number {
    return this.#states.reduce((n, s) => n + s.running.size, 0);
  }

  /**
   * Stop firing, let running runs finish within `graceMs`, then cancel the rest and wait
   * for them to settle. Pending (queued) fires are dropped.
   */
  async stop(options: { graceMs: number }): Promise<void> {
    this.#stopped = true;
    for (const s of this.#states) {
      s.cron.stop();
      delete s.pending;
    }
    await Promise.allSettled([...this.#starting]);
    const all = () => this.#states.flatMap((s) => [...s.running]);
    this.#options.onEvent?.({ type: 'stopping', running: all().length });
    if (all().length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>((resolve) => {
      timer = setTimeout(() => resolve('grace-over'), options.graceMs);
    });
    const outcome = await Promise.race([Promise.allSettled(all().map((r) => r.done)), graceOver]);
    clearTimeout(timer);
    if (outcome === 'grace-over') {
      const left = all();
      this.#options.onEvent?.({ type: 'cancel-running', running: left.length });
      for (const r of left) r.cancel();
      await Promise.allSettled(left.map((r) => r.done));
    }
  }

  #fire(state: JobState, fire: FireInfo): void {
    if (this.#stopped) return;
    const { job } = state;
    if (state.running.size > 0 && job.schedule.overlap !== 'allow') {
      if (job.schedule.overlap === 'queue') {
        state.pending = fire;
        this.#options.onEvent?.({ type: 'queue', job, scheduledAt: fire.scheduledAt });
      } else {
        this.#options.onEvent?.({ type: 'skip', job, scheduledAt: fire.scheduledAt, reason: 'overlap' });
      }
      return;
    }
    this.#options.onEvent?.({ type: 'fire', job, fire });
    const starting = (async () => {
      let run: ScheduledRun;
      try {
        run = await this.#options.startRun(job, fire);
      } catch (error) {
        this.#options.onEvent?.({ type: 'error', job, error });
        return;
      }
      state.running.add(run);
      void run.done
        .catch((error: unknown) => this.#options.onEvent?.({ type: 'error', job, error }))
        .finally(() => {
          state.running.delete(run);
          const next = state.pending;
          if (next && !this.#stopped) {
            delete state.pending;
            this.#fire(state, next);
          }
        });
    })();
    this.#starting.add(starting);
    void starting.finally(() => this.#starting.delete(starting));
  }
}

/**
 * The next `count` fire times of a schedule entry after `from`.
 *
 * @example
 * ```ts
 * nextFireTimes({ cron: '0 3 * * *', timezone: 'Europe/Berlin', overlap: 'skip', catchUp: 'none' }, 5);
 * ```
 */
export function nextFireTimes(schedule: ScheduleSpec, count: number, from: Date = new Date()): Date[] {
  const cron = new Cron(schedule.cron, { timezone: schedule.timezone, paused: true });
  try {
    return cron.nextRuns(count, from);
  } finally {
    cron.stop();
  }
}
