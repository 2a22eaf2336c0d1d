import { expect, it } from 'vitest';
import { createJsonReporter } from './json.js';
import { attempt, build, run, runResult, taskResult } from '../../fixtures/run-data.js';

it('writes one masked JSON event per line with the workflow reduced to name/file/hash', () => {
  let out = '';
  const r = createJsonReporter({ write: (s: string) => (out += s) }, (s) => s.replaceAll('s3cr"et', '***'));
  r.onRunStart!({ type: 'run-start', run });
  r.onOutput!({ type: 'output', run, task: build, attempt: 1, stream: 'stdout', text: 'value s3cr"et\n' });
  r.onRunEnd!({ type: 'run-end', run, result: runResult([taskResult(build, 'success', [attempt(1, 'success')])], 'success') });
  r.notice('cancelling');
  const lines = out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  expect(lines.map((l) => l['type'])).toEqual(['run-start', 'output', 'run-end', 'notice']);
  expect(lines[0]!['run'].workflow).toEqual({ name: 'demo', file: '/tmp/demo.yml', hash: 'abc123' });
  expect(lines[2]!['result'].run.workflow).toEqual({ name: 'demo', file: '/tmp/demo.yml', hash: 'abc123' });
  expect(lines[1]!['text']).toBe('value ***\n');
  expect(out).not.toContain('s3cr');
});
