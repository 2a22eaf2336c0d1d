import { describe, expect, it } from 'vitest';
import type { RunEvent, TaskResult } from '../events.js';
import { createEngine } from './engine.js';
import { testRegistry, testWorkflow } from './testWorkflow.js';

function byId(tasks: TaskResult[]): Record<string, TaskResult> {
  return Object.fromEntries(tasks.map((t) => [t.task.id, t]));
}

function maxConcurrent(intervals: Array<{ start: number; end: number }>): number {
  const points = intervals.flatMap((i) => [
    [i.start, 1],
    [i.end, -1],
  ]);
  points.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let now = 0;
  let max = 0;
  for (const [, d] of points) max = Math.max(max, (now += d!));
  return max;
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

describe('engine: failures, skips and conditions', () => {
  it('retries then succeeds, recording each attempt', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({ flaky: { with: { failUntil: 2 }, retry: { attempts: 3, delayMs: 10, maxDelayMs: 100 } }, after: { needs: ['flaky'] } });
    const events: RunEvent[] = [];
    const handle = createEngine({ registry }).run(wf);
    for await (const e of handle) events.push(e);
    const result = await handle;
    expect(result.status).toBe('success');
    const flaky = byId(result.tasks).flaky!;
    expect(flaky.status).toBe('success');
    expect(flaky.attempts.map((a) => a.status)).toEqual(['failure', 'failure', 'success']);
    expect(flaky.attempts[0]!.failure).toMatchObject({ kind: 'exit', exitCode: 1, message: 'step failed' });
    expect(calls.filter((c) => c.instanceId === 'flaky').map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.type === 'retry-wait').map((e) => (e as { attempt: number }).attempt)).toEqual([2, 3]);
    expect(byId(result.tasks).after!.status).toBe('success');
  });

  it('retries exhausted: dependents skipped, always()/failure() run, independent branch finishes, run fails', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      broken: { with: { fail: true }, retry: { attempts: 2 } },
      child: { needs: ['broken'] },
      grandchild: { needs: ['child'] },
      cleanup: { needs: ['grandchild'], if: 'always()' },
      notify: { needs: ['child'], if: 'failure()' },
      happy: { needs: ['child'], if: 'success()' },
      other: { with: { sleepMs: 100 } },
      otherChild: { needs: ['other'] },
    });
    const result = await createEngine({ registry }).run(wf);
    const t = byId(result.tasks);
    expect(result.status).toBe('failure');
    expect(t.broken!.status).toBe('failure');
    expect(t.broken!.attempts).toHaveLength(2);
    expect(t.child!.status).toBe('skipped');
    expect(t.child!.reason).toContain('broken (failure)');
    expect(t.grandchild!.status).toBe('skipped');
    expect(t.cleanup!.status).toBe('success');
    expect(t.notify!.status).toBe('success');
    expect(t.happy!.status).toBe('skipped');
    expect(t.other!.status).toBe('success');
    expect(t.otherChild!.status).toBe('success');
    expect(calls.map((c) => c.instanceId).sort()).toEqual(['broken', 'broken', 'cleanup', 'notify', 'other', 'otherChild']);
  });

  it('does not retry a failure that retry.on does not list', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      a: { with: { fail: true, exitCode: 2 }, retry: { attempts: 5, on: [75, 'network'] } },
      b: { with: { fail: true, exitCode: 75 }, retry: { attempts: 3, on: [75] } },
      c: { with: { fail: true, kind: 'network' }, retry: { attempts: 2, on: ['network'] } },
    });
    const result = await createEngine({ registry }).run(wf);
    const t = byId(result.tasks);
    expect(t.a!.attempts).toHaveLength(1);
    expect(t.b!.attempts).toHaveLength(3);
    expect(t.c!.attempts).toHaveLength(2);
    expect(calls).toHaveLength(6);
  });

  it('retries a failure its task marks not retryable (a scan\'s findings) only when retry.on names its kind', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      bare: { with: { fail: true, kind: 'findings', retryable: false }, retry: { attempts: 3, delayMs: 1 } },
      other: { with: { fail: true, kind: 'findings', retryable: false }, retry: { attempts: 3, delayMs: 1, on: ['source'] } },
      named: { with: { fail: true, kind: 'findings', retryable: false }, retry: { attempts: 2, delayMs: 1, on: ['findings'] } },
      flaky: { with: { fail: true, kind: 'source' }, retry: { attempts: 2, delayMs: 1 } },
    });
    const result = await createEngine({ registry }).run(wf);
    const t = byId(result.tasks);
    expect(t.bare!.attempts).toHaveLength(1);
    expect(t.bare!.attempts[0]!.failure).toMatchObject({ kind: 'findings', retryable: false });
    expect(t.other!.attempts).toHaveLength(1);
    expect(t.named!.attempts).toHaveLength(2);
    expect(t.flaky!.attempts).toHaveLength(2);
    expect(calls).toHaveLength(6);
  });

  it('stops retrying when the retry budget would be exceeded', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({ a: { with: { fail: true, sleepMs: 20 }, retry: { attempts: 20, delayMs: 200, maxDelayMs: 200, budgetMs: 1000 } } });
    const result = await createEngine({ registry }).run(wf);
    const a = result.tasks[0]!;
    // ~220 ms per try: the budget, not the 20 attempts, ends it, and no attempt starts beyond it.
    expect(a.status).toBe('failure');
    expect(a.attempts.length).toBeGreaterThan(1);
    expect(a.attempts.length).toBeLessThan(20);
    const first = Date.parse(a.attempts[0]!.startedAt);
    for (const at of a.attempts) expect(Date.parse(at.startedAt) - first).toBeLessThan(1000);
  });

  it('gates tasks on outputs and inputs through expressions, interpolates with:', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow(
      {
        scan: { with: { outputs: { critical: 0, total: 3, name: 'deps' } } },
        release: { needs: ['scan'], if: "${{ tasks.scan.outputs.critical == 0 && inputs.target == 'prod' }}" },
        block: { needs: ['scan'], if: 'tasks.scan.outputs.total > 5' },
        report: {
          needs: ['scan'],
          with: {
            message: 'total=${{ tasks.scan.outputs.total }} from ${{ tasks.scan.outputs.name }} on ${{ env.STAGE }}/${{ run.workflow }}',
            exitCode: '${{ tasks.scan.outputs.total }}',
            outputs: { result: '${{ tasks.scan.result }}', nested: ['${{ inputs.target }}'] },
          },
          env: { STAGE: '${{ inputs.target }}-x' },
        },
      },
      { inputs: { target: { type: 'string', required: false, default: 'staging', enum: ['staging', 'prod'] } } },
    );
    const result = await createEngine({ registry }).run(wf, { inputs: { target: 'prod' } });
    const t = byId(result.tasks);
    expect(t.release!.status).toBe('success');
    expect(t.block!.status).toBe('skipped');
    expect(t.block!.reason).toContain('was false');
    const report = calls.find((c) => c.instanceId === 'report')!;
    expect(report.input.message).toBe('total=3 from deps on prod-x/test');
    expect(report.input.exitCode).toBe(3);
    expect(t.report!.outputs).toEqual({ result: 'success', nested: ['prod'] });
    expect(report.env.STAGE).toBe('prod-x');
  });

  it('fails a task with a clear message when an expression cannot be evaluated, without crashing', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      badIf: { if: 'nonsense.x == 1' },
      badWith: { with: { message: 'x ${{ tasks.a.outputs. }}' } },
      unclosed: { with: { message: 'x ${{ inputs.a' } },
      fine: {},
    });
    const result = await createEngine({ registry }).run(wf);
    const t = byId(result.tasks);
    expect(result.status).toBe('failure');
    expect(t.badIf!.status).toBe('failure');
    expect(t.badIf!.attempts[0]!.failure!.message).toMatch(/Unrecognized named-value: 'nonsense'/);
    expect(t.badIf!.attempts[0]!.failure!.diagnostic?.code).toBe('PSR_EXPRESSION');
    expect(t.badWith!.attempts[0]!.failure!.kind).toBe('expression');
    expect(t.unclosed!.attempts[0]!.failure!.message).toMatch(/unclosed/);
    expect(t.fine!.status).toBe('success');
  });

  it('reports a with: that does not match the task schema as PSR_TASK_INPUT, not retried', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({ a: { with: { sleepMs: 'soon', fail: 'yes' }, retry: { attempts: 3 } } });
    const result = await createEngine({ registry }).run(wf);
    const a = result.tasks[0]!;
    expect(a.status).toBe('failure');
    expect(a.attempts).toHaveLength(1);
    expect(a.attempts[0]!.failure!.kind).toBe('input');
    expect(a.attempts[0]!.failure!.diagnostic!.code).toBe('PSR_TASK_INPUT');
    // In psr validate's words: the value given and what was expected.
    expect(a.attempts[0]!.failure!.message).toBe('task "a" (step) with: sleepMs: expected a number, got the string "soon"; fail: expected a boolean, got the string "yes"');
    expect(calls).toHaveLength(0);
  });

  it('fails a task whose task type is unknown, with the known ones in the hint', async () => {
    const { registry } = testRegistry();
    const result = await createEngine({ registry }).run(testWorkflow({ a: { uses: 'nope' } }));
    const f = result.tasks[0]!.attempts[0]!.failure!;
    expect(f.diagnostic!.code).toBe('PSR_UNKNOWN_TASK_TYPE');
    expect(f.diagnostic!.hint).toContain('step');
  });

  it('records a plain thrown error as status error; a TaskFailure with outputs publishes them', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      crash: { with: { crash: true, message: 'boom' } },
      scan: { with: { fail: true, outputs: { findings: 4 } } },
      summary: { needs: ['scan'], if: 'always()', with: { message: 'n=${{ tasks.scan.outputs.findings }}', outputs: { seen: '${{ tasks.scan.outputs.findings }}' } } },
    });
    const result = await createEngine({ registry }).run(wf);
    const t = byId(result.tasks);
    expect(t.crash!.attempts[0]!.status).toBe('error');
    expect(t.crash!.attempts[0]!.failure).toMatchObject({ kind: 'error', message: 'boom' });
    expect(t.scan!.outputs).toEqual({ findings: 4 });
    expect(t.summary!.outputs).toEqual({ seen: 4 });
  });

  it('continue-on-error: failure recorded, dependents run, run succeeds', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({ lint: { with: { fail: true }, continueOnError: true }, build: { needs: ['lint'], if: "tasks.lint.result == 'success'" } });
    const result = await createEngine({ registry }).run(wf);
    const t = byId(result.tasks);
    expect(result.status).toBe('success');
    expect(t.lint!.status).toBe('failure');
    expect(t.lint!.continuedOnError).toBe(true);
    expect(t.build!.status).toBe('success');
  });

  it('reuses outputs of listed instances without running them (resume)', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({ a: { with: { outputs: { v: 'new' } } }, b: { needs: ['a'], with: { outputs: { got: '${{ tasks.a.outputs.v }}' } } } });
    const result = await createEngine({ registry }).run(wf, { reuse: { a: { v: 'old' } }, resumedFrom: 'r1', trigger: 'resume' });
    const t = byId(result.tasks);
    expect(t.a).toMatchObject({ status: 'success', reused: true, outputs: { v: 'old' }, attempts: [] });
    expect(t.b!.outputs).toEqual({ got: 'old' });
    expect(calls.map((c) => c.instanceId)).toEqual(['b']);
    expect(result.run.resumedFrom).toBe('r1');
  });
});

