import { describe, expect, it } from 'vitest';
import { loadWorkflow, parseDuration, PsrAggregateError, workflowJsonSchema } from '../index.js';

describe('the public loader API of @psr/core', () => {
  it('loads through the lazy entry point and rejects with every problem', async () => {
    const wf = await loadWorkflow('tasks:\n  hello:\n    run: echo hello\n');
    expect(wf.tasks[0]).toMatchObject({ id: 'hello', uses: 'run', with: { run: 'echo hello' } });
    await expect(loadWorkflow('tasks:\n  a:\n    needs: [b]\n    run: x\n  b:\n    needs: [a]\n    run: y\n')).rejects.toBeInstanceOf(PsrAggregateError);
    expect(parseDuration('2m')).toBe(120_000);
  });

  it('serves the JSON Schema the package publishes', async () => {
    const schema = await workflowJsonSchema();
    expect(schema).toMatchObject({ type: 'object', required: ['tasks'], additionalProperties: false });
  });
});
