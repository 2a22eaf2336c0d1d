/**
 * Issue #3 end to end: traces (file and OTLP/HTTP with a Python child span), run history
 * with resume, and the schedule daemon — all with the built binary as a real process.
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { baseEnv, psr, repoRoot, startPsr, workspace } from './harness.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

function spansOf(requests: unknown[]): OtlpSpan[] {
  return requests.flatMap((r: any) => r.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((s: any) => s.spans)));
}

function attr(span: OtlpSpan, key: string): unknown {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v === undefined ? undefined : Object.values(v)[0];
}

describe('tracing', () => {
  it('--trace-file writes the run → task → attempt tree with CI/CD attributes', async () => {
    const dir = workspace({
      'wf.yml': `version: 1
name: traced
tasks:
  ok:
    run: echo fine
  flaky:
    run: test -f marker || { touch marker; exit 7; }
    retry: { attempts: 2, delay: 10ms }
  broken:
    needs: [ok]
    run: exit 3
  after:
    needs: [broken]
    run: echo never
`,
    });
    const out = await psr(['run', 'wf.yml', '--trace-file', 'trace.jsonl', '--no-history'], { cwd: dir });
    expect(out.code).toBe(1);
    const spans = spansOf(readFileSync(join(dir, 'trace.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)));
    const root = spans.find((s) => s.name === 'RUN traced')!;
    expect(root.kind).toBe(2); // SERVER
    expect(root.parentSpanId ?? '').toBe('');
    expect(attr(root, 'cicd.pipeline.name')).toBe('traced');
    expect(attr(root, 'cicd.pipeline.result')).toBe('failure');
    const task = (name: string) => spans.find((s) => s.name === name && s.parentSpanId === root.spanId)!;
    expect(attr(task('ok'), 'cicd.pipeline.task.run.result')).toBe('success');
    expect(attr(task('broken'), 'cicd.pipeline.task.run.result')).toBe('failure');
    expect(attr(task('after'), 'cicd.pipeline.task.run.result')).toBe('skip');
    const flakyAttempts = spans.filter((s) => s.parentSpanId === task('flaky').spanId);
    expect(flakyAttempts.map((s) => attr(s, 'cicd.pipeline.task.run.result')).sort()).toEqual(['failure', 'success']);
    expect(spans.every((s) => s.traceId === root.traceId)).toBe(true);
  }, 60_000);

  it('OTEL_TRACES_EXPORTER=console prints spans on stderr: --json stdout stays one JSON object a line', async () => {
    const dir = workspace({ 'wf.yml': 'version: 1\ntasks:\n  a:\n    run: echo one\n  b:\n    needs: [a]\n    run: echo two\n' });
    const out = await psr(['run', 'wf.yml', '--json', '--no-history'], { cwd: dir, env: baseEnv({ OTEL_TRACES_EXPORTER: 'console' }) });
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(out.stderr).toMatch(/name: 'RUN wf'/);
  });

  it('a collector that refuses connections is one export warning, not a 5 s wait', async () => {
    const dir = workspace({ 'wf.yml': 'version: 1\ntasks:\n  a:\n    run: echo one\n' });
    const started = Date.now();
    const out = await psr(['run', 'wf.yml', '--otlp-endpoint', 'http://127.0.0.1:1', '--no-history'], { cwd: dir });
    expect(out.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(out.stderr.match(/^psr: warning: .*$/gm)).toEqual(['psr: warning: OTLP http/protobuf export to http://127.0.0.1:1/v1/traces failed: connect ECONNREFUSED 127.0.0.1:1']);
  });

  it('exports over OTLP/HTTP and a Python task script appears as a child of its task', async () => {
    const requests: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c));
      req.on('end', () => {
        requests.push(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => void server.close());
    const port = (server.address() as { port: number }).port;
    const incoming = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

    const out = await psr(['run', 'examples/tracing/workflow.yml', '--no-history'], {
      env: baseEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        TRACEPARENT: incoming, // psr continues the trace of whatever started it (a CI job)
      }),
    });
    expect(out.code, out.stderr).toBe(0);
    const spans = spansOf(requests);
    const root = spans.find((s) => s.name === 'RUN tracing-demo')!;
    expect(root.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(root.parentSpanId).toBe('b7ad6b7169203331');
    const compute = spans.find((s) => s.name === 'compute' && s.parentSpanId === root.spanId)!;
    const attempt = spans.find((s) => s.parentSpanId === compute.spanId)!;
    const python = spans.find((s) => s.name === 'python: sum of squares')!;
    expect(python.traceId).toBe(root.traceId);
    expect(python.parentSpanId).toBe(attempt.spanId);
  }, 60_000);
});

describe('run history', () => {
  it('records runs; --resume re-runs only what failed, reusing recorded outputs', async () => {
    const dir = workspace({
      'wf.yml': `version: 1
name: resumable
tasks:
  stamp:
    run: echo "at=$(date +%s%N)" >> "$PSR_OUTPUT"
  fragile:
    needs: [stamp]
    run: test -f fixed
  publish:
    needs: [fragile]
    run: echo "published ${'$'}{{ tasks.stamp.outputs.at }}" > published.txt
`,
    });
    const first = await psr(['run', 'wf.yml'], { cwd: dir });
    expect(first.code).toBe(1);
    expect(existsSync(join(dir, '.psr/history.db'))).toBe(true);

    const listed = await psr(['history', 'wf.yml', '--json'], { cwd: dir });
    const [run] = JSON.parse(listed.stdout);
    expect(run).toMatchObject({ workflowName: 'resumable', status: 'failure', tasks: { success: 1, failure: 1, skipped: 1 } });

    const shown = await psr(['show', run.id, '--json', '--state-dir', '.psr'], { cwd: dir });
    const detail = JSON.parse(shown.stdout);
    const stamp = detail.tasks.find((t: any) => t.task.id === 'stamp').outputs.at;
    // Naming the workflow finds its .psr/ history from anywhere.
    const fromElsewhere = await psr(['show', run.id.slice(0, 14), join(dir, 'wf.yml')]);
    expect(fromElsewhere.code, fromElsewhere.stderr).toBe(0);
    expect(fromElsewhere.stdout).toContain(`run ${run.id}  resumable  failure`);
    expect(fromElsewhere.stdout).toContain('fragile  failure');
    // `last`, as for --resume: the newest run.
    const last = await psr(['show', 'last', join(dir, 'wf.yml')]);
    expect([last.code, last.stdout]).toEqual([0, expect.stringContaining(`run ${run.id}  resumable  failure`)]);
    expect(stamp).toMatch(/^\d+$/);

    readFileSync(join(dir, 'wf.yml')); // the workflow is unchanged; only the world is fixed
    await import('node:fs').then((fs) => fs.writeFileSync(join(dir, 'fixed'), ''));
    const resumed = await psr(['run', 'wf.yml', '--resume', 'last'], { cwd: dir });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    // publish saw the recorded output of stamp, which did not run again.
    expect(readFileSync(join(dir, 'published.txt'), 'utf8').trim()).toBe(`published ${stamp}`);
    const after = JSON.parse((await psr(['history', 'wf.yml', '--json'], { cwd: dir })).stdout);
    expect(after[0]).toMatchObject({ status: 'success', trigger: 'resume', resumedFrom: run.id });

    const pruned = await psr(['history', 'prune', 'wf.yml', '--keep', '1'], { cwd: dir });
    expect(pruned.stdout).toMatch(/pruned 1 run/);
  }, 90_000);

  it('refuses to resume when a task that succeeded has changed', async () => {
    const dir = workspace({ 'wf.yml': 'version: 1\nname: r\ntasks:\n  a:\n    run: echo a\n  b:\n    needs: [a]\n    run: exit 1\n' });
    expect((await psr(['run', 'wf.yml'], { cwd: dir })).code).toBe(1);
    await import('node:fs').then((fs) => fs.writeFileSync(join(dir, 'wf.yml'), 'version: 1\nname: r\ntasks:\n  a:\n    run: echo changed\n  b:\n    needs: [a]\n    run: exit 1\n'));
    const out = await psr(['run', 'wf.yml', '--resume', 'last'], { cwd: dir });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/PSR_RESUME/);
    expect(out.stderr).toMatch(/\ba\b/);
  }, 60_000);
});

describe('psr schedule', () => {
  const scheduled = (overlap: string, command: string) => `version: 1
name: ticker
on:
  schedule:
    - cron: "* * * * * *"
      overlap: ${overlap}
tasks:
  tick:
    run: ${command}
`;

  it('--list prints the next five fire times', async () => {
    const dir = workspace({ 'wf.yml': scheduled('skip', 'echo tick').replace('"* * * * * *"', '"0 3 * * *"\n      timezone: Europe/Berlin') });
    const out = await psr(['schedule', '--list', 'wf.yml'], { cwd: dir });
    expect(out.code).toBe(0);
    const times = out.stdout.match(/^ {2}\d{4}-\d\d-\d\dT\d\d:00:00\.000Z/gm) ?? [];
    expect(times).toHaveLength(5);
    expect(out.stdout).toMatch(/03:00:00 Europe\/Berlin/);
  });

  it('fires recorded runs, skips overlapping fires, and on SIGTERM lets the running run finish', async () => {
    const dir = workspace({ 'wf.yml': scheduled('skip', 'sleep 1.6; echo done >> ticks.txt') });
    const daemon = startPsr(['schedule', 'wf.yml', '--grace', '20s'], { cwd: dir });
    const deadline = Date.now() + 30_000;
    while (!/skipped/.test(daemon.stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    daemon.child.kill('SIGTERM');
    const out = await daemon.done;
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/skipped, the previous run is still going/);
    expect(out.stdout).toMatch(/psr schedule: stopped/);
    // Every started run finished within the grace period and was recorded as a scheduled run.
    const started = (out.stdout.match(/run \S+ started/g) ?? []).length;
    expect(started).toBeGreaterThanOrEqual(1);
    expect(readFileSync(join(dir, 'ticks.txt'), 'utf8').trim().split('\n')).toHaveLength(started);
    const history = JSON.parse((await psr(['history', 'wf.yml', '--json'], { cwd: dir })).stdout);
    expect(history).toHaveLength(started);
    expect(history.every((r: any) => r.trigger === 'schedule' && r.status === 'success')).toBe(true);
  }, 60_000);

  it('cancels runs still going when the grace period runs out, and still exits 0', async () => {
    const dir = workspace({ 'wf.yml': scheduled('skip', 'sleep 30') });
    const daemon = startPsr(['schedule', 'wf.yml', '--grace', '300ms'], { cwd: dir });
    const deadline = Date.now() + 30_000;
    while (!/started/.test(daemon.stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    daemon.child.kill('SIGTERM');
    const out = await daemon.done;
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/grace period over: cancelling 1 running run/);
    expect(out.stdout).toMatch(/run \S+ cancelled/);
  }, 60_000);
});