describe('engine: matrix', () => {
  it('runs all 6 instances of a 3x2 matrix before dependents; ids in axis order', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({
      build: {
        matrix: { axes: { python: ['3.10', '3.11', '3.12'], os: ['linux', 'mac'] }, include: [], exclude: [] },
        with: { sleepMs: 20, outputs: { last: '${{ matrix.python }}-${{ matrix.os }}' } },
      },
      publish: { needs: ['build'], with: { outputs: { seen: '${{ tasks.build.result }}' } } },
    });
    const result = await createEngine({ registry }).run(wf, { concurrency: 3 });
    expect(result.status).toBe('success');
    const ids = result.tasks.map((t) => t.task.id);
    expect(ids).toEqual([
      'build (python=3.10, os=linux)',
      'build (python=3.10, os=mac)',
      'build (python=3.11, os=linux)',
      'build (python=3.11, os=mac)',
      'build (python=3.12, os=linux)',
      'build (python=3.12, os=mac)',
      'publish',
    ]);
    const publish = calls.find((c) => c.instanceId === 'publish')!;
    for (const c of calls.filter((c) => c.instanceId.startsWith('build'))) expect(c.end).toBeLessThanOrEqual(publish.start);
    expect(result.tasks[0]!.task.matrix).toEqual({ python: '3.10', os: 'linux' });
    expect(byId(result.tasks).publish!.outputs).toEqual({ seen: 'success' });
  });

  it('merges matrix outputs in completion order: the last instance to finish wins a key', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      m: {
        matrix: { axes: { n: [1, 2, 3] }, include: [{ n: 1, ms: 300 }, { n: 2, ms: 10 }, { n: 3, ms: 150 }], exclude: [] },
        with: { sleepMs: '${{ matrix.ms }}', outputs: { who: '${{ matrix.n }}' } },
      },
      after: { needs: ['m'], with: { outputs: { who: '${{ tasks.m.outputs.who }}' } } },
    });
    const result = await createEngine({ registry }).run(wf, { concurrency: 3 });
    expect(byId(result.tasks).after!.outputs).toEqual({ who: 1 });
  });

  it('applies exclude then include like GitHub Actions', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      t: {
        matrix: {
          axes: { fruit: ['apple', 'pear'], animal: ['cat', 'dog'] },
          exclude: [{ fruit: 'pear', animal: 'dog' }],
          include: [{ color: 'green' }, { color: 'pink', animal: 'cat' }, { fruit: 'banana' }],
        },
      },
    });
    const result = await createEngine({ registry }).run(wf);
    expect(result.tasks.map((t) => t.task.id)).toEqual([
      't (fruit=apple, animal=cat, color=pink)',
      't (fruit=apple, animal=dog, color=green)',
      't (fruit=pear, animal=cat, color=pink)',
      't (fruit=banana)',
    ]);
  });

  it('max-parallel bounds instances of one task at once', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({ m: { matrix: { axes: { n: [1, 2, 3, 4, 5] }, include: [], exclude: [], maxParallel: 2 }, with: { sleepMs: 100 } } });
    const result = await createEngine({ registry }).run(wf, { concurrency: 5 });
    expect(result.status).toBe('success');
    expect(maxConcurrent(calls)).toBe(2);
  });

  it('one failed instance makes tasks.<id>.result failure and skips dependents', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      m: { matrix: { axes: { n: [1, 2, 3] }, include: [], exclude: [] }, with: { fail: '${{ matrix.n == 2 }}' } },
      after: { needs: ['m'] },
      report: { needs: ['m'], if: 'always()', with: { outputs: { r: '${{ tasks.m.result }}' } } },
    });
    const result = await createEngine({ registry }).run(wf);
    const t = byId(result.tasks);
    expect(t['m (n=2)']!.status).toBe('failure');
    expect(t['m (n=1)']!.status).toBe('success');
    expect(t.after!.status).toBe('skipped');
    expect(t.report!.outputs).toEqual({ r: 'failure' });
  });
});

