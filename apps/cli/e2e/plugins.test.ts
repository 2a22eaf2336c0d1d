/**
 * Plugins from `plugins:` (a relative path) through the real binary: task types, their
 * `with:` schema, outputs into expressions.
 */
import { describe, expect, it } from 'vitest';
import { psr } from './harness.js';

const dir = 'apps/cli/fixtures/local-plugin';

describe('a local plugin', () => {
  it('runs its task type and passes its outputs on', async () => {
    const r = await psr(['run', `${dir}/workflow.yml`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[hi] hello plugins\n[hi] hello plugins\n');
    expect(r.stdout).toContain("[after] got 'hello plugins' (13 chars)");
  });

  it('reports a with: value that fails the task type schema at its line', async () => {
    const r = await psr(['validate', `${dir}/bad-input.yml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${dir}/bad-input.yml:8:12:`);
    expect(r.stderr).toContain('[PSR_TASK_INPUT]');
  });

  it('graph shows plugin tasks like any other', async () => {
    const r = await psr(['graph', `${dir}/workflow.yml`, '--format', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"hi" -> "after";');
  });
});
