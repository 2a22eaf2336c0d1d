import { describe, expect, it } from 'vitest';
import { createEngine } from '../index.js';
import { testRegistry, testWorkflow } from './testWorkflow.js';

describe('the public createEngine of @psr/core (scheduler loaded on the first run)', () => {
  it('hands out the run id at once, streams every event and resolves to the result', async () => {
    const { registry } = testRegistry();
    const handle = createEngine({ registry }).run(testWorkflow({ a: {}, b: { needs: ['a'] } }), { runId: 'run-1' });
    expect(handle.id).toBe('run-1');
    const types: string[] = [];
    for await (const e of handle) types.push(e.type);
    const result = await handle;
    expect(result.status).toBe('success');
    expect(result.tasks.map((t) => t.task.id)).toEqual(['a', 'b']);
    expect(types[0]).toBe('run-start');
    expect(types.at(-1)).toBe('run-end');
  });

  it('applies a cancel called before the scheduler is loaded: no task starts', async () => {
    const { registry, calls } = testRegistry();
    const handle = createEngine({ registry }).run(testWorkflow({ a: { with: { sleepMs: 5000 } } }));
    expect(handle.id).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    handle.cancel('stop');
    const result = await handle;
    expect(result.status).toBe('cancelled');
    expect(result.tasks[0]!.status).toBe('cancelled');
    expect(calls).toHaveLength(0);
  });

  it('rejects when the run cannot start (invalid inputs)', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({ a: {} }, { inputs: { n: { type: 'number', required: true } } });
    await expect(createEngine({ registry }).run(wf)).rejects.toMatchObject({ code: 'PSR_INPUT' });
  });
});
