import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, PsrAggregateError, type Diagnostic } from '../errors.js';
import { loadWorkflow } from './load.js';

const fixtures = fileURLToPath(new URL('../../fixtures/workflows/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'psr-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Load text that must fail; return its problems rendered as the CLI would. */
export async function problemsOf(text: string, file = 'wf.yml'): Promise<string[]> {
  const err = await loadWorkflow({ text, file }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PsrAggregateError);
  return (err as PsrAggregateError).problems.map((p: Diagnostic) => formatDiagnostic(p));
}

describe('loadWorkflow on valid workflows', () => {
  it('loads a file with defaults applied and positions recorded', async () => {
    const wf = await loadWorkflow(join(fixtures, 'hello.yml'));
    expect(wf.name).toBe('hello');
    expect(wf.file).toBe(resolve(fixtures, 'hello.yml'));
    expect(wf.dir).toBe(resolve(fixtures));
    expect(wf.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(wf.tasks.map((t) => [t.id, t.uses, t.needs])).toEqual([
      ['setup', 'run', []],
      ['left', 'run', ['setup']],
      ['right', 'run', ['setup']],
      ['join', 'run', ['left', 'right']],
    ]);
    const join_ = wf.tasks[3]!;
    expect(join_.with).toEqual({ run: 'echo "joined"\necho "result=${{ tasks.left.result }}" >> "$PSR_OUTPUT"\n' });
    expect(join_.retry).toEqual({ attempts: 1, backoff: 'fixed', delayMs: 1000, maxDelayMs: 60_000, jitter: false });
    expect(join_.location).toMatchObject({ line: 12, col: 3 });
    expect(join_.needsLocations?.map((l) => l?.line)).toEqual([13, 13]);
    expect(wf.failFast).toBe(false);
  });
});
