import { describe, expect, it } from 'vitest';
import { runExample } from './main.js';

describe('examples/api', () => {
  it('runs the workflow with the inline plugin, passing outputs and masking the token', async () => {
    const { result, lines } = await runExample({ token: 'tok-SECRET-42' });
    expect(result.status).toBe('success');
    const byId = Object.fromEntries(result.tasks.map((t) => [t.task.id, t]));
    expect(byId.fruit!.outputs).toEqual({ total: 3, first: 'apples' });
    expect(byId.report!.outputs).toEqual({ published: true });
    expect(byId['on-failure']!.status).toBe('skipped');
    expect(lines).toContain('  [report] publishing "3 fruit, 2 veg" with token ***');
    expect(JSON.stringify({ result, lines })).not.toContain('tok-SECRET-42');
  });

  it('types --input values and fails the run when a task fails', async () => {
    const { result } = await runExample({ inputs: { limit: '2' } });
    expect(result.status).toBe('failure');
    const fruit = result.tasks.find((t) => t.task.id === 'fruit')!;
    expect(fruit.attempts[0]!.failure).toMatchObject({ kind: 'limit', message: '3 items is more than 2' });
    expect(fruit.outputs).toEqual({ total: 3 });
    expect(result.tasks.find((t) => t.task.id === 'report')!.status).toBe('skipped');
    expect(result.tasks.find((t) => t.task.id === 'on-failure')!.status).toBe('success');
  });

  it('rejects a bad input value before anything runs', async () => {
    await expect(runExample({ inputs: { limit: 'many' } })).rejects.toMatchObject({ code: 'PSR_INPUT' });
  });
});
