import { describe, expect, it } from 'vitest';
import type { RunEvent, TaskResult } from '../events.js';
import type { MatrixSpec } from '../model.js';
import { createEngine } from './engine.js';
import { testRegistry, testWorkflow } from './testWorkflow.js';

function byId(tasks: TaskResult[]): Record<string, TaskResult> {
  return Object.fromEntries(tasks.map((t) => [t.task.id, t]));
}

/** The GitHub Actions idiom: two stable versions and one experimental one from include. */
const pyMatrix: MatrixSpec = { axes: { py: ['3.11', '3.12'], experimental: [false] }, include: [{ py: '3.13', experimental: true }], exclude: [] };

describe('engine: continue-on-error as an expression', () => {
  it('is evaluated per instance: the experimental instance continues, a stable one fails the task', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      build: { matrix: pyMatrix, continueOnErrorExpression: 'matrix.experimental', with: { fail: true } },
      after: { needs: ['build'], if: 'always()', with: { outputs: { r: '${{ tasks.build.result }}' } } },
    });
    const result = await createEngine({ registry }).run(wf, { concurrency: 4 });
    const t = byId(result.tasks);
    expect(t['build (py=3.13, experimental=true)']).toMatchObject({ status: 'failure', continuedOnError: true });
    expect(t['build (py=3.11, experimental=false)']!.status).toBe('failure');
    expect(t['build (py=3.11, experimental=false)']!.continuedOnError).toBeUndefined();
    expect(t.after!.outputs.r).toBe('failure');
    expect(result.status).toBe('failure');
  });

  it('keeps the task successful when only instances that continue fail', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      build: { matrix: pyMatrix, continueOnErrorExpression: 'matrix.experimental', with: { fail: '${{ matrix.experimental }}' } },
      after: { needs: ['build'], with: { outputs: { r: '${{ tasks.build.result }}' } } },
    });
    const result = await createEngine({ registry }).run(wf, { concurrency: 4 });
    expect(result.status).toBe('success');
    expect(byId(result.tasks)['build (py=3.13, experimental=true)']).toMatchObject({ status: 'failure', continuedOnError: true });
    expect(byId(result.tasks).after!.outputs.r).toBe('success');
  });

  it('uses truthiness: a non-empty string continues, an empty one does not', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      yes: { continueOnErrorExpression: "format('{0}', 'x')", with: { fail: true } },
      no: { continueOnErrorExpression: "format('')", with: { fail: true } },
    });
    const result = await createEngine({ registry }).run(wf);
    expect(byId(result.tasks).yes!.continuedOnError).toBe(true);
    expect(byId(result.tasks).no!.continuedOnError).toBeUndefined();
    expect(result.status).toBe('failure');
  });

  it('fails the task with a typed expression error when it cannot be evaluated', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({ bad: { continueOnErrorExpression: "fromJSON('not json')", with: { fail: true } } });
    const logs: string[] = [];
    const result = await createEngine({ registry, observers: [{ onOutput: (e) => void logs.push(e.text) }] }).run(wf);
    const bad = byId(result.tasks).bad!;
    expect(bad.status).toBe('failure');
    expect(bad.continuedOnError).toBeUndefined();
    expect(bad.reason).toMatch(/^continue-on-error: cannot evaluate `fromJSON\('not json'\)`/);
    expect(logs.join('')).toContain('[PSR_EXPRESSION]');
    expect(logs.join('')).not.toMatch(/\n\s+at /);
    expect(result.status).toBe('failure');
  });

  it('is not evaluated for an instance that succeeds', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({ ok: { continueOnErrorExpression: "fromJSON('not json')" } });
    const result = await createEngine({ registry }).run(wf);
    expect(result.status).toBe('success');
    expect(byId(result.tasks).ok!.reason).toBeUndefined();
  });
});