describe('engine: fail-fast, cancellation, timeouts', () => {
  it('fail-fast cancels running tasks and does not start pending ones', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow(
      {
        bad: { with: { sleepMs: 50, fail: true } },
        slow: { with: { sleepMs: 5000 } },
        later: { needs: ['slow'] },
        cleanup: { needs: ['slow'], if: 'always()' },
      },
      { failFast: true },
    );
    const t0 = performance.now();
    const result = await createEngine({ registry, killGraceMs: 500 }).run(wf, { concurrency: 4 });
    expect(performance.now() - t0).toBeLessThan(4000);
    const t = byId(result.tasks);
    expect(result.status).toBe('failure');
    expect(t.bad!.status).toBe('failure');
    expect(t.slow!.status).toBe('cancelled');
    expect(t.slow!.attempts[0]!.status).toBe('cancelled');
    expect(calls.find((c) => c.instanceId === 'slow')!.aborted).toBe('AbortError');
    expect(t.later!.status).toBe('cancelled');
    expect(t.cleanup!.status).toBe('success');
  });

  it('handle.cancel() aborts running tasks gracefully; pending ones are cancelled', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({ a: { with: { sleepMs: 5000 } }, b: { needs: ['a'] } });
    const handle = createEngine({ registry }).run(wf);
    for await (const e of handle) if (e.type === 'attempt-start') break;
    handle.cancel('Ctrl-C');
    const result = await handle;
    expect(result.status).toBe('cancelled');
    expect(byId(result.tasks).a!.status).toBe('cancelled');
    expect(byId(result.tasks).a!.attempts[0]!.failure!.message).toBe('run cancelled: Ctrl-C');
    expect(byId(result.tasks).b!.reason).toBe('run cancelled: Ctrl-C');
    expect(byId(result.tasks).b!.status).toBe('cancelled');
    expect(calls[0]!.aborted).toBe('AbortError');
    expect(calls[0]!.killed).toBeFalsy();
  });

  it('RunOptions.signal cancels; a task ignoring it is killed after the grace period', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({ stubborn: { with: { sleepMs: 10_000, ignoreSignal: true } } });
    const ac = new AbortController();
    const handle = createEngine({ registry, killGraceMs: 200 }).run(wf, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    const result = await handle;
    expect(result.status).toBe('cancelled');
    expect(calls[0]!.killed).toBe(true);
    expect(result.tasks[0]!.attempts[0]!.status).toBe('cancelled');
  });

  it('handle.kill() fires killSignal at once', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({ stubborn: { with: { sleepMs: 10_000, ignoreSignal: true } }, next: { needs: ['stubborn'], if: 'always()' } });
    const handle = createEngine({ registry, killGraceMs: 60_000 }).run(wf);
    for await (const e of handle) if (e.type === 'attempt-start') break;
    const t0 = performance.now();
    handle.kill();
    const result = await handle;
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(calls[0]!.killed).toBe(true);
    expect(result.status).toBe('cancelled');
    expect(byId(result.tasks).next!.status).toBe('cancelled');
  });

  it('a per-attempt timeout aborts with a TimeoutError and is retried when on: [timeout]', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({ slow: { with: { sleepMs: 5000 }, timeoutMs: 100, retry: { attempts: 2, on: ['timeout'] } }, after: { needs: ['slow'] } });
    const result = await createEngine({ registry }).run(wf);
    const t = byId(result.tasks);
    expect(t.slow!.status).toBe('failure');
    expect(t.slow!.attempts.map((a) => a.status)).toEqual(['timeout', 'timeout']);
    expect(t.slow!.attempts[0]!.failure).toMatchObject({ kind: 'timeout' });
    expect(calls.map((c) => c.aborted)).toEqual(['TimeoutError', 'TimeoutError']);
    expect(t.after!.status).toBe('skipped');
    expect(result.status).toBe('failure');
  });

  it('the whole-run timeout cancels the run with status timeout', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({ a: { with: { sleepMs: 5000 } }, b: { needs: ['a'], if: 'always()' } }, { timeoutMs: 150 });
    const result = await createEngine({ registry }).run(wf);
    expect(result.status).toBe('timeout');
    const t = byId(result.tasks);
    expect(t.a!.status).toBe('cancelled');
    expect(t.a!.attempts[0]!.failure!.kind).toBe('timeout');
    expect(t.b!.status).toBe('cancelled');
  });

  it('a retry wait is cancellable', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow({ a: { with: { fail: true }, retry: { attempts: 3, delayMs: 60_000, maxDelayMs: 60_000 } } });
    const handle = createEngine({ registry }).run(wf);
    for await (const e of handle) if (e.type === 'retry-wait') break;
    const t0 = performance.now();
    handle.cancel();
    const result = await handle;
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(result.status).toBe('cancelled');
    expect(result.tasks[0]!.status).toBe('cancelled');
    expect(calls).toHaveLength(1);
  });
});

