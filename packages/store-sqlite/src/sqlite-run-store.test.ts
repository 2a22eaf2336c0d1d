import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PluginRegistry,
  TaskFailure,
  createEngine,
  definePlugin,
  defineTask,
  loadWorkflow,
  z,
  type RunOptions,
  type Workflow,
} from '@psr/core';
import { afterEach, describe, expect, it } from 'vitest';
import { planResume } from './resume.js';
import { MIGRATIONS } from './schema.js';
import { openRunStore, type SqliteRunStore } from './sqlite-run-store.js';

const dirs: string[] = [];
const stores: SqliteRunStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'psr-store-'));
  dirs.push(d);
  return d;
}

async function store(dir: string): Promise<SqliteRunStore> {
  const s = await openRunStore({ dir });
  stores.push(s);
  return s;
}

// `flaky` fails while the file named by `marker` exists: a test removes it to "fix" the task.
function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.register(
    definePlugin({
      name: 'test:steps',
      apiVersion: 1,
      tasks: {
        emit: defineTask({
          description: 'return a value',
          input: z.object({ value: z.string() }),
          run: (_ctx, { value }) => ({ value, at: String(Math.random()) }),
        }),
        flaky: defineTask({
          description: 'fail while a marker file exists',
          input: z.object({ marker: z.string() }),
          async run(_ctx, { marker }) {
            const { existsSync } = await import('node:fs');
            if (existsSync(marker)) throw new TaskFailure('marker present', { kind: 'exit', exitCode: 3 });
            return { fixed: true };
          },
        }),
      },
    }),
    'test:steps',
  );
  return r;
}

async function workflowFile(dir: string, text: string): Promise<{ file: string; workflow: Workflow }> {
  const file = join(dir, 'workflow.yml');
  writeFileSync(file, text);
  return { file, workflow: await loadWorkflow(file, { registry: registry() }) };
}

const PIPELINE = (marker: string) => `version: 1
name: pipeline
tasks:
  a:
    uses: emit
    with: { value: first }
  b:
    needs: [a]
    uses: flaky
    with: { marker: "${marker}" }
  c:
    needs: [b]
    uses: emit
    with: { value: "\${{ tasks.a.outputs.value }}-then" }
`;

async function run(s: SqliteRunStore, workflow: Workflow, options: RunOptions = {}) {
  return createEngine({ registry: registry(), observers: [s] }).run(workflow, options);
}

