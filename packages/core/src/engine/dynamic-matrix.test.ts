import { describe, expect, it } from 'vitest';
import type { RunEvent, TaskResult } from '../events.js';
import { evaluateExpression } from '../expressions/expression.js';
import type { MatrixSpec } from '../model.js';
import { expandDynamicMatrix } from './dynamic-matrix.js';
import { createEngine } from './engine.js';
import { testRegistry, testWorkflow } from './testWorkflow.js';

function byId(tasks: TaskResult[]): Record<string, TaskResult> {
  return Object.fromEntries(tasks.map((t) => [t.task.id, t]));
}

/** A matrix whose axis `pkg` is the JSON list a task `list` writes as output `pkgs`. */
function pkgMatrix(extra: Partial<MatrixSpec> = {}): MatrixSpec {
  return { axes: { pkg: [] }, include: [], exclude: [], expressions: { axes: { pkg: 'fromJSON(tasks.list.outputs.pkgs)' } }, ...extra };
}

describe('engine: dynamic matrix', () => {
  it('expands an axis from an output once its needs are done; dependents wait for every instance', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      list: { with: { sleepMs: 20, outputs: { pkgs: '["a","b","c"]' } } },
      test: {
        needs: ['list'],
        matrix: { axes: { pkg: [], py: ['3.11', '3.12'] }, include: [], exclude: [], expressions: { axes: { pkg: 'fromJSON(tasks.list.outputs.pkgs)' } } },
        with: { sleepMs: 10, outputs: { last: '${{ matrix.pkg }}-${{ matrix.py }}' } },
      },
      after: { needs: ['test'], with: { outputs: { r: '${{ tasks.test.result }}', last: '${{ tasks.test.outputs.last }}' } } },
    });
    const events: RunEvent[] = [];
    const result = await createEngine({ registry, observers: [{ onTaskStart: (e) => void events.push(e), onTaskEnd: (e) => void events.push(e) }] }).run(wf, { concurrency: 8 });
    expect(result.status).toBe('success');
    expect(result.tasks.map((t) => t.task.id)).toEqual([
      'list',
      'test (pkg=a, py=3.11)',
      'test (pkg=a, py=3.12)',
      'test (pkg=b, py=3.11)',
      'test (pkg=b, py=3.12)',
      'test (pkg=c, py=3.11)',
      'test (pkg=c, py=3.12)',
      'after',
    ]);
    expect(byId(result.tasks)['test (pkg=b, py=3.12)']!.task).toMatchObject({ taskId: 'test', matrix: { pkg: 'b', py: '3.12' } });
    const t = Object.fromEntries(calls.map((c) => [c.instanceId, c]));
    const instances = calls.filter((c) => c.instanceId.startsWith('test '));
    expect(instances).toHaveLength(6);
    for (const c of instances) expect(c.start).toBeGreaterThanOrEqual(t.list!.end);
    expect(t.after!.start).toBeGreaterThanOrEqual(Math.max(...instances.map((c) => c.end)));
    expect(byId(result.tasks).after!.outputs.r).toBe('success');
    expect(instances.map((c) => c.input.outputs)).toContainEqual({ last: byId(result.tasks).after!.outputs.last });
    // Instances are announced as they start: the task itself never starts or ends on its own.
    expect(events.filter((e) => e.type === 'task-start').map((e) => (e as { task: { id: string } }).task.id)).not.toContain('test');
    expect(events.filter((e) => e.type === 'task-end')).toHaveLength(8);
  });

  it('takes the whole matrix, include and exclude from one object', async () => {
    const { registry, calls } = testRegistry();
    const matrix = { os: ['linux', 'mac'], py: [1, 2], exclude: [{ os: 'mac', py: 1 }], include: [{ os: 'mac', extra: 'x' }, { os: 'bsd', py: 3 }] };
    const wf = testWorkflow({
      gen: { with: { outputs: { matrix: JSON.stringify(matrix) } } },
      whole: { needs: ['gen'], matrix: { axes: {}, include: [], exclude: [], expressions: { matrix: 'fromJSON(tasks.gen.outputs.matrix)' } } },
    });
    const result = await createEngine({ registry }).run(wf);
    expect(result.status).toBe('success');
    expect(calls.slice(1).map((c) => c.instanceId).sort()).toEqual(
      ['whole (os=linux, py=1)', 'whole (os=linux, py=2)', 'whole (os=mac, py=2, extra=x)', 'whole (os=bsd, py=3)'].sort(),
    );
  });

  it('honours max-parallel for the instances it creates', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      list: { with: { outputs: { pkgs: '[1,2,3,4,5]' } } },
      test: { needs: ['list'], matrix: pkgMatrix({ maxParallel: 2 }), with: { sleepMs: 80 } },
    });
    const result = await createEngine({ registry }).run(wf, { concurrency: 5 });
    expect(result.status).toBe('success');
    const instances = calls.filter((c) => c.instanceId.startsWith('test '));
    expect(instances).toHaveLength(5);
    let most = 0;
    for (const c of instances) most = Math.max(most, instances.filter((o) => o.start <= c.start && c.start < o.end).length);
    expect(most).toBe(2);
  });

  it('fails the task with PSR_MATRIX when the value is not JSON or has the wrong shape; dependents are skipped', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      list: { with: { outputs: { pkgs: 'a, b', one: '"a"' } } },
      test: { needs: ['list'], matrix: pkgMatrix(), with: {} },
      shape: { needs: ['list'], matrix: { axes: { pkg: [] }, include: [], exclude: [], expressions: { axes: { pkg: 'fromJSON(tasks.list.outputs.one)' } } } },
      after: { needs: ['test'] },
      report: { needs: ['test'], if: 'always()', with: { outputs: { r: '${{ tasks.test.result }}' } } },
    });
    const result = await createEngine({ registry }).run(wf);
    expect(result.status).toBe('failure');
    const t = byId(result.tasks);
    expect(t.test!.status).toBe('failure');
    const failure = t.test!.attempts[0]!.failure!;
    expect(failure.kind).toBe('matrix');
    expect(failure.diagnostic).toMatchObject({ code: 'PSR_MATRIX', hint: expect.stringContaining('fromJSON') });
    expect(failure.message).toMatch(/^the matrix of task "test" could not be evaluated: cannot evaluate `fromJSON\(tasks\.list\.outputs\.pkgs\)`: /);
    expect(t.shape!.attempts[0]!.failure!.message).toBe('matrix axis "pkg" of task "shape" must be a list of values (${{ fromJSON(tasks.list.outputs.one) }} gave the string "a")');
    expect(t.after).toMatchObject({ status: 'skipped', reason: 'needs not successful: test (failure)' });
    expect(t.report!.outputs).toEqual({ r: 'failure' });
    expect(calls.map((c) => c.instanceId)).toEqual(['list', 'report']);
  });

  it('skips the task when the matrix has no combinations', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      list: { with: { outputs: { pkgs: '[]' } } },
      test: { needs: ['list'], matrix: pkgMatrix() },
      after: { needs: ['test'], if: '!failure()', with: { outputs: { r: '${{ tasks.test.result }}' } } },
    });
    const result = await createEngine({ registry }).run(wf);
    expect(result.status).toBe('success');
    const t = byId(result.tasks);
    expect(t.test).toMatchObject({ status: 'skipped', reason: 'the matrix has no combinations', attempts: [] });
    expect(t.after!.outputs).toEqual({ r: 'skipped' });
    expect(calls.map((c) => c.instanceId)).toEqual(['list', 'after']);
  });

  it('does not expand a task whose if: is false or whose needs failed: one skipped row', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      list: { with: { fail: true, outputs: { pkgs: '["a"]' } } },
      test: { needs: ['list'], matrix: pkgMatrix() },
      off: { if: 'false', matrix: { axes: { n: [] }, include: [], exclude: [], expressions: { axes: { n: 'fromJSON(\'[1]\')' } } } },
    });
    const result = await createEngine({ registry }).run(wf);
    const t = byId(result.tasks);
    expect(t.test).toMatchObject({ status: 'skipped', reason: 'needs not successful: list (failure)' });
    expect(t.off).toMatchObject({ status: 'skipped', reason: 'if: false was false' });
  });

  it('is cancelled, not expanded, when the run is cancelled while it waits for its needs', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      list: { with: { sleepMs: 5000, outputs: { pkgs: '["a","b"]' } } },
      test: { needs: ['list'], matrix: pkgMatrix() },
    });
    const handle = createEngine({ registry }).run(wf);
    for await (const e of handle) if (e.type === 'attempt-start') break;
    handle.cancel('Ctrl-C');
    const result = await handle;
    expect(result.status).toBe('cancelled');
    expect(byId(result.tasks).test).toMatchObject({ status: 'cancelled', reason: 'run cancelled: Ctrl-C' });
    expect(calls.map((c) => c.instanceId)).toEqual(['list']);
  });

  it('reuses the outputs of instances listed on resume', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      list: { with: { outputs: { pkgs: '["a","b"]' } } },
      test: { needs: ['list'], matrix: pkgMatrix(), with: { outputs: { v: 'new' } } },
    });
    const result = await createEngine({ registry }).run(wf, { reuse: { list: { pkgs: '["a","b"]' }, 'test (pkg=a)': { v: 'old' } } });
    expect(byId(result.tasks)['test (pkg=a)']).toMatchObject({ status: 'success', reused: true, outputs: { v: 'old' } });
    expect(calls.map((c) => c.instanceId)).toEqual(['test (pkg=b)']);
  });
});

