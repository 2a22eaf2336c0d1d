import { expect, it } from 'vitest';
import { attempt, build, run, runResult, taskResult, test } from '../../fixtures/run-data.js';
import { createLiveReporter } from './live.js';

// eslint-disable-next-line no-control-regex
const strip = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

it('redraws running tasks with attempt and log tail, then collapses them into one line', () => {
  let out = '';
  let clock = 0;
  const stdout = { write: (s: string) => (out += s), isTTY: true, columns: 100 };
  const r = createLiveReporter({ stdout, env: { NO_COLOR: '1' } }, (s) => s, { now: () => clock, intervalMs: 60_000 });
  r.onRunStart!({ type: 'run-start', run });
  r.onTaskStart!({ type: 'task-start', run, task: build });
  r.onAttemptStart!({ type: 'attempt-start', run, task: build, attempt: 2 });
  r.onOutput!({ type: 'output', run, task: build, attempt: 2, stream: 'stdout', text: 'one\ntwo\nthree\nfour \x1b[2Jclear\n' });
  clock = 1500;
  r.notice('hello');
  const frame = strip(out.slice(out.lastIndexOf('psr: hello')));
  expect(frame).toContain('build  attempt 2/3 · 1.5s');
  expect(frame).toContain('    two\n    three\n    four clear\n');
  expect(frame).not.toContain('    one\n');
  expect(frame).toContain('0/2 done · 1 running · 1 waiting');
  // the region is cleared by moving the cursor up over the previously drawn lines
  expect(out).toMatch(/\x1b\[\d+A\r\x1b\[J/);

  const done = taskResult(build, 'success', [attempt(1, 'failure'), attempt(2, 'success')]);
  r.onTaskEnd!({ type: 'task-end', run, task: build, result: done });
  const failed = taskResult(test, 'failure', [attempt(1, 'failure')]);
  r.onTaskStart!({ type: 'task-start', run, task: test });
  r.onOutput!({ type: 'output', run, task: test, attempt: 1, stream: 'stderr', text: 'boom\n' });
  r.onTaskEnd!({ type: 'task-end', run, task: test, result: failed });
  r.close(runResult([done, failed], 'failure'));
  // the cursor, hidden while redrawing, is shown again
  expect(out.indexOf('\x1b[?25h')).toBeGreaterThan(out.indexOf('\x1b[?25l'));
  const text = strip(out);
  expect(text).toContain('✓ build  2.4s · 2 attempts\n');
  // a failed task keeps its last log lines visible
  expect(text).toContain('✗ test  1.2s\n    boom\n');
  expect(text).toContain('run failure in 2.5s — 1 succeeded, 1 failed');
});

it('counts a dynamic matrix task once, then grows the total as its instances appear', () => {
  let out = '';
  const stdout = { write: (s: string) => (out += s), isTTY: true, columns: 100 };
  const r = createLiveReporter({ stdout, env: { NO_COLOR: '1' } }, (s) => s, { now: () => 0, intervalMs: 60_000 });
  const matrix = { axes: { pkg: [] }, include: [], exclude: [], expressions: { axes: { pkg: 'fromJSON(tasks.build.outputs.pkgs)' } } };
  const dynamicRun = { ...run, workflow: { ...run.workflow, tasks: [run.workflow.tasks[0]!, { ...run.workflow.tasks[1]!, matrix }] } };
  r.onRunStart!({ type: 'run-start', run: dynamicRun });
  expect(strip(out)).toContain('0/2+ done · 0 running · 2 waiting');
  r.onTaskStart!({ type: 'task-start', run: dynamicRun, task: build });
  r.onTaskEnd!({ type: 'task-end', run: dynamicRun, task: build, result: taskResult(build, 'success', [attempt(1, 'success')]) });
  for (const pkg of ['a', 'b', 'c']) r.onTaskStart!({ type: 'task-start', run: dynamicRun, task: { ...test, id: `test (pkg=${pkg})`, matrix: { pkg } } });
  r.notice('expanded');
  expect(strip(out.slice(out.lastIndexOf('psr: expanded')))).toContain('1/4 done · 3 running · 0 waiting');
  r.close();
});

it('shows the file:line:col, code and hint of an input error that failed an attempt', () => {
  let out = '';
  const stdout = { write: (s: string) => (out += s), isTTY: true, columns: 200 };
  const r = createLiveReporter({ stdout, env: { NO_COLOR: '1' } }, (s) => s, { now: () => 0, intervalMs: 60_000 });
  r.onRunStart!({ type: 'run-start', run });
  r.onTaskStart!({ type: 'task-start', run, task: build });
  const message = 'ignore of PYSEC-2023-207: expires "2020-13-45" is not a date';
  const failure = { kind: 'input', message, diagnostic: { code: 'PSR_SCAN_IGNORE_FILE', message, hint: 'write expires as YYYY-MM-DD', location: { file: 'ign.yml', line: 4, col: 14 } } };
  r.onAttemptEnd!({ type: 'attempt-end', run, task: build, result: { ...attempt(1, 'failure'), failure } });
  r.close(runResult([taskResult(build, 'failure', [{ ...attempt(1, 'failure'), failure }])], 'failure'));
  expect(strip(out)).toContain(`! build  attempt 1/3 failure: ign.yml:4:14: ${message} [PSR_SCAN_IGNORE_FILE]\n    hint: write expires as YYYY-MM-DD\n`);
});