describe('engine: inputs, secrets, env, observers', () => {
  it('rejects invalid inputs with every problem listed (PSR_INPUT) and iterators see the error', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow(
      { a: {} },
      {
        inputs: {
          n: { type: 'number', required: true },
          target: { type: 'string', required: false, default: 'staging', enum: ['staging', 'prod'] },
        },
      },
    );
    const handle = createEngine({ registry }).run(wf, { inputs: { target: 'qa', extra: 'x' } });
    await expect(handle).rejects.toMatchObject({ code: 'PSR_INPUT' });
    const err = await Promise.resolve(handle).catch((e: { problems: { message: string; hint?: string }[] }) => e);
    const messages = (err as { problems: { message: string; hint?: string }[] }).problems.map((p) => p.message);
    expect(messages).toHaveLength(3);
    expect(messages.join('\n')).toMatch(/unknown input "extra"/);
    expect(messages.join('\n')).toMatch(/missing required input "n"/);
    expect(messages.join('\n')).toMatch(/must be one of "staging", "prod"/);
    await expect(
      (async () => {
        for await (const _ of handle) void _;
      })(),
    ).rejects.toMatchObject({ code: 'PSR_INPUT' });
  });

  it('masks secrets in output, split chunks, failure messages, outputs and events', async () => {
    const { registry, contexts } = testRegistry();
    const secret = 's3cr3t-value';
    const wf = testWorkflow({
      leak: {
        with: {
          log: ['token is ${{ secrets.TOKEN }}'],
          stdout: ['prefix s3cr', '3t-va', 'lue suffix\n', 'ab'],
          fail: true,
          message: 'failed with ${{ secrets.TOKEN }}',
          outputs: { echoed: '${{ secrets.TOKEN }}', deep: ['x ${{ secrets.TOKEN }} y'] },
        },
        env: { API_TOKEN: '${{ secrets.TOKEN }}' },
      },
    });
    const events: RunEvent[] = [];
    const result = await createEngine({ registry, observers: [{ onOutput: (e) => void events.push(e) }] }).run(wf, { secrets: { TOKEN: secret, SHORT: 'ab' } });
    const leak = result.tasks[0]!;
    const text = events.map((e) => (e as { text: string }).text).join('');
    expect(text).toContain('token is ***');
    expect(text).toContain('prefix *** suffix\n');
    expect(text).toContain('ab');
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(leak.attempts[0]!.failure!.message).toBe('failed with ***');
    expect(leak.outputs).toEqual({ echoed: '***', deep: ['x *** y'] });
    expect(leak.attempts[0]!.logTail).toContain('***');
    // The task itself still gets the real value.
    expect(contexts[0]!.env.API_TOKEN).toBe(secret);
    expect(contexts[0]!.secrets.TOKEN).toBe(secret);
    expect(contexts[0]!.mask(`x${secret}`)).toBe('x***');
  });

  it('gives tasks their env, PSR_* variables, workdir and context', async () => {
    const { registry, contexts } = testRegistry();
    const wf = testWorkflow(
      { a: { env: { TASK: 't-${{ env.WF }}' }, workdir: 'sub' } },
      { env: { WF: 'w-${{ inputs.x }}' }, dir: '/tmp/wfdir', name: 'envtest', inputs: { x: { type: 'string', required: false, default: 'd' } } },
    );
    const handle = createEngine({ registry }).run(wf, { env: { BASE: '1', PATH: '/bin' }, runId: 'run-123' });
    const result = await handle;
    expect(result.run.id).toBe('run-123');
    expect(handle.id).toBe('run-123');
    const ctx = contexts[0]!;
    expect(ctx.env).toMatchObject({ BASE: '1', WF: 'w-d', TASK: 't-w-d', PSR_RUN_ID: 'run-123', PSR_TASK_ID: 'a', PSR_ATTEMPT: '1', PSR_WORKFLOW: 'envtest' });
    expect(ctx.workdir).toBe('/tmp/wfdir/sub');
    expect(ctx.run).toMatchObject({ id: 'run-123', workflow: 'envtest' });
  });

  it('a throwing observer fails the run with PSR_OBSERVER, other observers still see everything', async () => {
    const { registry } = testRegistry();
    const ends: string[] = [];
    const result = await createEngine({
      registry,
      observers: [
        {
          onTaskEnd: () => {
            throw new Error('disk full');
          },
        },
        { onTaskEnd: (e) => void ends.push(e.task.id), onRunEnd: async () => Promise.reject(new Error('late')) },
      ],
    }).run(testWorkflow({ a: {}, b: {} }));
    expect(ends.sort()).toEqual(['a', 'b']);
    expect(result.status).toBe('failure');
    expect(result.observerErrors!.map((d) => d.code)).toEqual(['PSR_OBSERVER', 'PSR_OBSERVER', 'PSR_OBSERVER']);
    expect(result.observerErrors![0]!.message).toContain('#1 failed in onTaskEnd: disk full');
    expect(result.observerErrors![2]!.message).toContain('#2 failed in onRunEnd: late');
    expect(result.tasks.every((t) => t.status === 'success')).toBe(true);
  });
});

