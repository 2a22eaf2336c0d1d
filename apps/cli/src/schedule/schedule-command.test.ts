import { EventEmitter } from 'node:events';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '@psr/core';
import { openRunStore } from '@psr/store-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand, type SignalSource } from '../main.js';
import { loadWorkflowFile } from '../workflow-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** 1 January 03:00 UTC of the given year: the fire of the cron `0 3 1 1 *`. */
const newYear = (year: number) => new Date(Date.UTC(year, 0, 1, 3));

describe('psr schedule catch-up', () => {
  it('catch-up: last is judged per schedule entry: only the entry that missed its fire runs', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'psr-schedule-')));
    dirs.push(dir);
    const file = join(dir, 'wf.yml');
    // Entry #0 fires yearly; entry #1 daily, two minutes before now, so its last fire is the
    // newest fire of the workflow and neither fires again while the test runs.
    const now = new Date();
    const twoMinutesAgo = new Date(now.getTime() - 120_000);
    const daily = `${twoMinutesAgo.getUTCMinutes()} ${twoMinutesAgo.getUTCHours()} * * *`;
    const yearly = newYear(now.getUTCFullYear()) <= now ? newYear(now.getUTCFullYear()) : newYear(now.getUTCFullYear() - 1);
    writeFileSync(
      file,
      `version: 1
name: nightly
on:
  schedule:
    - cron: "0 3 1 1 *"
      catch-up: last
    - cron: "${daily}"
      catch-up: last
tasks:
  hello:
    run: echo hello
`,
    );
    const dailyFire = new Date(Math.floor(twoMinutesAgo.getTime() / 60_000) * 60_000);

    // History as a daemon that ran two minutes ago would leave it, had it not been running on
    // 1 January: entry #1 fired at its newest fire time, entry #0 a year before its newest one.
    // Judged per workflow, the newest scheduled run (#1's) would hide #0's missed fire.
    const { workflow, registry } = await loadWorkflowFile(file, { cwd: dir });
    const seed = await openRunStore({ dir: join(dir, '.psr') });
    const engine = createEngine({ registry, observers: [seed] });
    for (const [index, scheduledAt] of [[0, newYear(yearly.getUTCFullYear() - 1)], [1, dailyFire]] as const) {
      const handle = engine.run(workflow, { trigger: 'schedule', env: { PATH: process.env.PATH } });
      seed.recordScheduleFire(handle.id, { index, cron: workflow.schedule[index]!.cron, timezone: 'UTC', scheduledAt: scheduledAt.toISOString(), catchUp: false });
      expect((await handle).status).toBe('success');
    }
    const seeded = new Set(seed.listRuns().map((r) => r.id));

    // The daemon: stop it once the catch-up run has finished.
    const signals = new EventEmitter();
    const daemon = runCommand(['schedule', file], { cwd: dir, env: { PATH: process.env.PATH }, signals: signals as SignalSource });
    const deadline = Date.now() + 20_000;
    let fresh: ReturnType<typeof seed.listRuns> = [];
    while (Date.now() < deadline) {
      fresh = seed.listRuns().filter((r) => !seeded.has(r.id));
      if (fresh.length > 0 && fresh.every((r) => r.status !== 'running')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300)); // a second catch-up run would have started by now
    signals.emit('SIGTERM');
    const result = await daemon;
    fresh = seed.listRuns().filter((r) => !seeded.has(r.id));
    await seed.close();

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/nightly#0: run \S+ started \(catch-up for a missed fire\)/);
    expect(result.stdout).not.toMatch(/nightly#1: run \S+ started/);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({
      trigger: 'schedule',
      status: 'success',
      schedule: { index: 0, cron: '0 3 1 1 *', timezone: 'UTC', scheduledAt: yearly.toISOString(), catchUp: true },
    });

    // `psr history` and `psr show` say which entry a run was for.
    const history = await runCommand(['history', file], { cwd: dir });
    expect(history.stdout).toMatch(new RegExp(`${fresh[0]!.id} .*schedule#0 catch-up`));
    const show = await runCommand(['show', fresh[0]!.id, file], { cwd: dir });
    expect(show.stdout).toContain(`schedule  #0 cron "0 3 1 1 *" (UTC), fire of ${yearly.toISOString()}, catch-up for a missed fire`);
  }, 40_000);
});