describe('SqliteRunStore', () => {
  it('records runs, tasks, attempts and outputs, and reads them back', async () => {
    const dir = tempDir();
    const s = await store(join(dir, '.psr'));
    const { workflow } = await workflowFile(dir, PIPELINE(join(dir, 'absent')));
    const result = await run(s, workflow);
    expect(result.status).toBe('success');

    const stored = s.getRunSync(result.run.id)!;
    expect(stored.storedStatus).toBe('success');
    expect(stored.run.workflow.hash).toBe(workflow.hash);
    expect(stored.tasks.map((t) => [t.task.id, t.status])).toEqual([
      ['a', 'success'],
      ['b', 'success'],
      ['c', 'success'],
    ]);
    expect(stored.tasks[2]!.outputs.value).toBe('first-then');
    expect(stored.tasks[0]!.attempts).toHaveLength(1);
    // A unique prefix of the id is enough, as with git.
    expect(s.getRunSync(result.run.id.slice(0, 12))?.run.id).toBe(result.run.id);

    const [summary] = s.listRuns();
    expect(summary).toMatchObject({ id: result.run.id, status: 'success', workflowName: 'pipeline' });
    expect(summary!.tasks).toEqual({ total: 3, success: 3, failure: 0, skipped: 0, cancelled: 0 });
  });

  it('records every attempt of a retried task once, and a task that failed before it could start', async () => {
    const dir = tempDir();
    const s = await store(join(dir, '.psr'));
    const marker = join(dir, 'broken');
    writeFileSync(marker, '');
    const { workflow } = await workflowFile(
      dir,
      `version: 1
name: retries
tasks:
  flaky:
    uses: flaky
    with: { marker: "${marker}" }
    retry: { attempts: 3, delay: 0s }
  broken-if:
    if: \${{ fromJSON('{') }}
    uses: emit
    with: { value: x }
`,
    );
    const seen: string[] = [];
    // A reader in the middle of the run sees what has happened so far (queued writes are flushed first).
    const probe = { onTaskEnd: ({ run }: { run: { id: string } }) => void seen.push(...(s.getRunSync(run.id)?.tasks.map((t) => t.task.id) ?? [])) };
    const result = await createEngine({ registry: registry(), observers: [s, probe] }).run(workflow);
    expect(result.status).toBe('failure');
    expect(seen.length).toBeGreaterThan(0);

    const stored = s.getRunSync(result.run.id)!;
    const flaky = stored.tasks.find((t) => t.task.id === 'flaky')!;
    expect(flaky.attempts.map((a) => [a.attempt, a.status, a.exitCode])).toEqual([
      [1, 'failure', 3],
      [2, 'failure', 3],
      [3, 'failure', 3],
    ]);
    const broken = stored.tasks.find((t) => t.task.id === 'broken-if')!;
    expect(broken.status).toBe('failure');
    expect(broken.attempts).toHaveLength(1);
    expect(broken.attempts[0]!.status).toBe('error');
    // Tasks come back in the run's order, not in the order they were written.
    expect(stored.tasks.map((t) => t.task.id)).toEqual(result.tasks.map((t) => t.task.id));
  });

  it('resumes a failed run: only the failed and skipped tasks run again, reusing recorded outputs', async () => {
    const dir = tempDir();
    const marker = join(dir, 'broken');
    writeFileSync(marker, '');
    const s = await store(join(dir, '.psr'));
    const { workflow } = await workflowFile(dir, PIPELINE(marker));
    const first = await run(s, workflow);
    expect(first.status).toBe('failure');
    expect(first.tasks.map((t) => t.status)).toEqual(['success', 'failure', 'skipped']);

    rmSync(marker);
    const plan = planResume(s.getRunSync(first.run.id)!, workflow);
    expect(Object.keys(plan.reuse)).toEqual(['a']);
    expect(plan.rerun.sort()).toEqual(['b', 'c']);
    const second = await run(s, workflow, { reuse: plan.reuse, resumedFrom: first.run.id, trigger: 'resume' });
    expect(second.status).toBe('success');
    const a = second.tasks.find((t) => t.task.id === 'a')!;
    expect(a.reused).toBe(true);
    // `a` did not run again: its random output is the recorded one, and `c` saw it.
    expect(a.outputs.at).toBe(first.tasks[0]!.outputs.at);
    expect(second.tasks.find((t) => t.task.id === 'c')!.outputs.value).toBe('first-then');
    expect(s.getRunSync(second.run.id)!.run.resumedFrom).toBe(first.run.id);
  });

  it('refuses to resume when a task that succeeded has changed since', async () => {
    const dir = tempDir();
    const marker = join(dir, 'broken');
    writeFileSync(marker, '');
    const s = await store(join(dir, '.psr'));
    const { workflow } = await workflowFile(dir, PIPELINE(marker));
    const first = await run(s, workflow);
    const { workflow: edited } = await workflowFile(dir, PIPELINE(marker).replace('value: first', 'value: second'));
    expect(() => planResume(s.getRunSync(first.run.id)!, edited)).toThrow(
      expect.objectContaining({ code: 'PSR_RESUME', message: expect.stringContaining('a') }),
    );
    // Changing only the failed task is fine.
    const { workflow: fixedB } = await workflowFile(dir, PIPELINE(join(dir, 'elsewhere')));
    expect(Object.keys(planResume(s.getRunSync(first.run.id)!, fixedB).reuse)).toEqual(['a']);
  });

  it('prunes old runs, keeping the newest N', async () => {
    const dir = tempDir();
    const s = await store(join(dir, '.psr'));
    const { workflow } = await workflowFile(dir, PIPELINE(join(dir, 'absent')));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await run(s, workflow)).run.id);
    expect(s.prune({ keep: 2 })).toBe(2);
    expect(s.listRuns().map((r) => r.id)).toEqual([ids[3], ids[2]]);
    expect(s.getRunSync(ids[0]!)).toBeUndefined();
  });
});

const RUNNER = fileURLToPath(new URL('../fixtures/run-workflow.mjs', import.meta.url));