describe('engine: status functions over indirect needs, coercion, metrics', () => {
  it('success() looks at indirect needs; failure() sees an indirect failure', async () => {
    const { registry } = testRegistry();
    const wf = testWorkflow({
      a: { with: { fail: true } },
      b: { needs: ['a'], if: 'always()' },
      c: { needs: ['b'] },
      d: { needs: ['b'], if: 'failure()' },
      e: { needs: ['b'], if: "tasks.b.result == 'success'" },
    });
    const t = byId((await createEngine({ registry }).run(wf)).tasks);
    expect(t.b!.status).toBe('success');
    expect(t.c!.status).toBe('skipped');
    expect(t.c!.reason).toContain('indirectly');
    expect(t.d!.status).toBe('success');
    expect(t.e!.status).toBe('skipped');
  });

  it('converts a lone expression to the scalar type the task schema wants', async () => {
    const { registry, calls } = testRegistry();
    const wf = testWorkflow(
      {
        a: { with: { outputs: { n: 250, flag: 'true' } } },
        b: { needs: ['a'], with: { message: '${{ tasks.a.outputs.n }}', sleepMs: '${{ inputs.ms }}', crash: '${{ tasks.a.outputs.flag }}' }, continueOnError: true },
      },
      { inputs: { ms: { type: 'string', required: false, default: '5' } } },
    );
    const result = await createEngine({ registry }).run(wf);
    const b = calls.find((c) => c.instanceId === 'b')!;
    expect(b.input).toMatchObject({ message: '250', sleepMs: 5, crash: true });
    expect(byId(result.tasks).b!.attempts[0]!.failure!.message).toBe('250');
  });

  it('records exit code, CPU time and peak RSS a task reports', async () => {
    const { PluginRegistry } = await import('../plugins/registry.js');
    const { definePlugin, defineTask, TaskFailure } = await import('../plugin.js');
    const { z } = await import('zod');
    const registry = new PluginRegistry();
    registry.register(
      definePlugin({
        name: 'metrics',
        apiVersion: 1,
        tasks: {
          proc: defineTask({
            description: 'reports metrics',
            input: z.object({}),
            run(ctx) {
              ctx.setMetrics({ cpuMs: 12 });
              ctx.setMetrics({ exitCode: 3, peakRssBytes: 4096 });
              throw new TaskFailure('exit 3', { kind: 'exit' });
            },
          }),
        },
      }),
      'm',
    );
    const result = await createEngine({ registry }).run(testWorkflow({ p: { uses: 'proc' } }));
    expect(result.tasks[0]!.attempts[0]).toMatchObject({ status: 'failure', exitCode: 3, cpuMs: 12, peakRssBytes: 4096, failure: { kind: 'exit' } });
  });

  it('keeps the code, location and hint of a PsrError that caused a TaskFailure, and its outputs', async () => {
    const { PluginRegistry } = await import('../plugins/registry.js');
    const { definePlugin, defineTask, TaskFailure } = await import('../plugin.js');
    const { PsrError } = await import('../errors.js');
    const { z } = await import('zod');
    const registry = new PluginRegistry();
    registry.register(
      definePlugin({
        name: 'reader',
        apiVersion: 1,
        tasks: {
          read: defineTask({
            description: 'reads a file of the user',
            input: z.object({}),
            run() {
              const err = new PsrError('PSR_READER_FILE', 'expires "2020-13-45" is not a date', { hint: 'write YYYY-MM-DD', location: { file: 'ign.yml', line: 4, col: 14 } });
              throw new TaskFailure(err.message, { kind: 'input', outputs: { status: 'input-error' }, cause: err });
            },
          }),
        },
      }),
      'r',
    );
    const result = await createEngine({ registry }).run(testWorkflow({ r: { uses: 'read' } }));
    expect(result.tasks[0]!.outputs).toEqual({ status: 'input-error' });
    expect(result.tasks[0]!.attempts[0]).toMatchObject({
      status: 'failure',
      failure: {
        kind: 'input',
        message: 'expires "2020-13-45" is not a date',
        diagnostic: { code: 'PSR_READER_FILE', message: 'expires "2020-13-45" is not a date', hint: 'write YYYY-MM-DD', location: { file: 'ign.yml', line: 4, col: 14 } },
      },
    });
  });
});

