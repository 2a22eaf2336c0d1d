import { afterEach, describe, expect, it } from 'vitest';
import { loadWorkflow, type Workflow } from '@psr/core';
import { Scheduler, nextFireTimes, type FireInfo, type SchedulerEvent, type ScheduledRun } from './scheduler.js';

const schedulers: Scheduler[] = [];
afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop({ graceMs: 0 });
});

async function workflow(schedule: string): Promise<Workflow> {
  return loadWorkflow({
    file: 'scheduled.yml',
    text: `version: 1\nname: nightly\non:\n  schedule:\n${schedule}\ntasks:\n  hello:\n    run: echo hi\n`,
  });
}

/** A run that lasts `ms` unless cancelled; records what happened to it. */
function fakeRun(ms: number, log: { started: number; ended: number; cancelled: number; maxConcurrent: number; live: number }): ScheduledRun {
  log.started++;
  log.live++;
  log.maxConcurrent = Math.max(log.maxConcurrent, log.live);
  let cancel!: () => void;
  const done = new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    cancel = () => {
      clearTimeout(t);
      log.cancelled++;
      resolve();
    };
  }).finally(() => {
    log.live--;
    log.ended++;
  });
  return { done, cancel };
}

function newLog() {
  return { started: 0, ended: 0, cancelled: 0, maxConcurrent: 0, live: 0 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('nextFireTimes', () => {
  it('follows the IANA timezone across the DST change', () => {
    const times = nextFireTimes(
      { cron: '0 3 * * *', timezone: 'Europe/Berlin', overlap: 'skip', catchUp: 'none' },
      3,
      new Date('2026-03-27T00:00:00Z'),
    );
    // 03:00 Berlin is 02:00 UTC in winter time and 01:00 UTC after the switch on 29 March.
    expect(times.map((t) => t.toISOString())).toEqual([
      '2026-03-27T02:00:00.000Z',
      '2026-03-28T02:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
    ]);
  });

  it('reads a sixth, leading seconds field', () => {
    const times = nextFireTimes({ cron: '*/15 * * * * *', timezone: 'UTC', overlap: 'skip', catchUp: 'none' }, 2, new Date('2026-01-01T00:00:01Z'));
    expect(times.map((t) => t.toISOString())).toEqual(['2026-01-01T00:00:15.000Z', '2026-01-01T00:00:30.000Z']);
  });
});

describe('Scheduler', () => {
  it('fires real runs every second from a cron with seconds', async () => {
    const log = newLog();
    const fires: FireInfo[] = [];
    const s = new Scheduler({
      workflows: [await workflow('    - cron: "* * * * * *"')],
      startRun: (_job, fire) => {
        fires.push(fire);
        return fakeRun(50, log);
      },
    });
    schedulers.push(s);
    await s.start();
    await sleep(3300);
    expect(log.started).toBeGreaterThanOrEqual(2);
    expect(fires.every((f) => !f.catchUp)).toBe(true);
  }, 15_000);

  it('overlap skip: a fire while the last run is going is skipped', async () => {
    const log = newLog();
    const events: SchedulerEvent[] = [];
    const s = new Scheduler({
      workflows: [await workflow('    - cron: "* * * * * *"\n      overlap: skip')],
      startRun: () => fakeRun(2600, log),
      onEvent: (e) => events.push(e),
    });
    schedulers.push(s);
    await s.start();
    await sleep(3300);
    expect(log.maxConcurrent).toBe(1);
    expect(events.filter((e) => e.type === 'skip').length).toBeGreaterThanOrEqual(1);
    expect(log.started).toBeLessThanOrEqual(2);
  }, 15_000);

  it('overlap queue: keeps at most one pending fire and starts it when the run ends', async () => {
    const log = newLog();
    const events: SchedulerEvent[] = [];
    const s = new Scheduler({
      workflows: [await workflow('    - cron: "* * * * * *"\n      overlap: queue')],
      startRun: () => fakeRun(2200, log),
      onEvent: (e) => events.push(e),
    });
    schedulers.push(s);
    await s.start();
    await sleep(4000);
    // The first run (≤1 s after start, 2.2 s long) had fires queued behind it; the queued one ran next.
    expect(log.maxConcurrent).toBe(1);
    expect(events.filter((e) => e.type === 'queue').length).toBeGreaterThanOrEqual(2);
    expect(log.started).toBe(2);
  }, 15_000);

  it('overlap allow: runs overlap', async () => {
    const log = newLog();
    const s = new Scheduler({
      workflows: [await workflow('    - cron: "* * * * * *"\n      overlap: allow')],
      startRun: () => fakeRun(2500, log),
    });
    schedulers.push(s);
    await s.start();
    await sleep(3300);
    expect(log.maxConcurrent).toBeGreaterThanOrEqual(2);
  }, 15_000);

  it('stop lets a run finish within the grace period and fires nothing more', async () => {
    const log = newLog();
    const s = new Scheduler({ workflows: [await workflow('    - cron: "* * * * * *"')], startRun: () => fakeRun(600, log) });
    await s.start();
    while (log.started === 0) await sleep(20);
    await s.stop({ graceMs: 5000 });
    expect(log).toMatchObject({ started: 1, ended: 1, cancelled: 0 });
    await sleep(1300);
    expect(log.started).toBe(1);
  }, 15_000);

  it('stop cancels runs still going when the grace period is over', async () => {
    const log = newLog();
    const events: SchedulerEvent[] = [];
    const s = new Scheduler({
      workflows: [await workflow('    - cron: "* * * * * *"')],
      startRun: () => fakeRun(60_000, log),
      onEvent: (e) => events.push(e),
    });
    await s.start();
    while (log.started === 0) await sleep(20);
    const stopping = Date.now();
    await s.stop({ graceMs: 300 });
    expect(Date.now() - stopping).toBeLessThan(5000);
    expect(log).toMatchObject({ started: 1, ended: 1, cancelled: 1 });
    expect(events.map((e) => e.type)).toContain('cancel-running');
  }, 15_000);

  it('catch-up last: one run for fires missed while the daemon was down; none: no run', async () => {
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const [policy, expected] of [['last', 1], ['none', 0]] as const) {
      const fires: FireInfo[] = [];
      const s = new Scheduler({
        workflows: [await workflow(`    - cron: "0 * * * * *"\n      catch-up: ${policy}`)],
        startRun: (_job, fire) => {
          fires.push(fire);
          return fakeRun(10, newLog());
        },
        lastFiredAt: () => hourAgo,
      });
      schedulers.push(s);
      await s.start();
      expect(fires.filter((f) => f.catchUp)).toHaveLength(expected);
      if (expected) expect(Date.now() - fires[0]!.scheduledAt.getTime()).toBeLessThan(61_000);
    }
  });

  it('a run that fails to start is reported and the daemon keeps firing', async () => {
    const events: SchedulerEvent[] = [];
    let calls = 0;
    const s = new Scheduler({
      workflows: [await workflow('    - cron: "* * * * * *"')],
      startRun: () => {
        calls++;
        throw new Error('cannot start');
      },
      onEvent: (e) => events.push(e),
    });
    schedulers.push(s);
    await s.start();
    await sleep(2300);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(calls);
  }, 15_000);
});
