/**
 * Every class of invalid workflow exits 2 with `file:line:col: message [CODE]` — through both
 * `psr validate` and `psr run` — and never prints a stack trace.
 */
import { describe, expect, it } from 'vitest';
import { psr, workspace } from './harness.js';

// `hint: false`: the loader gives no hint for this class yet (schema type errors are self-explanatory).
const cases: Array<{ name: string; yaml: string; code: string; at: string; hint?: false }> = [
  { name: 'YAML syntax', yaml: 'tasks:\n  a: { run: echo hi\n  b: [\n', code: 'PSR_YAML_SYNTAX', at: 'wf.yml:3:' },
  { name: 'schema type', yaml: 'tasks:\n  a:\n    run: echo hi\n    timeout: [1, 2]\n    needs: 5\n', code: 'PSR_SCHEMA', at: 'wf.yml:5:12', hint: false },
  { name: 'unknown key', yaml: 'tasks:\n  a:\n    runn: echo hi\n', code: 'PSR_SCHEMA', at: 'wf.yml:3:5' },
  { name: 'unknown needs', yaml: 'tasks:\n  build: { run: echo b }\n  test:\n    needs: [biuld]\n    run: echo t\n', code: 'PSR_UNKNOWN_NEEDS', at: 'wf.yml:4:13' },
  { name: 'cycle', yaml: 'tasks:\n  a: { needs: c, run: echo a }\n  b: { needs: a, run: echo b }\n  c: { needs: b, run: echo c }\n', code: 'PSR_WORKFLOW_CYCLE', at: 'wf.yml:' },
  { name: 'unknown task type', yaml: 'tasks:\n  a:\n    uses: scna\n', code: 'PSR_UNKNOWN_TASK_TYPE', at: 'wf.yml:3:11' },
  { name: 'bad expression', yaml: 'tasks:\n  a:\n    if: ${{ success( }}\n    run: echo a\n', code: 'PSR_EXPRESSION', at: 'wf.yml:3:' },
  { name: 'unknown context', yaml: 'tasks:\n  a:\n    run: echo ${{ steps.x.outputs.y }}\n', code: 'PSR_EXPRESSION', at: 'wf.yml:3:' },
  { name: 'bad duration', yaml: 'tasks:\n  a:\n    run: echo a\n    timeout: 10x\n', code: 'PSR_DURATION', at: 'wf.yml:4:14' },
  { name: 'bad matrix', yaml: 'tasks:\n  a:\n    strategy:\n      matrix:\n        py: []\n    run: echo a\n', code: 'PSR_MATRIX', at: 'wf.yml:5:' },
  { name: 'duplicate id', yaml: 'tasks:\n  a: { run: echo 1 }\n  a: { run: echo 2 }\n', code: 'PSR_', at: 'wf.yml:3:' },
];

describe('invalid workflows exit 2 with file:line:col', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const dir = workspace({ 'wf.yml': c.yaml });
      for (const args of [['validate', 'wf.yml'], ['run', 'wf.yml']]) {
        const r = await psr(args, { cwd: dir });
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(c.at);
        expect(r.stderr).toContain(c.code);
        if (c.hint !== false) expect(r.stderr).toContain('hint:');
        expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
        expect(r.stdout).not.toContain('▶');
      }
    });
  }

  it('reports several problems at once', async () => {
    const dir = workspace({ 'wf.yml': 'tasks:\n  a:\n    run: echo a\n    timeout: 10x\n  b:\n    needs: [zzz]\n    run: echo b\n' });
    const r = await psr(['validate', 'wf.yml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('wf.yml:4:14');
    expect(r.stderr).toContain('wf.yml:6:');
    expect(r.stderr).toContain('✗ wf.yml: 2 problems');
  });

  it('shows the offending line under the message', async () => {
    const dir = workspace({ 'wf.yml': 'tasks:\n  a:\n    run: echo a\n    timeout: 10x\n' });
    const r = await psr(['validate', 'wf.yml'], { cwd: dir });
    expect(r.stderr).toContain('   4 |     timeout: 10x\n     |              ^');
  });

  it('bad --input values exit 2 naming the input', async () => {
    const dir = workspace({ 'wf.yml': 'inputs:\n  target: { type: string, enum: [staging, prod], default: staging }\n  n: { type: number, default: 1 }\ntasks:\n  a: { run: echo a }\n' });
    for (const bad of [['--input', 'target=qa'], ['--input', 'n=lots'], ['--input', 'nope=1'], ['--input', 'novalue']]) {
      const r = await psr(['run', 'wf.yml', ...bad], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/PSR_INPUT|PSR_USAGE/);
      expect(r.stdout).toBe('');
    }
  });

  it('a missing, binary or directory workflow file exits 2', async () => {
    const dir = workspace({ 'bin.yml': '\u0000\u0001\u0002binary\u0000' });
    for (const file of ['missing.yml', 'bin.yml', '.']) {
      const r = await psr(['validate', file], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/PSR_FILE_/);
    }
  });

  it('with --json, stdout gets one error line with the diagnostics', async () => {
    const dir = workspace({ 'wf.yml': 'tasks:\n  a:\n    run: echo a\n    timeout: 10x\n' });
    const r = await psr(['run', 'wf.yml', '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const event = JSON.parse(lines[0]!) as { type: string; diagnostics: Array<{ code: string; location: { line: number; col: number } }> };
    expect(event.type).toBe('error');
    expect(event.diagnostics[0]).toMatchObject({ code: 'PSR_DURATION', location: { line: 4, col: 14 } });
    expect(r.stderr).toContain('wf.yml:4:14');
  });
});
