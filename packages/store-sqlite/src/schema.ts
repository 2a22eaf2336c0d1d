/**
 * The history database layout. Bump SCHEMA_VERSION and add a step to MIGRATIONS to change it;
 * never edit a step that has shipped.
 */
export const SCHEMA_VERSION = 2;

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    workflow_name TEXT NOT NULL,
    workflow_file TEXT NOT NULL,
    workflow_hash TEXT NOT NULL,
    trigger TEXT NOT NULL,
    inputs_json TEXT NOT NULL,
    status TEXT NOT NULL,            -- running | success | failure | cancelled | timeout | interrupted
    started_at TEXT NOT NULL,
    ended_at TEXT,
    duration_ms INTEGER,
    trace_id TEXT,
    resumed_from TEXT,
    task_specs_json TEXT NOT NULL,   -- task id -> spec hash, to judge whether a resume is safe
    workflow_json TEXT NOT NULL,     -- the resolved workflow as it ran
    pid INTEGER NOT NULL,
    host TEXT NOT NULL
  );
  CREATE INDEX runs_by_workflow ON runs (workflow_file, started_at);
  CREATE TABLE tasks (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    instance_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    name TEXT NOT NULL,
    uses TEXT NOT NULL,
    matrix_json TEXT,
    position INTEGER NOT NULL,
    status TEXT NOT NULL,
    outputs_json TEXT NOT NULL,
    continued_on_error INTEGER NOT NULL DEFAULT 0,
    reused INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    started_at TEXT,
    ended_at TEXT,
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (run_id, instance_id)
  );
  CREATE TABLE attempts (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    instance_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    exit_code INTEGER,
    cpu_ms REAL,
    peak_rss_bytes INTEGER,
    failure_json TEXT,
    log_tail TEXT,
    PRIMARY KEY (run_id, instance_id, attempt)
  );
  `,
  // 2: which `on.schedule` entry fired a scheduled run, so `catch-up` is judged per entry.
  `
  ALTER TABLE runs ADD COLUMN schedule_index INTEGER;   -- position of the entry in on.schedule
  ALTER TABLE runs ADD COLUMN schedule_cron TEXT;       -- its cron expression
  ALTER TABLE runs ADD COLUMN schedule_timezone TEXT;   -- and IANA timezone
  ALTER TABLE runs ADD COLUMN scheduled_at TEXT;        -- the fire time the run is for (ISO 8601)
  ALTER TABLE runs ADD COLUMN catch_up INTEGER NOT NULL DEFAULT 0;
  -- From schema 2 on, new runs store task_specs_json as '{}': the hashes are computed from
  -- workflow_json when a run is read for --resume, instead of on every run.
  `,
];