describe('expandDynamicMatrix', () => {
  const evaluate = (values: Record<string, unknown>) => (e: string) => evaluateExpression(e, { inputs: values });

  it('merges evaluated parts with the static ones, keeping the axis order as written', () => {
    const spec: MatrixSpec = { axes: { a: [], b: ['x'] }, include: [{ b: 'x', extra: 1 }], exclude: [], expressions: { axes: { a: 'fromJSON(inputs.a)' }, exclude: 'fromJSON(inputs.ex)' } };
    expect(expandDynamicMatrix('t', spec, evaluate({ a: '[1,2]', ex: '[{"a":2}]' }))).toEqual([{ a: 1, b: 'x', extra: 1 }]);
  });

  it('says so when fromJSON reads an output that is empty (never written, or a typo)', () => {
    const spec: MatrixSpec = { axes: { a: [] }, include: [], exclude: [], expressions: { axes: { a: 'fromJSON(inputs.missing)' } } };
    expect(() => expandDynamicMatrix('t', spec, evaluate({}))).toThrow('the matrix of task "t" could not be evaluated: inputs.missing is empty, so fromJSON has nothing to read');
  });

  it('refuses more than 256 combinations and repeated instances', () => {
    const spec: MatrixSpec = { axes: { a: [], b: [] }, include: [], exclude: [], expressions: { axes: { a: 'fromJSON(inputs.l)', b: 'fromJSON(inputs.l)' } } };
    const big = JSON.stringify(Array.from({ length: 17 }, (_, i) => i));
    expect(() => expandDynamicMatrix('t', spec, evaluate({ l: big }))).toThrow('matrix of task "t" expands to 289 instances; the limit is 256');
    expect(() => expandDynamicMatrix('t', spec, evaluate({ l: '[1,1]' }))).toThrow('matrix of task "t" produces the instance "t (a=1, b=1)" twice');
  });

  it('checks the shape of an evaluated whole matrix like the loader', () => {
    const spec: MatrixSpec = { axes: {}, include: [], exclude: [], expressions: { matrix: 'fromJSON(inputs.m)' } };
    expect(() => expandDynamicMatrix('t', spec, evaluate({ m: '[1]' }))).toThrow('strategy.matrix of task "t" must be a mapping of axes, not a list [1]');
    expect(() => expandDynamicMatrix('t', spec, evaluate({ m: '{"os":["a"],"exclude":[{"oss":"a"}]}' }))).toThrow('matrix exclude of task "t" names "oss", which is not an axis');
    expect(() => expandDynamicMatrix('t', spec, evaluate({ m: '{"os":[["a"]]}' }))).toThrow('matrix axis "os" of task "t" holds a list at [0]');
    expect(expandDynamicMatrix('t', spec, evaluate({ m: '{}' }))).toEqual([]);
  });
});
