/**
 * Run history on embedded SQLite (better-sqlite3, WAL mode). The writes of one event-loop
 * turn are committed together in one transaction at the end of that turn (a commit per event
 * cost more than the rest of a no-op task), so a psr killed at any moment leaves a readable,
 * consistent store that lacks at most the events of its last turn; a run still marked
 * `running` whose process is gone is marked `interrupted` the next time the store opens.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { isPsrError, PsrError } from '@psr/core';
import type {
  AttemptResult,
  RunEvent,
  RunInfo,
  RunResult,
  RunStore,
  StoredRun,
  TaskResult,
  Workflow,
} from '@psr/core';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { taskSpecHashes } from './spec-hash.js';

type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/** Options of {@link openRunStore}. */
export interface OpenRunStoreOptions {
  /** Folder of the database (`.psr/` beside the workflow by default in the CLI). */
  dir: string;
  /** File name inside `dir`; default `history.db`. */
  fileName?: string;
}

/** The `on.schedule` entry a scheduled run was fired for. */
export interface ScheduleFire {
  /** Position of the entry in `on.schedule`. */
  index: number;
  cron: string;
  /** IANA timezone of the entry. */
  timezone: string;
  /** The fire time the run is for (ISO 8601). */
  scheduledAt: string;
  /** True for a `catch-up: last` run, started for a fire missed while the daemon was down. */
  catchUp: boolean;
}

/** One line of `psr history`. */
export interface RunSummary {
  id: string;
  workflowName: string;
  workflowFile: string;
  status: StoredRun['storedStatus'];
  trigger: string;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  traceId?: string;
  resumedFrom?: string;
  /** For a scheduled run: the schedule entry and fire time it ran for. */
  schedule?: ScheduleFire;
  tasks: { total: number; success: number; failure: number; skipped: number; cancelled: number };
}

/** Filters of {@link SqliteRunStore.listRuns}. */
export interface ListRunsOptions {
  /** Only runs of this workflow file (absolute path). */
  workflowFile?: string;
  /** Newest first, at most this many (default 50). */
  limit?: number;
}

/** A stored run plus what is needed to resume it. */
export interface StoredRunDetail extends StoredRun {
  /** Task id → spec hash at the time of the run. */
  taskSpecs: Record<string, string>;
  /** For a scheduled run: the schedule entry and fire time it ran for. */
  schedule?: ScheduleFire;
}

/**
 * Open (creating if needed) the history database in `dir`.
 *
 * @example
 * ```ts
 * const store = await openRunStore({ dir: '.psr' });
 * const engine = createEngine({ registry, observers: [store] });
 * await engine.run(workflow);
 * console.log(store.listRuns({ limit: 5 }));
 * await store.close();
 * ```
 */
export async function openRunStore(options: OpenRunStoreOptions): Promise<SqliteRunStore> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const path = resolve(join(options.dir, options.fileName ?? 'history.db'));
  let db: Database.Database | undefined;
  try {
    mkdirSync(options.dir, { recursive: true });
    db = new BetterSqlite3(path, { timeout: 10_000 });
    return new SqliteRunStore(db, path);
  } catch (error) {
    db?.close();
    if (isPsrError(error)) throw error;
    // A damaged, foreign or unreachable file is the user's to fix, not a bug in psr.
    const why = (error as { code?: string; message?: string }).code ?? '';
    throw new PsrError(HistoryErrorCodes.UNREADABLE, `cannot open the run history ${path}: ${(error as Error)?.message ?? String(error)}`, {
      hint: /NOTADB|CORRUPT/.test(why)
        ? `the file is not a psr history database (or is damaged): move it aside (mv ${path} ${path}.bad) and psr starts a new one`
        : 'check that the folder exists and is writable, or pick another one with --state-dir (or run with --no-history)',
      cause: error,
    });
  }
}

/**
 * Error codes of the history store (the CLI prints them with their hint).
 *
 * @example
 * ```ts
 * try {
 *   await openRunStore({ dir: '.psr' });
 * } catch (error) {
 *   if (isPsrError(error) && error.code === HistoryErrorCodes.UNREADABLE) console.error(error.hint);
 * }
 * ```
 */
export const HistoryErrorCodes = {
  /** The history database cannot be opened: not a SQLite file, damaged, or not writable. */
  UNREADABLE: 'PSR_HISTORY_UNREADABLE',
  /** The history database was written by a newer psr. */
  SCHEMA: 'PSR_HISTORY_SCHEMA',
} as const;