describe('engine: robustness', () => {
  it('makes returned outputs JSON-safe', async () => {
    const { PluginRegistry } = await import('../plugins/registry.js');
    const { definePlugin, defineTask } = await import('../plugin.js');
    const { z } = await import('zod');
    const registry = new PluginRegistry();
    registry.register(
      definePlugin({
        name: 'odd',
        apiVersion: 1,
        tasks: {
          odd: defineTask({
            description: 'returns odd values',
            input: z.object({}),
            run: () => ({ when: new Date(0), big: 12n, nan: Number.NaN, gone: undefined, fn: () => 1, set: new Set([1]), nested: { m: new Map([['k', 'v']]) } }) as never,
          }),
        },
      }),
      'odd',
    );
    const result = await createEngine({ registry }).run(testWorkflow({ o: { uses: 'odd' } }));
    expect(result.tasks[0]!.outputs).toEqual({ when: '1970-01-01T00:00:00.000Z', big: '12', nan: 'NaN', set: [1], nested: { m: { k: 'v' } } });
    expect(JSON.parse(JSON.stringify(result.tasks[0]!.outputs))).toEqual(result.tasks[0]!.outputs);
  });

  it('runs with a nonsensical concurrency instead of stalling', async () => {
    const { registry } = testRegistry();
    for (const concurrency of [0, -3, Number.NaN]) {
      const result = await createEngine({ registry }).run(testWorkflow({ a: {}, b: { needs: ['a'] } }), { concurrency });
      expect(result.status).toBe('success');
    }
  });

  it('rejects a workflow with an unknown need or a cycle instead of hanging', async () => {
    const { registry } = testRegistry();
    await expect(createEngine({ registry }).run(testWorkflow({ a: { needs: ['ghost'] } }))).rejects.toMatchObject({ code: 'PSR_UNKNOWN_NEEDS' });
    await expect(createEngine({ registry }).run(testWorkflow({ a: { needs: ['b'] }, b: { needs: ['a'] } }))).rejects.toMatchObject({ code: 'PSR_WORKFLOW_CYCLE' });
  });

  it('runs an empty workflow', async () => {
    const { registry } = testRegistry();
    const result = await createEngine({ registry }).run(testWorkflow({}));
    expect(result).toMatchObject({ status: 'success', tasks: [] });
  });
});