function runInChild(stateDir: string, file: string) {
  const child = spawn(process.execPath, [RUNNER, stateDir, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out, errors: () => err };
}

const SLOW = `version: 1
name: slow
tasks:
  quick:
    uses: sleep
    with: { ms: 10 }
  long:
    needs: [quick]
    uses: sleep
    with: { ms: 60000 }
`;

describe('opening a history database', () => {
  it('records which schedule entry fired a run and answers when each entry last fired', async () => {
    const dir = tempDir();
    const s = await store(join(dir, '.psr'));
    const { file, workflow } = await workflowFile(dir, PIPELINE(join(dir, 'absent')));
    const hourly = { cron: '0 * * * *', timezone: 'UTC' };
    const daily = { cron: '0 3 * * *', timezone: 'Europe/Berlin' };
    expect(s.lastScheduledFire(file, hourly)).toBeUndefined();

    const engine = createEngine({ registry: registry(), observers: [s] });
    const handle = engine.run(workflow, { trigger: 'schedule' });
    s.recordScheduleFire(handle.id, { index: 1, ...daily, scheduledAt: '2026-03-01T02:00:00.000Z', catchUp: true });
    await handle;
    await run(s, workflow); // a manual run is not a fire of any entry

    expect(s.lastScheduledFire(file, daily)).toEqual(new Date('2026-03-01T02:00:00.000Z'));
    expect(s.lastScheduledFire(file, hourly)).toBeUndefined();
    expect(s.lastScheduledFire(file, { ...daily, timezone: 'UTC' })).toBeUndefined();
    const fire = { index: 1, ...daily, scheduledAt: '2026-03-01T02:00:00.000Z', catchUp: true };
    expect(s.getRunSync(handle.id)?.schedule).toEqual(fire);
    expect(s.listRuns().find((r) => r.id === handle.id)?.schedule).toEqual(fire);
  });

  it('upgrades a history of schema 1; its scheduled runs count as fires of every entry', async () => {
    const dir = join(tempDir(), '.psr');
    mkdirSync(dir);
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(join(dir, 'history.db'));
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw
      .prepare(`INSERT INTO runs (id, workflow_name, workflow_file, workflow_hash, trigger, inputs_json, status, started_at,
          task_specs_json, workflow_json, pid, host) VALUES ('old', 'nightly', '/w.yml', 'h', 'schedule', '{}', 'success',
          '2026-01-01T03:00:00.000Z', '{}', '{}', 1, 'elsewhere')`)
      .run();
    raw.close();
    const s = await store(dir);
    expect(s.lastScheduledFire('/w.yml', { cron: '0 3 * * *', timezone: 'UTC' })).toEqual(new Date('2026-01-01T03:00:00.000Z'));
    expect(s.lastScheduledFire('/w.yml', { cron: '*/5 * * * *', timezone: 'UTC' })).toEqual(new Date('2026-01-01T03:00:00.000Z'));
    expect(s.listRuns()[0]).toMatchObject({ id: 'old', trigger: 'schedule' });
    expect(s.listRuns()[0]!.schedule).toBeUndefined();
  });

  it('reports a file that is not a history database as a user error with a way out', async () => {
    const dir = join(tempDir(), '.psr');
    mkdirSync(dir);
    writeFileSync(join(dir, 'history.db'), randomBytes(8192));
    const error = await openRunStore({ dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PSR_HISTORY_UNREADABLE' });
    expect((error as Error).message).toContain(join(dir, 'history.db'));
    expect((error as { hint: string }).hint).toMatch(/move it aside/);
  });

  it('refuses a database written by a newer psr, and leaves it untouched', async () => {
    const dir = join(tempDir(), '.psr');
    await (await openRunStore({ dir })).close(); // create it
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(join(dir, 'history.db'));
    raw.pragma('user_version = 99');
    raw.close();
    const error = await openRunStore({ dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PSR_HISTORY_SCHEMA' });
    const again = new Database(join(dir, 'history.db'));
    expect(again.pragma('user_version', { simple: true })).toBe(99);
    again.close();
  });
});

describe('SqliteRunStore across processes', () => {
  it('a psr killed with SIGKILL mid-run leaves a readable store, the run marked interrupted', async () => {
    const dir = tempDir();
    const file = join(dir, 'slow.yml');
    writeFileSync(file, SLOW);
    const proc = runInChild(join(dir, '.psr'), file);
    const deadline = Date.now() + 30_000;
    while (!proc.output().includes('started long') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(proc.output()).toContain('started long');
    proc.child.kill('SIGKILL');
    await proc.exited;

    const s = await store(join(dir, '.psr'));
    const [summary] = s.listRuns();
    expect(summary!.status).toBe('interrupted');
    const stored = s.getRunSync(summary!.id)!;
    expect(stored.tasks.find((t) => t.task.id === 'quick')?.status).toBe('success');
    // The task that was running is recorded from its start, not lost with the process.
    expect(stored.tasks.find((t) => t.task.id === 'long')).toMatchObject({ status: 'cancelled', reason: 'interrupted: psr stopped while the task ran' });
    expect(stored.tasks.find((t) => t.task.id === 'long')?.startedAt).toMatch(/^\d{4}-/);
    expect(summary!.tasks).toMatchObject({ total: 2, success: 1 });
  }, 60_000);

  it('two concurrent runs on one store both succeed and are both recorded', async () => {
    const dir = tempDir();
    const file = join(dir, 'quick.yml');
    writeFileSync(file, SLOW.replace('ms: 60000', 'ms: 200'));
    const runs = [runInChild(join(dir, '.psr'), file), runInChild(join(dir, '.psr'), file)];
    const codes = await Promise.all(runs.map((r) => r.exited));
    expect(codes, runs.map((r) => r.errors()).join('\n')).toEqual([0, 0]);
    for (const r of runs) expect(r.output()).toMatch(/done \S+ success/);
    const s = await store(join(dir, '.psr'));
    expect(s.listRuns().map((r) => r.status)).toEqual(['success', 'success']);
  }, 60_000);
});