/** The SQLite run store: a {@link RunStore} (observer + queries) plus history commands. */
export class SqliteRunStore implements RunStore {
  /** Absolute path of the database file. */
  readonly path: string;
  readonly #db: Database.Database;
  readonly #stmts: ReturnType<typeof prepare>;
  /** Writes waiting for the end of this event-loop turn. */
  #pending: Array<() => void> = [];
  #flushTimer: NodeJS.Immediate | undefined;
  /** A failed deferred write, rethrown by the next observer call so the run reports it. */
  #writeError: unknown;
  /** `run\0instance` → attempts already written, so a task's end does not write them again. */
  readonly #attemptsWritten = new Map<string, number>();
  /** Run id → the schedule entry it was fired for, until the run's row is written. */
  readonly #fires = new Map<string, ScheduleFire>();

  /** @internal use {@link openRunStore}. */
  constructor(db: Database.Database, path: string) {
    this.path = path;
    this.#db = db;
    // WAL lets concurrent runs write while others read; busy timeout serialises writers.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    this.#stmts = prepare(db);
    this.#markInterrupted();
  }

  /**
   * Note the `on.schedule` entry that fired run `runId` (`psr schedule` calls this right after
   * starting the run), so that `catch-up` can later be judged per entry.
   *
   * @example
   * ```ts
   * const handle = engine.run(workflow, { trigger: 'schedule' });
   * store.recordScheduleFire(handle.id, { index: 0, cron: '0 3 * * *', timezone: 'UTC', scheduledAt, catchUp: false });
   * ```
   */
  recordScheduleFire(runId: string, fire: ScheduleFire): void {
    // The run's row takes it when written; a row written already is updated.
    this.#fires.set(runId, fire);
    this.#defer(() => this.#stmts.setScheduleFire.run({ id: runId, ...scheduleColumns(fire) }));
  }

  /**
   * When the schedule entry `entry` (recognised by its cron expression and timezone, so
   * reordering entries keeps their history) of a workflow file last fired, from the newest
   * scheduled run for it. Scheduled runs recorded without their entry (by psr before history
   * schema 2) count for every entry.
   */
  lastScheduledFire(workflowFile: string, entry: { cron: string; timezone: string }): Date | undefined {
    this.flush();
    const row = this.#stmts.lastScheduledFire.get(workflowFile, entry.cron, entry.timezone) as { at: string } | undefined;
    return row ? new Date(row.at) : undefined;
  }