describe('engine: strategy.fail-fast', () => {
  const matrix = (extra: Partial<MatrixSpec> = {}): MatrixSpec => ({ axes: { n: [1, 2, 3, 4] }, include: [], exclude: [], failFast: true, ...extra });

  it('cancels running siblings and the ones not started when an instance fails; other tasks go on', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      test: { matrix: matrix({ maxParallel: 3 }), with: { sleepMs: '${{ matrix.n == 1 && 20 || 5000 }}', fail: '${{ matrix.n == 1 }}' } },
      other: { with: { sleepMs: 100 } },
    });
    const events: RunEvent[] = [];
    const result = await createEngine({ registry, observers: [{ onTaskStart: (e) => void events.push(e) }] }).run(wf, { concurrency: 8 });
    const t = byId(result.tasks);
    expect(t['test (n=1)']!.status).toBe('failure');
    for (const id of ['test (n=2)', 'test (n=3)']) {
      expect(t[id]).toMatchObject({ status: 'cancelled', reason: 'cancelled by strategy.fail-fast: test (n=1) failed' });
    }
    // n=4 was held back by max-parallel: it never starts.
    expect(t['test (n=4)']).toMatchObject({ status: 'cancelled', attempts: [] });
    expect(events.map((e) => (e as { task: { id: string } }).task.id)).not.toContain('test (n=4)');
    expect(calls.find((c) => c.instanceId === 'test (n=2)')!.aborted).toBeDefined();
    expect(t.other!.status).toBe('success');
    expect(result.status).toBe('failure');
  });

  it('ends queued siblings at once, without waiting for a free slot', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      long: { with: { sleepMs: 1000 } },
      test: { matrix: matrix({ axes: { n: [1, 2, 3] } }), with: { sleepMs: 10, fail: '${{ matrix.n == 1 }}' } },
      after: { needs: ['test'], if: 'always()', with: { outputs: { r: '${{ tasks.test.result }}' } } },
    });
    // Two slots: long and test (n=1) run; n=2 and n=3 wait in the queue.
    const result = await createEngine({ registry }).run(wf, { concurrency: 2 });
    const t = byId(result.tasks);
    expect(t['test (n=2)']).toMatchObject({ status: 'cancelled', attempts: [] });
    expect(t['test (n=3)']).toMatchObject({ status: 'cancelled', attempts: [] });
    expect(t.after!.outputs.r).toBe('failure');
    const at = Object.fromEntries(calls.map((c) => [c.instanceId, c]));
    expect(at.after!.start).toBeLessThan(at.long!.end);
  });

  it('does not cancel siblings for a failure that continues', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      test: { matrix: matrix(), continueOnError: true, with: { sleepMs: '${{ matrix.n == 1 && 1 || 50 }}', fail: '${{ matrix.n == 1 }}' } },
    });
    const result = await createEngine({ registry }).run(wf, { concurrency: 8 });
    expect(result.tasks.map((t) => t.status)).toEqual(['failure', 'success', 'success', 'success']);
    expect(result.status).toBe('success');
  });

  it('leaves siblings alone when it is off (the default)', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      test: { matrix: matrix({ failFast: undefined }), with: { sleepMs: '${{ matrix.n == 1 && 1 || 50 }}', fail: '${{ matrix.n == 1 }}' } },
    });
    const result = await createEngine({ registry }).run(wf, { concurrency: 8 });
    expect(result.tasks.map((t) => t.status)).toEqual(['failure', 'success', 'success', 'success']);
  });

  it('works for a dynamic matrix', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      list: { with: { outputs: { ns: '[1,2,3]' } } },
      test: {
        needs: ['list'],
        matrix: { axes: { n: [] }, include: [], exclude: [], failFast: true, expressions: { axes: { n: 'fromJSON(tasks.list.outputs.ns)' } } },
        with: { sleepMs: '${{ matrix.n == 1 && 10 || 5000 }}', fail: '${{ matrix.n == 1 }}' },
      },
    });
    const result = await createEngine({ registry }).run(wf, { concurrency: 8 });
    expect(result.tasks.map((t) => [t.task.id, t.status])).toEqual([
      ['list', 'success'],
      ['test (n=1)', 'failure'],
      ['test (n=2)', 'cancelled'],
      ['test (n=3)', 'cancelled'],
    ]);
  });

  it('ends the retry wait of a sibling', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      test: {
        matrix: matrix({ axes: { n: [1, 2] } }),
        // n=1 fails at once with exit 2 and waits to retry; n=2 fails later with exit 1, not retried.
        retry: { attempts: 3, delayMs: 5000, maxDelayMs: 5000, on: [2] },
        with: { sleepMs: '${{ matrix.n == 1 && 1 || 100 }}', fail: true, exitCode: '${{ matrix.n == 1 && 2 || 1 }}' },
      },
    });
    const result = await createEngine({ registry }).run(wf, { concurrency: 8 });
    const t = byId(result.tasks);
    expect(t['test (n=2)']!.status).toBe('failure');
    expect(t['test (n=1)']).toMatchObject({ status: 'cancelled', reason: 'cancelled by strategy.fail-fast: test (n=2) failed (while waiting to retry)' });
    expect(t['test (n=1)']!.attempts).toHaveLength(1);
  });
});
