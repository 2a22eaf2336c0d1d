import { describe, expect, it } from 'vitest';
import type { RunEvent, TaskResult } from '../events.js';
import { createEngine } from './engine.js';
import { testRegistry, testWorkflow } from './testWorkflow.js';

function byId(tasks: TaskResult[]): Record<string, TaskResult> {
  return Object.fromEntries(tasks.map((t) => [t.task.id, t]));
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

describe('engine: DAG', () => {
  it('runs the middle of a diamond in parallel and the ends in order', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      top: { with: { outputs: { n: 1 } } },
      left: { needs: ['top'], with: { sleepMs: 300 } },
      right: { needs: ['top'], with: { sleepMs: 300 } },
      bottom: { needs: ['left', 'right'] },
    });
    const result = await createEngine({ registry }).run(wf, { concurrency: 4 });
    expect(result.status).toBe('success');
    expect(result.tasks.map((t) => t.task.id)).toEqual(['top', 'left', 'right', 'bottom']);
    const c = Object.fromEntries(calls.map((x) => [x.instanceId, x]));
    expect(overlaps(c.left!, c.right!)).toBe(true);
    expect(c.top!.end).toBeLessThanOrEqual(c.left!.start);
    expect(c.bottom!.start).toBeGreaterThanOrEqual(Math.max(c.left!.end, c.right!.end));
    for (const t of result.tasks) {
      expect(t.attempts).toHaveLength(1);
      expect(t.attempts[0]!.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(byId(result.tasks).left!.attempts[0]!.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('respects concurrency 1: nothing overlaps', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({ a: { with: { sleepMs: 50 } }, b: { with: { sleepMs: 50 } }, c: { with: { sleepMs: 50 } } });
    const result = await createEngine({ registry }).run(wf, { concurrency: 1 });
    expect(result.status).toBe('success');
    for (const x of calls) for (const y of calls) if (x !== y) expect(overlaps(x, y)).toBe(false);
  });

  it('emits every event in order to observers and to a late iterator', async () => {
    const { registry } = testRegistry();
    const seen: string[] = [];
    const wf = testWorkflow({ a: { with: { log: ['hello'] } }, b: { needs: ['a'] } });
    const handle = createEngine({
      registry,
      observers: [
        {
          onRunStart: async () => {
            await new Promise((r) => setTimeout(r, 20));
            seen.push('run-start');
          },
          onTaskStart: (e) => void seen.push(`task-start ${e.task.id}`),
          onAttemptStart: (e) => void seen.push(`attempt-start ${e.task.id}`),
          onOutput: (e) => void seen.push(`output ${e.task.id} ${e.text}`),
          onAttemptEnd: (e) => void seen.push(`attempt-end ${e.task.id}`),
          onTaskEnd: (e) => void seen.push(`task-end ${e.task.id} ${e.result.status}`),
          onRunEnd: (e) => void seen.push(`run-end ${e.result.status}`),
        },
      ],
    }).run(wf);
    const result = await handle;
    const iterated: RunEvent['type'][] = [];
    for await (const e of handle) iterated.push(e.type);
    const expected = [
      'run-start',
      'task-start a',
      'attempt-start a',
      'output a hello',
      'attempt-end a',
      'task-end a success',
      'task-start b',
      'attempt-start b',
      'attempt-end b',
      'task-end b success',
      'run-end success',
    ];
    expect(seen).toEqual(expected);
    expect(iterated).toEqual(expected.map((s) => s.split(' ')[0]));
    expect(result.status).toBe('success');
  });
});