  onRunStart({ run }: EventOf<'run-start'>): void {
    this.#defer(() => this.#stmts.insertRun.run({
      ...scheduleColumns(this.#fires.get(run.id)),
      id: run.id,
      workflow_name: run.workflow.name,
      workflow_file: run.workflow.file,
      workflow_hash: run.workflow.hash,
      trigger: run.trigger,
      inputs_json: JSON.stringify(run.inputs),
      status: 'running',
      started_at: run.startedAt,
      trace_id: run.traceId ?? null,
      resumed_from: run.resumedFrom ?? null,
      // Hashed when read (getRunSync), from workflow_json: a resume needs them, a run does not.
      task_specs_json: '{}',
      workflow_json: JSON.stringify(run.workflow),
      pid: process.pid,
      host: hostname(),
    }));
  }

  /**
   * A task is recorded when it starts (status `running`), so a psr killed while it runs leaves
   * it in the store; its end overwrites the row.
   */
  onTaskStart({ run, task }: EventOf<'task-start'>): void {
    const startedAt = new Date().toISOString();
    this.#defer(() =>
      this.#stmts.startTask.run(run.id, task.id, task.taskId, task.name, task.uses, task.matrix ? JSON.stringify(task.matrix) : null, startedAt),
    );
  }

  onAttemptEnd({ run, task, result }: EventOf<'attempt-end'>): void {
    this.#defer(() => this.#insertAttempt(run.id, task.id, result));
  }

  onTaskEnd({ run, result }: EventOf<'task-end'>): void {
    this.#defer(() => this.#writeTask(run.id, result, -1));
  }

  onRunEnd({ run, result }: EventOf<'run-end'>): void {
    // Everything still pending plus the final state, in one transaction, before the run ends.
    this.#defer(() => {
      result.tasks.forEach((t, position) => {
        const key = `${run.id}\0${t.task.id}`;
        // Tasks recorded at their end only need their place in the run's order.
        if (this.#attemptsWritten.has(key)) this.#stmts.setPosition.run(position, run.id, t.task.id);
        else this.#writeTask(run.id, t, position);
        this.#attemptsWritten.delete(key);
      });
      this.#fires.delete(run.id);
      this.#stmts.finishRun.run({
        id: run.id,
        status: result.status,
        ended_at: result.endedAt,
        duration_ms: Math.round(result.durationMs),
        trace_id: result.run.traceId ?? run.traceId ?? null,
      });
    });
    this.flush();
  }

  /**
   * Commit the writes queued in this event-loop turn now (they are otherwise committed at its
   * end). Reads, `prune` and `close` flush first. Throws when a write failed.
   *
   * @example
   * ```ts
   * store.onTaskEnd(event);
   * store.flush(); // on disk now, before another process reads the database
   * ```
   */
  flush(): void {
    if (this.#flushTimer) clearImmediate(this.#flushTimer);
    this.#flushTimer = undefined;
    const writes = this.#pending;
    if (writes.length > 0 && this.#db.open) {
      this.#pending = [];
      try {
        this.#db.transaction(() => {
          for (const write of writes) write();
        })();
      } catch (error) {
        this.#writeError ??= error;
      }
    }
    const error = this.#writeError;
    if (error !== undefined) {
      this.#writeError = undefined;
      throw error;
    }
  }

  #defer(write: () => void): void {
    const error = this.#writeError;
    if (error !== undefined) {
      this.#writeError = undefined;
      throw error;
    }
    this.#pending.push(write);
    // A failure at the end of the turn is kept for the next observer call (never uncaught).
    this.#flushTimer ??= setImmediate(() => {
      this.#flushTimer = undefined;
      try {
        this.flush();
      } catch (err) {
        this.#writeError ??= err;
      }
    });
  }

  /** Read one run back (with tasks and attempts), or undefined. */
  async getRun(runId: string): Promise<StoredRunDetail | undefined> {
    return this.getRunSync(runId);
  }

  /** Synchronous {@link getRun}. Accepts a unique prefix of the run id. */
  getRunSync(runIdOrPrefix: string): StoredRunDetail | undefined {
    this.flush();
    const rows = this.#stmts.findRun.all(`${runIdOrPrefix.replace(/[%_]/g, '')}%`) as RunRow[];
    const row = rows.find((r) => r.id === runIdOrPrefix) ?? (rows.length === 1 ? rows[0] : undefined);
    if (!row) return undefined;
    const workflow = JSON.parse(row.workflow_json) as Workflow;
    // Runs recorded before schema 2 stored their task hashes; later ones are hashed here.
    const storedSpecs = JSON.parse(row.task_specs_json) as Record<string, string>;
    const info: RunInfo = {
      id: row.id,
      workflow,
      trigger: row.trigger as RunInfo['trigger'],
      inputs: JSON.parse(row.inputs_json),
      startedAt: row.started_at,
      ...(row.trace_id ? { traceId: row.trace_id } : {}),
      ...(row.resumed_from ? { resumedFrom: row.resumed_from } : {}),
    };
    const schedule = scheduleOf(row);
    const attempts = this.#stmts.attemptsOf.all(row.id) as AttemptRow[];
    const finished = row.status !== 'running' && row.status !== 'interrupted';
    const tasks = (this.#stmts.tasksOf.all(row.id) as TaskRow[]).map((t) => toTaskResult(t, attempts, row.status));
    return {
      run: info,
      status: (finished ? row.status : 'cancelled') as RunResult['status'],
      storedStatus: row.status as StoredRun['storedStatus'],
      endedAt: row.ended_at ?? row.started_at,
      durationMs: row.duration_ms ?? 0,
      tasks,
      taskSpecs: Object.keys(storedSpecs).length > 0 ? storedSpecs : taskSpecHashes(workflow),
      ...(schedule ? { schedule } : {}),
    };
  }

  /** Runs, newest first. */
  listRuns(options: ListRunsOptions = {}): RunSummary[] {
    this.flush();
    const limit = options.limit ?? 50;
    const rows = (
      options.workflowFile
        ? this.#stmts.listByWorkflow.all(options.workflowFile, limit)
        : this.#stmts.listAll.all(limit)
    ) as Array<RunRow & { total: number; success: number; failure: number; skipped: number; cancelled: number }>;
    return rows.map((r) => {
      const schedule = scheduleOf(r);
      return {
        id: r.id,
        workflowName: r.workflow_name,
        workflowFile: r.workflow_file,
        status: r.status as RunSummary['status'],
        trigger: r.trigger,
        startedAt: r.started_at,
        ...(r.ended_at ? { endedAt: r.ended_at } : {}),
        ...(r.duration_ms !== null ? { durationMs: r.duration_ms } : {}),
        ...(r.trace_id ? { traceId: r.trace_id } : {}),
        ...(r.resumed_from ? { resumedFrom: r.resumed_from } : {}),
        ...(schedule ? { schedule } : {}),
        tasks: { total: r.total, success: r.success, failure: r.failure, skipped: r.skipped, cancelled: r.cancelled },
      };
    });
  }

  /** The newest run of a workflow file, if any (for `catch-up` and `--resume last`). */
  lastRun(workflowFile: string): RunSummary | undefined {
    return this.listRuns({ workflowFile, limit: 1 })[0];
  }

  /**
   * Keep the newest `keep` finished runs (per workflow file when given, else overall) and
   * delete the rest with their tasks and attempts. Running runs are never pruned.
   * Returns how many runs were deleted.
   */
  prune(options: { keep: number; workflowFile?: string }): number {
    this.flush();
    const keep = Math.max(0, Math.floor(options.keep));
    const del = this.#db.transaction(() => {
      const ids = (
        options.workflowFile
          ? this.#stmts.prunableByWorkflow.all(options.workflowFile, keep)
          : this.#stmts.prunableAll.all(keep)
      ) as Array<{ id: string }>;
      for (const { id } of ids) this.#stmts.deleteRun.run(id);
      return ids.length;
    });
    return del();
  }

  async close(): Promise<void> {
    try {
      this.flush();
    } finally {
      if (this.#db.open) this.#db.close();
    }
  }

  #insertAttempt(runId: string, instanceId: string, a: AttemptResult): void {
    const key = `${runId}\0${instanceId}`;
    this.#attemptsWritten.set(key, Math.max(this.#attemptsWritten.get(key) ?? 0, a.attempt));
    // Positional parameters: binding by name looks every one up on an object, per row.
    this.#stmts.upsertAttempt.run(
      runId,
      instanceId,
      a.attempt,
      a.status,
      a.startedAt,
      a.endedAt,
      Math.round(a.durationMs),
      a.exitCode ?? null,
      a.cpuMs ?? null,
      a.peakRssBytes ?? null,
      a.failure ? JSON.stringify(a.failure) : null,
      a.logTail ?? null,
    );
  }

  #writeTask(runId: string, t: TaskResult, position: number): void {
    this.#stmts.upsertTask.run(
      runId,
      t.task.id,
      t.task.taskId,
      t.task.name,
      t.task.uses,
      t.task.matrix ? JSON.stringify(t.task.matrix) : null,
      position,
      t.status,
      JSON.stringify(t.outputs ?? {}),
      t.continuedOnError ? 1 : 0,
      t.reused ? 1 : 0,
      t.reason ?? null,
      t.startedAt ?? null,
      t.endedAt ?? null,
      Math.round(t.durationMs),
    );
    // Attempts arrive with their own events; only those that had none (an attempt that
    // failed before it could start) are written here.
    const key = `${runId}\0${t.task.id}`;
    const written = this.#attemptsWritten.get(key) ?? 0;
    for (const a of t.attempts) if (a.attempt > written) this.#insertAttempt(runId, t.task.id, a);
    if (!this.#attemptsWritten.has(key)) this.#attemptsWritten.set(key, 0);
  }

  // A run left `running` by a process that no longer exists on this host was interrupted.
  #markInterrupted(): void {
    const host = hostname();
    const running = this.#stmts.runningRuns.all() as Array<{ id: string; pid: number; host: string }>;
    for (const r of running) {
      if (r.host === host && !processAlive(r.pid)) this.#stmts.interruptRun.run(r.id);
    }
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new PsrError(HistoryErrorCodes.SCHEMA, `history database schema ${current} is newer than this psr understands (${SCHEMA_VERSION})`, {
      hint: 'a newer psr wrote this history: upgrade psr, or use another --state-dir',
    });
  }
  const step = db.transaction(() => {
    // Re-read inside the write transaction: a concurrent psr may have migrated meanwhile.
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  if (current < SCHEMA_VERSION) step.immediate();
}

interface RunRow {
  id: string;
  workflow_name: string;
  workflow_file: string;
  workflow_hash: string;
  trigger: string;
  inputs_json: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  trace_id: string | null;
  resumed_from: string | null;
  task_specs_json: string;
  workflow_json: string;
  schedule_index: number | null;
  schedule_cron: string | null;
  schedule_timezone: string | null;
  scheduled_at: string | null;
  catch_up: number;
}

function scheduleColumns(fire: ScheduleFire | undefined) {
  return {
    schedule_index: fire?.index ?? null,
    schedule_cron: fire?.cron ?? null,
    schedule_timezone: fire?.timezone ?? null,
    scheduled_at: fire?.scheduledAt ?? null,
    catch_up: fire?.catchUp ? 1 : 0,
  };
}

function scheduleOf(row: RunRow): ScheduleFire | undefined {
  if (row.schedule_cron === null || row.schedule_index === null) return undefined;
  return {
    index: row.schedule_index,
    cron: row.schedule_cron,
    timezone: row.schedule_timezone ?? 'UTC',
    scheduledAt: row.scheduled_at ?? row.started_at,
    catchUp: row.catch_up === 1,
  };
}

interface TaskRow {
  instance_id: string;
  task_id: string;
  name: string;
  uses: string;
  matrix_json: string | null;
  status: string;
  outputs_json: string;
  continued_on_error: number;
  reused: number;
  reason: string | null;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number;
}

interface AttemptRow {
  instance_id: string;
  attempt: number;
  status: string;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  exit_code: number | null;
  cpu_ms: number | null;
  peak_rss_bytes: number | null;
  failure_json: string | null;
  log_tail: string | null;
}

/**
 * A stored task as a result. A task still `running` in the store (it started, and the run has
 * not recorded its end) reads as cancelled, with a reason saying whether it is still running or
 * psr stopped while it ran (`kill -9`).
 */
function toTaskResult(t: TaskRow, attempts: AttemptRow[], runStatus: string): TaskResult {
  const unfinished = t.status === 'running';
  const reason = unfinished ? (runStatus === 'running' ? 'running' : 'interrupted: psr stopped while the task ran') : t.reason;
  return {
    task: {
      id: t.instance_id,
      taskId: t.task_id,
      name: t.name,
      uses: t.uses,
      ...(t.matrix_json ? { matrix: JSON.parse(t.matrix_json) } : {}),
    },
    status: (unfinished ? 'cancelled' : t.status) as TaskResult['status'],
    attempts: attempts
      .filter((a) => a.instance_id === t.instance_id)
      .map((a) => ({
        attempt: a.attempt,
        status: a.status as AttemptResult['status'],
        startedAt: a.started_at,
        endedAt: a.ended_at,
        durationMs: a.duration_ms,
        ...(a.exit_code !== null ? { exitCode: a.exit_code } : {}),
        ...(a.cpu_ms !== null ? { cpuMs: a.cpu_ms } : {}),
        ...(a.peak_rss_bytes !== null ? { peakRssBytes: a.peak_rss_bytes } : {}),
        ...(a.failure_json ? { failure: JSON.parse(a.failure_json) } : {}),
        ...(a.log_tail !== null ? { logTail: a.log_tail } : {}),
      })),
    outputs: JSON.parse(t.outputs_json),
    ...(t.continued_on_error ? { continuedOnError: true } : {}),
    ...(t.reused ? { reused: true } : {}),
    ...(reason ? { reason } : {}),
    ...(t.started_at ? { startedAt: t.started_at } : {}),
    ...(t.ended_at ? { endedAt: t.ended_at } : {}),
    durationMs: t.duration_ms,
  };
}

function prepare(db: Database.Database) {
  const summary = `SELECT r.*,
      (SELECT count(*) FROM tasks t WHERE t.run_id = r.id) AS total,
      (SELECT count(*) FROM tasks t WHERE t.run_id = r.id AND t.status = 'success') AS success,
      (SELECT count(*) FROM tasks t WHERE t.run_id = r.id AND t.status = 'failure') AS failure,
      (SELECT count(*) FROM tasks t WHERE t.run_id = r.id AND t.status = 'skipped') AS skipped,
      (SELECT count(*) FROM tasks t WHERE t.run_id = r.id AND t.status = 'cancelled') AS cancelled
    FROM runs r`;
  return {
    insertRun: db.prepare(`INSERT INTO runs (id, workflow_name, workflow_file, workflow_hash, trigger, inputs_json, status,
        started_at, trace_id, resumed_from, task_specs_json, workflow_json, pid, host,
        schedule_index, schedule_cron, schedule_timezone, scheduled_at, catch_up)
      VALUES (@id, @workflow_name, @workflow_file, @workflow_hash, @trigger, @inputs_json, @status,
        @started_at, @trace_id, @resumed_from, @task_specs_json, @workflow_json, @pid, @host,
        @schedule_index, @schedule_cron, @schedule_timezone, @scheduled_at, @catch_up)`),
    setScheduleFire: db.prepare(`UPDATE runs SET schedule_index = @schedule_index, schedule_cron = @schedule_cron,
        schedule_timezone = @schedule_timezone, scheduled_at = @scheduled_at, catch_up = @catch_up WHERE id = @id`),
    lastScheduledFire: db.prepare(`SELECT coalesce(scheduled_at, started_at) AS at FROM runs
      WHERE workflow_file = ? AND trigger = 'schedule'
        AND (schedule_cron IS NULL OR (schedule_cron = ? AND schedule_timezone = ?))
      ORDER BY at DESC LIMIT 1`),
    finishRun: db.prepare(
      `UPDATE runs SET status = @status, ended_at = @ended_at, duration_ms = @duration_ms, trace_id = @trace_id WHERE id = @id`,
    ),
    upsertTask: db.prepare(`INSERT INTO tasks (run_id, instance_id, task_id, name, uses, matrix_json, position, status, outputs_json,
        continued_on_error, reused, reason, started_at, ended_at, duration_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (run_id, instance_id) DO UPDATE SET status = excluded.status, outputs_json = excluded.outputs_json,
        position = CASE WHEN excluded.position >= 0 THEN excluded.position ELSE tasks.position END,
        continued_on_error = excluded.continued_on_error, reused = excluded.reused, reason = excluded.reason,
        started_at = excluded.started_at, ended_at = excluded.ended_at, duration_ms = excluded.duration_ms`),
    startTask: db.prepare(`INSERT OR IGNORE INTO tasks (run_id, instance_id, task_id, name, uses, matrix_json, position, status, outputs_json,
        started_at, duration_ms)
      VALUES (?, ?, ?, ?, ?, ?, -1, 'running', '{}', ?, 0)`),
    upsertAttempt: db.prepare(`INSERT OR REPLACE INTO attempts (run_id, instance_id, attempt, status, started_at, ended_at,
        duration_ms, exit_code, cpu_ms, peak_rss_bytes, failure_json, log_tail)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    findRun: db.prepare(`SELECT * FROM runs WHERE id LIKE ? ORDER BY started_at DESC LIMIT 2`),
    tasksOf: db.prepare(`SELECT * FROM tasks WHERE run_id = ? ORDER BY CASE WHEN position < 0 THEN 1e9 ELSE position END, rowid`),
    attemptsOf: db.prepare(`SELECT * FROM attempts WHERE run_id = ? ORDER BY instance_id, attempt`),
    listAll: db.prepare(`${summary} ORDER BY r.started_at DESC, r.id DESC LIMIT ?`),
    listByWorkflow: db.prepare(`${summary} WHERE r.workflow_file = ? ORDER BY r.started_at DESC, r.id DESC LIMIT ?`),
    runningRuns: db.prepare(`SELECT id, pid, host FROM runs WHERE status = 'running'`),
    interruptRun: db.prepare(`UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'`),
    prunableAll: db.prepare(
      `SELECT id FROM runs WHERE status <> 'running' ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?`,
    ),
    prunableByWorkflow: db.prepare(
      `SELECT id FROM runs WHERE workflow_file = ? AND status <> 'running' ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?`,
    ),
    deleteRun: db.prepare(`DELETE FROM runs WHERE id = ?`),
    setPosition: db.prepare(`UPDATE tasks SET position = ? WHERE run_id = ? AND instance_id = ?`),
  };
}
