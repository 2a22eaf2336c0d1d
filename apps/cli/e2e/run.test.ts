/**
 * `psr run` end to end: the built binary, real shell/python/node child processes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, ndjson, normalize, psr, taskResults, waitFor, workspace } from './harness.js';

describe('psr run examples/hello', () => {
  it('runs the whole example and exits 0', async () => {
    const r = await psr(['run', 'examples/hello/workflow.yml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[greet (lang=en)] Hello, world!');
    expect(r.stdout).toContain('[greet (lang=de)] Hallo, world!');
    expect(r.stdout).toContain('[greet (lang=fr)] Bonjour, world!');
    expect(r.stdout).toMatch(/\[stats-python\] python 3\.\d+: 'world' has 5 letters/);
    expect(r.stdout).toContain('[stats-node] simulated network hiccup');
    expect(r.stdout).toContain('[report] world has 5 letters and 1 vowels');
    expect(r.stdout).toMatch(/\[shout\] ○ skipped/);
    // summary table: stats-node needed 2 of its 3 attempts
    expect(r.stdout).toMatch(/stats-node\s+✓ success\s+2\/3/);
    expect(r.stdout).toMatch(/run success in .* — 7 succeeded, 1 skipped/);
  });

  it('takes inputs and reports outputs in --json', async () => {
    const r = await psr(['run', 'examples/hello/workflow.yml', '--json', '--input', 'audience=psr users', '-i', 'shout=true']);
    expect(r.code).toBe(0);
    const results = taskResults(ndjson(r.stdout));
    expect(results['shout']?.status).toBe('success');
    expect(results['report']?.outputs).toEqual({ summary: '8 letters, 2 vowels' });
    expect(ndjson(r.stdout).some((e) => e['type'] === 'output' && e['text'].includes('HELLO, PSR USERS!'))).toBe(true);
  });
});

describe('scheduling', () => {
  it('runs the middle of a diamond in parallel', async () => {
    // b and c each wait for the other's marker: they can only both succeed when running at once.
    const dir = workspace({
      'wf.yml': `
tasks:
  a: { run: echo start }
  b:
    needs: a
    timeout: 20s
    run: touch b.started; while [ ! -e c.started ]; do sleep 0.05; done; echo saw c
  c:
    needs: a
    timeout: 20s
    run: touch c.started; while [ ! -e b.started ]; do sleep 0.05; done; echo saw b
  d: { needs: [b, c], run: echo joined }
`,
    });
    const r = await psr(['run', 'wf.yml', '-j', '2'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[b] saw c');
    expect(r.stdout).toContain('[c] saw b');
    expect(r.stdout).toContain('[d] joined');
  });

  it('runs 3x2 matrix instances (6) before their dependent', async () => {
    const dir = workspace({
      'wf.yml': `
tasks:
  build:
    strategy:
      matrix:
        py: ["3.10", "3.11", "3.12"]
        os: [linux, mac]
    run: echo "\${{ matrix.py }}-\${{ matrix.os }}" >> built.txt
  after:
    needs: build
    run: echo "built $(wc -l < built.txt) variants"
`,
    });
    const r = await psr(['run', 'wf.yml', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    const ends = events.filter((e) => e['type'] === 'task-end' && e['task'].taskId === 'build').map((e) => e['task'].id);
    expect(ends.sort()).toEqual([
      'build (py=3.10, os=linux)',
      'build (py=3.10, os=mac)',
      'build (py=3.11, os=linux)',
      'build (py=3.11, os=mac)',
      'build (py=3.12, os=linux)',
      'build (py=3.12, os=mac)',
    ]);
    const afterStart = events.findIndex((e) => e['type'] === 'task-start' && e['task'].id === 'after');
    const lastBuildEnd = events.findLastIndex((e) => e['type'] === 'task-end' && e['task'].taskId === 'build');
    expect(afterStart).toBeGreaterThan(lastBuildEnd);
    expect(events.some((e) => e['type'] === 'output' && e['text'].includes('built 6 variants'))).toBe(true);
    expect(readFileSync(join(dir, 'built.txt'), 'utf8').trim().split('\n').sort()).toHaveLength(6);
  });
});

describe('dynamic matrix', () => {
  it('expands a matrix from a task output, skips an empty one and fails a bad one with PSR_MATRIX', async () => {
    const dir = workspace({
      'wf.yml': `
tasks:
  list:
    run: |
      echo 'pkgs=["a","b","c"]' >> "$PSR_OUTPUT"
      echo 'matrix={"os":["linux","mac"],"include":[{"os":"bsd","extra":"x"}],"exclude":[{"os":"mac"}]}' >> "$PSR_OUTPUT"
      echo 'none=[]' >> "$PSR_OUTPUT"
  test:
    needs: list
    strategy:
      matrix:
        pkg: \${{ fromJSON(tasks.list.outputs.pkgs) }}
        py: ["3.11", "3.12"]
      max-parallel: 2
    run: echo "\${{ matrix.pkg }}-\${{ matrix.py }}" >> tested.txt
  whole:
    needs: list
    strategy:
      matrix: \${{ fromJSON(tasks.list.outputs.matrix) }}
    run: echo "os=\${{ matrix.os }}"
  empty:
    needs: list
    strategy:
      matrix:
        x: \${{ fromJSON(tasks.list.outputs.none) }}
    run: echo never
  bad:
    needs: list
    strategy:
      matrix:
        x: \${{ fromJSON(tasks.list.outputs.missing) }}
    run: echo never
  after:
    needs: [test, whole]
    run: echo "tested $(wc -l < tested.txt) test=\${{ tasks.test.result }}"
  after-bad:
    needs: bad
    run: echo never
`,
    });
    const r = await psr(['run', 'wf.yml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[after] tested 6 test=success');
    expect(r.stdout).toContain('[whole (os=bsd, extra=x)] os=bsd');
    expect(r.stdout).toMatch(/test \(pkg=c, py=3\.12\)\s+✓ success/);
    expect(r.stdout).toMatch(/empty\s+○ skipped\s+-\s+-\s+the matrix has no combinations/);
    expect(r.stdout).toContain('[bad] the matrix of task "bad" could not be evaluated: ');
    expect(r.stdout).toContain('[PSR_MATRIX]');
    expect(r.stdout).toMatch(/after-bad\s+○ skipped\s+-\s+-\s+needs not successful: bad \(failure\)/);
    expect(r.stdout).toMatch(/run failure in .* — 10 succeeded, 1 failed, 2 skipped/);
    expect(readFileSync(join(dir, 'tested.txt'), 'utf8').trim().split('\n').sort()).toEqual(['a-3.11', 'a-3.12', 'b-3.11', 'b-3.12', 'c-3.11', 'c-3.12']);

    const graph = await psr(['graph', 'wf.yml'], { cwd: dir });
    expect(graph.code).toBe(0);
    expect(graph.stdout).toContain('t1["test ×? (dynamic matrix)"]');
  });
});

describe('retries and failure', () => {
  it('retries a failing task and then succeeds', async () => {
    const dir = workspace({
      'wf.yml': `
tasks:
  flaky:
    retry: { attempts: 3, delay: 50ms }
    run: |
      if [ ! -e tried ]; then touch tried; echo "first try fails" >&2; exit 3; fi
      echo "second try works"
`,
    });
    const r = await psr(['run', 'wf.yml', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    const attempts = events.filter((e) => e['type'] === 'attempt-end').map((e) => [e['result'].attempt, e['result'].status, e['result'].exitCode]);
    expect(attempts).toEqual([
      [1, 'failure', 3],
      [2, 'success', 0],
    ]);
    expect(events.filter((e) => e['type'] === 'retry-wait')).toHaveLength(1);
  });

  it('exhausted retries skip dependents, run always()/failure() tasks, let independent branches finish, exit 1', async () => {
    const dir = workspace({
      'wf.yml': `
tasks:
  broken:
    retry: { attempts: 2, delay: 10ms }
    run: echo "no luck"; exit 1
  dependent: { needs: broken, run: echo should not run }
  transitive: { needs: dependent, run: echo should not run either }
  cleanup: { needs: broken, if: "\${{ always() }}", run: echo cleaning up }
  on-failure: { needs: broken, if: "\${{ failure() }}", run: echo reporting failure }
  on-success: { needs: broken, if: "\${{ success() }}", run: echo not this }
  independent: { run: sleep 0.3; echo independent done }
`,
    });
    const r = await psr(['run', 'wf.yml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[broken] no luck');
    expect(r.stdout).toMatch(/broken\s+✗ failure\s+2\/2/);
    expect(r.stdout).toMatch(/dependent\s+○ skipped/);
    expect(r.stdout).toMatch(/transitive\s+○ skipped/);
    expect(r.stdout).toMatch(/on-success\s+○ skipped/);
    expect(r.stdout).toContain('[cleanup] cleaning up');
    expect(r.stdout).toContain('[on-failure] reporting failure');
    expect(r.stdout).toContain('[independent] independent done');
    expect(r.stdout).not.toContain('should not run');
    expect(normalize(r.stdout.slice(r.stdout.indexOf('\ntask ') + 1))).toBe(
      [
        'task         status     attempts  duration',
        'broken       ✗ failure  2/2       <dur>',
        'independent  ✓ success  1/1       <dur>',
        'dependent    ○ skipped  -         -  needs not successful: broken (failure)',
        'cleanup      ✓ success  1/1       <dur>',
        'on-failure   ✓ success  1/1       <dur>',
        'on-success   ○ skipped  -         -  needs not successful: broken (failure)',
        'transitive   ○ skipped  -         -  needs not successful: dependent (skipped)',
        '',
        'run failure in <dur> — 3 succeeded, 1 failed, 3 skipped',
        '',
      ].join('\n'),
    );
  });

  it('continue-on-error keeps the run green and dependents running', async () => {
    const dir = workspace({
      'wf.yml': `
tasks:
  optional: { continue-on-error: true, run: exit 4 }
  next: { needs: optional, run: echo still here }
`,
    });
    const r = await psr(['run', 'wf.yml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[next] still here');
  });

  it('--fail-fast cancels running tasks at the first failure', async () => {
    const dir = workspace({
      'wf.yml': `
tasks:
  fails: { run: sleep 0.2; exit 1 }
  slow: { run: sleep 30; echo finished }
`,
    });
    const started = Date.now();
    const r = await psr(['run', 'wf.yml', '--fail-fast', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(taskResults(ndjson(r.stdout))['slow']?.status).toBe('cancelled');
  });

  it('the GitHub Actions matrix idiom: continue-on-error per instance, strategy.fail-fast cancels siblings and leaves no processes', async () => {
    const dir = workspace({
      'wf.yml': `
tasks:
  build:
    strategy:
      fail-fast: false
      matrix:
        py: ["3.11", "3.12"]
        experimental: [false]
        include: [{ py: "3.13", experimental: true }]
    continue-on-error: \${{ matrix.experimental }}
    run: if [ "\${{ matrix.py }}" = "3.13" ]; then exit 1; fi
  test:
    needs: build
    strategy:
      fail-fast: true
      matrix:
        n: [1, 2, 3]
    run: |
      if [ \${{ matrix.n }} = 1 ]; then
        while [ ! -e n2.pid ] || [ ! -e n3.pid ]; do sleep 0.05; done
        exit 3
      fi
      echo $$ > n\${{ matrix.n }}.tmp; sleep 60 & echo $! >> n\${{ matrix.n }}.tmp; mv n\${{ matrix.n }}.tmp n\${{ matrix.n }}.pid
      wait
  other:
    needs: build
    run: sleep 0.5; echo other done
`,
    });
    const started = Date.now();
    const r = await psr(['run', 'wf.yml', '-j', '4'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.stdout).toMatch(/build \(py=3\.13, experimental=true\)\s+✗ failure \(continue-on-error\)/);
    expect(r.stdout).toMatch(/build \(py=3\.11, experimental=false\)\s+✓ success/);
    expect(r.stdout).toMatch(/test \(n=1\)\s+✗ failure/);
    expect(r.stdout).toMatch(/test \(n=2\)\s+⊘ cancelled.*cancelled by strategy\.fail-fast: test \(n=1\) failed/);
    expect(r.stdout).toMatch(/test \(n=3\)\s+⊘ cancelled/);
    expect(r.stdout).toContain('[other] other done');
    // The shells of n=2 and n=3 and their sleep children are gone.
    const pids = ['n2.pid', 'n3.pid'].flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n').map(Number));
    expect(pids).toHaveLength(4);
    for (const pid of pids) await waitFor(() => !alive(pid), 10_000, `pid ${pid} to exit`);
  });
});

describe('outputs and expressions', () => {
  it('gates tasks on outputs, inputs and env', async () => {
    const dir = workspace({
      'wf.yml': `
inputs:
  target: { type: string, default: staging, enum: [staging, prod] }
  count: { type: number, default: 2 }
env:
  MODE: fast
tasks:
  probe:
    run: |
      echo "go=yes" >> "$PSR_OUTPUT"
      echo "n=3" >> "$PSR_OUTPUT"
      echo "note<<EOF" >> "$PSR_OUTPUT"
      echo "line one" >> "$PSR_OUTPUT"
      echo "line two" >> "$PSR_OUTPUT"
      echo "EOF" >> "$PSR_OUTPUT"
  when-go: { needs: probe, if: "\${{ tasks.probe.outputs.go == 'yes' }}", run: "echo 'go: \${{ tasks.probe.outputs.note }}'" }
  when-big: { needs: probe, if: "tasks.probe.outputs.n > 5", run: echo too big }
  when-prod: { needs: probe, if: "\${{ inputs.target == 'prod' }}", run: echo deploying }
  when-count: { if: "\${{ inputs.count == 2 && env.MODE == 'fast' }}", run: echo counted }
  result: { needs: when-big, if: "\${{ always() && tasks.when-big.result == 'skipped' }}", run: echo saw skip }
`,
    });
    const r = await psr(['run', 'wf.yml', '--json'], { cwd: dir });
    const results = taskResults(ndjson(r.stdout));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(results['probe']?.outputs).toEqual({ go: 'yes', n: '3', note: 'line one\nline two' });
    expect(results['when-go']?.status).toBe('success');
    expect(results['when-big']?.status).toBe('skipped');
    expect(results['when-prod']?.status).toBe('skipped');
    expect(results['when-count']?.status).toBe('success');
    expect(results['result']?.status).toBe('success');
    const r2 = await psr(['run', 'wf.yml', '--json', '--input', 'target=prod'], { cwd: dir });
    expect(taskResults(ndjson(r2.stdout))['when-prod']?.status).toBe('success');
  });
});

describe('secrets', () => {
  const wf = `
tasks:
  leak:
    env:
      TOKEN: \${{ secrets.API_TOKEN }}
    run: |
      echo "token is $TOKEN"
      echo "inline \${{ secrets.API_TOKEN }}" >&2
      echo "out=$TOKEN" >> "$PSR_OUTPUT"
`;
  it('masks secrets from the environment in plain and --json output', async () => {
    const dir = workspace({ 'wf.yml': wf });
    const env = { PSR_SECRET_API_TOKEN: 'tok-0123456789' };
    const { baseEnv } = await import('./harness.js');
    const plain = await psr(['run', 'wf.yml'], { cwd: dir, env: baseEnv(env) });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('[leak] token is ***');
    expect(plain.stdout + plain.stderr).not.toContain('tok-0123456789');
    const json = await psr(['run', 'wf.yml', '--json'], { cwd: dir, env: baseEnv(env) });
    expect(json.code).toBe(0);
    expect(json.stdout).not.toContain('tok-0123456789');
    expect(json.stdout).toContain('token is ***');
  });

  it('reads --secrets-file and masks its values', async () => {
    const dir = workspace({ 'wf.yml': wf, '.secrets.env': '# test secrets\nAPI_TOKEN="from-file-secret"\n' });
    const r = await psr(['run', 'wf.yml', '--secrets-file', '.secrets.env'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[leak] inline ***');
    expect(r.stdout).not.toContain('from-file-secret');
  });

  it('exits 2 with a hint when the secrets file is missing', async () => {
    const dir = workspace({ 'wf.yml': wf });
    const r = await psr(['run', 'wf.yml', '--secrets-file', 'nope.env'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PSR_SECRETS_FILE/);
  });
});

describe('--json', () => {
  it('prints valid NDJSON, one event per line, without the full workflow', async () => {
    const dir = workspace({ 'wf.yml': 'name: j\ntasks:\n  a: { run: echo hi }\n  b: { needs: a, run: echo there }\n' });
    const r = await psr(['run', 'wf.yml', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    expect(events[0]?.['type']).toBe('run-start');
    expect(events.at(-1)?.['type']).toBe('run-end');
    expect(events.at(-1)?.['result'].status).toBe('success');
    for (const e of events) {
      expect(Object.keys(e['run'].workflow).sort()).toEqual(['file', 'hash', 'name']);
    }
    expect(events.map((e) => e['type'])).toContain('attempt-end');
  });
});

describe('timeouts', () => {
  it('a timeout kills the task and its grandchildren', async () => {
    const dir = workspace({
      'wf.yml': `
tasks:
  hang:
    timeout: 1s
    run: |
      sleep 60 &
      echo $! > child.pid
      bash -c 'sleep 60 & echo $! > grandchild.pid; wait' &
      wait
`,
    });
    const r = await psr(['run', 'wf.yml', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const attempt = ndjson(r.stdout).find((e) => e['type'] === 'attempt-end');
    expect(attempt?.['result'].status).toBe('timeout');
    const { alive, waitFor } = await import('./harness.js');
    for (const f of ['child.pid', 'grandchild.pid']) {
      expect(existsSync(join(dir, f))).toBe(true);
      const pid = Number(readFileSync(join(dir, f), 'utf8'));
      await waitFor(() => !alive(pid), 10_000, `${f} (${pid}) to exit`);
    }
  });
});

describe('output pipe closed early', () => {
  it('`psr run --json | head -1` finishes the run quietly instead of crashing on EPIPE', async () => {
    const { startPsr } = await import('./harness.js');
    const dir = workspace({ 'wf.yml': 'tasks:\n  a: { run: "for i in $(seq 200); do echo line $i; done" }\n  b: { needs: a, run: "touch b.ran" }\n' });
    const p = startPsr(['run', 'wf.yml', '--json'], { cwd: dir });
    p.child.stdout!.once('data', () => p.child.stdout!.destroy());
    const r = await p.done;
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'b.ran'))).toBe(true);
  });
});

describe('limits', () => {
  it('-j 1 never runs two tasks at once', async () => {
    // Each task holds a lock directory for a while; mkdir fails if another task holds it.
    const task = (n: number): string => `  t${n}: { run: "mkdir lock && sleep 0.3 && rmdir lock" }`;
    const dir = workspace({ 'wf.yml': `concurrency: 4\ntasks:\n${[1, 2, 3].map(task).join('\n')}\n` });
    const r = await psr(['run', 'wf.yml', '-j', '1'], { cwd: dir });
    expect(r.stdout).toMatch(/3 succeeded/);
    expect(r.code).toBe(0);
  });

  it('a whole-run timeout stops the run and exits 1', async () => {
    const dir = workspace({ 'wf.yml': 'timeout: 1s\ntasks:\n  slow: { run: sleep 30 }\n  later: { needs: slow, run: echo never }\n' });
    const started = Date.now();
    const r = await psr(['run', 'wf.yml', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(25_000);
    const end = ndjson(r.stdout).at(-1);
    expect(end?.['result'].status).toBe('timeout');
    expect(r.stdout).not.toContain('never');
  });
});