describe('engine: event stream', () => {
  it('serves several iterators, early and late, each with every event once', async () => {
    const { registry } = testRegistry();
    const handle = createEngine({ registry }).run(testWorkflow({ a: { with: { sleepMs: 30, log: ['x'] } }, b: { needs: ['a'] } }));
    const collect = async () => {
      const types: string[] = [];
      for await (const e of handle) types.push(e.type);
      return types;
    };
    const early = collect();
    const result = await handle;
    const late = await collect();
    expect(await early).toEqual(late);
    expect(late[0]).toBe('run-start');
    expect(late[late.length - 1]).toBe('run-end');
    expect(late.filter((t) => t === 'task-end')).toHaveLength(2);
    expect(result.status).toBe('success');
  });
});

describe('engine: long chains', () => {
  it('skips a 10,000-task chain after a failure without deep recursion', async () => {
    const { registry } = testRegistry();
    const tasks: Record<string, { needs?: string[]; with?: Record<string, unknown> }> = { t0: { with: { fail: true } } };
    for (let i = 1; i < 10000; i++) tasks[`t${i}`] = { needs: [`t${i - 1}`] };
    const result = await createEngine({ registry }).run(testWorkflow(tasks));
    expect(result.status).toBe('failure');
    expect(result.tasks.filter((t) => t.status === 'skipped')).toHaveLength(9999);
    expect(result.tasks[9999]!.task.id).toBe('t9999');
  });

  it('reuses a 10,000-task chain without deep recursion', async () => {
    const { registry, calls } = testRegistry();
    const tasks: Record<string, { needs?: string[] }> = { t0: {} };
    const reuse: Record<string, Record<string, never>> = { t0: {} };
    for (let i = 1; i < 10000; i++) {
      tasks[`t${i}`] = { needs: [`t${i - 1}`] };
      if (i < 9999) reuse[`t${i}`] = {};
    }
    const result = await createEngine({ registry }).run(testWorkflow(tasks), { reuse });
    expect(result.status).toBe('success');
    expect(calls.map((c) => c.instanceId)).toEqual(['t9999']);
  });
});

