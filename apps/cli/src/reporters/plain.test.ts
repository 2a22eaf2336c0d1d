import { expect, it } from 'vitest';
import { attempt, build, run, runResult, taskResult, test } from '../../fixtures/run-data.js';
import { createPlainReporter } from './plain.js';

it('prefixes every output line, reports retries and ends with the summary table', () => {
  let out = '';
  const r = createPlainReporter({ stdout: { write: (s: string) => (out += s), isTTY: false }, env: {} }, (s) => s.replaceAll('hunter22', '***'));
  r.onRunStart!({ type: 'run-start', run });
  r.onTaskStart!({ type: 'task-start', run, task: build });
  r.onOutput!({ type: 'output', run, task: build, attempt: 1, stream: 'stdout', text: 'compiling\npass' });
  r.onOutput!({ type: 'output', run, task: build, attempt: 1, stream: 'stdout', text: 'word hunter22\n' });
  r.onOutput!({ type: 'output', run, task: build, attempt: 1, stream: 'log', text: 'debug detail\n', level: 'debug' });
  r.onOutput!({ type: 'output', run, task: build, attempt: 1, stream: 'log', text: 'logged line', level: 'info' });
  r.onOutput!({ type: 'output', run, task: build, attempt: 1, stream: 'log', text: 'another', level: 'info' });
  r.onAttemptEnd!({ type: 'attempt-end', run, task: build, result: attempt(1, 'failure') });
  r.onRetryWait!({ type: 'retry-wait', run, task: build, attempt: 2, delayMs: 100 });
  r.onAttemptStart!({ type: 'attempt-start', run, task: build, attempt: 2 });
  r.onOutput!({ type: 'output', run, task: build, attempt: 2, stream: 'stderr', text: 'no newline at end' });
  r.onAttemptEnd!({ type: 'attempt-end', run, task: build, result: attempt(2, 'success') });
  const done = taskResult(build, 'success', [attempt(1, 'failure'), attempt(2, 'success')]);
  r.onTaskEnd!({ type: 'task-end', run, task: build, result: done });
  const skipped = taskResult(test, 'skipped', [], { reason: 'a dependency failed' });
  r.onTaskEnd!({ type: 'task-end', run, task: test, result: skipped });
  r.close(runResult([done, skipped], 'success'));
  expect(out).toBe(
    [
      '▶ demo run run-1',
      '[build] started',
      '[build] compiling',
      '[build] password ***',
      '[build] logged line',
      '[build] another',
      '[build] attempt 1/3 failure: exited with code 1 (1.2s)',
      '[build] retrying in 100ms (attempt 2/3)',
      '[build] attempt 2/3',
      '[build] no newline at end',
      '[build] ✓ success in 2.4s',
      '[test] ○ skipped: a dependency failed',
      '',
      'task   status     attempts  duration',
      'build  ✓ success  2/3       2.4s',
      'test   ○ skipped  -         -  a dependency failed',
      '',
      'run success in 2.5s — 1 succeeded, 1 skipped',
      '',
    ].join('\n'),
  );
});

it('shows why a task failed before it could run (a dynamic matrix that cannot be evaluated), with code and hint', () => {
  let out = '';
  const r = createPlainReporter({ stdout: { write: (s: string) => (out += s), isTTY: false }, env: {} }, (s) => s);
  r.onRunStart!({ type: 'run-start', run });
  const failure = { kind: 'matrix', message: 'the matrix of task "test" could not be evaluated: empty input', diagnostic: { code: 'PSR_MATRIX', message: 'x', hint: 'check the output' } };
  const failed = taskResult(test, 'failure', [{ ...attempt(1, 'error', 0), failure }]);
  r.onTaskEnd!({ type: 'task-end', run, task: test, result: failed });
  expect(out).toContain('[test] ✗ failure in 0ms\n[test] the matrix of task "test" could not be evaluated: empty input [PSR_MATRIX]\n[test]   hint: check the output\n');
});

it('shows the file:line:col, code and hint of an input error that failed an attempt', () => {
  let out = '';
  const r = createPlainReporter({ stdout: { write: (s: string) => (out += s), isTTY: false }, env: {} }, (s) => s);
  r.onRunStart!({ type: 'run-start', run });
  r.onTaskStart!({ type: 'task-start', run, task: build });
  const message = 'ignore of PYSEC-2023-207: expires "2020-13-45" is not a date';
  const failure = { kind: 'input', message, diagnostic: { code: 'PSR_SCAN_IGNORE_FILE', message, hint: 'write expires as YYYY-MM-DD', location: { file: 'ign.yml', line: 4, col: 14 } } };
  r.onAttemptEnd!({ type: 'attempt-end', run, task: build, result: { ...attempt(1, 'failure'), failure } });
  expect(out).toContain(`[build] attempt 1/3 failure: ign.yml:4:14: ${message} [PSR_SCAN_IGNORE_FILE] (1.2s)\n[build]   hint: write expires as YYYY-MM-DD\n`);
});

it('says why a failure its task marked not retryable ends the task with attempts left', () => {
  let out = '';
  const r = createPlainReporter({ stdout: { write: (s: string) => (out += s), isTTY: false }, env: {} }, (s) => s);
  r.onRunStart!({ type: 'run-start', run });
  const failure = { kind: 'findings', message: '1 vulnerability at or above high: PYSEC-2023-192 (high) in urllib3 1.24.1', retryable: false as const };
  r.onAttemptEnd!({ type: 'attempt-end', run, task: build, result: { ...attempt(1, 'failure'), failure } });
  expect(out).toContain(
    '[build] attempt 1/3 failure: 1 vulnerability at or above high: PYSEC-2023-192 (high) in urllib3 1.24.1 (1.2s)\n[build] not retried: another attempt would give the same "findings" failure (retry.on: [findings] retries it anyway)\n',
  );
});