describe('engine: executors', () => {
  it('talks only to the Executor interface, with plain-data requests', async () => {
    const { registry } = testRegistry();
    const requests: unknown[] = [];
    const executor = {
      name: 'recording',
      async execute(request: import('../executor.js').ExecutionRequest) {
        const { context, ...plain } = request;
        requests.push(JSON.parse(JSON.stringify(plain)));
        context.log.info(`remote ${request.task.id} attempt ${context.attempt}`);
        return { where: 'remote', n: request.input.n as number };
      },
    };
    const wf = testWorkflow({ a: { with: { n: 1 }, timeoutMs: 5000 }, b: { needs: ['a'], with: { n: '${{ tasks.a.outputs.n }}' } } });
    const result = await createEngine({ registry, executor }).run(wf);
    expect(result.status).toBe('success');
    expect(requests).toEqual([
      { task: { id: 'a', taskId: 'a', name: 'a', uses: 'step' }, plugin: 'test-plugin', taskType: 'step', input: { n: 1 }, timeoutMs: 5000 },
      { task: { id: 'b', taskId: 'b', name: 'b', uses: 'step' }, plugin: 'test-plugin', taskType: 'step', input: { n: 1 } },
    ]);
    expect(byId(result.tasks).b!.outputs).toEqual({ where: 'remote', n: 1 });
    expect(byId(result.tasks).a!.attempts[0]!.logTail).toBe('remote a attempt 1\n');
  });
});
