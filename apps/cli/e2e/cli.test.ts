/**
 * The command surface of the built binary: --version, --help, usage errors, validate, graph.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { psr, repoRoot, workspace } from './harness.js';

const version = (JSON.parse(readFileSync(`${repoRoot}/apps/cli/package.json`, 'utf8')) as { version: string }).version;

describe('psr basics', () => {
  it('--version prints the package version', async () => {
    expect(await psr(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists the commands and exit codes', async () => {
    const r = await psr(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}run\s+Run a workflow$/m);
    expect(r.stdout).toMatch(/^ {2}validate\s/m);
    expect(r.stdout).toMatch(/^ {2}graph\s/m);
    expect(r.stdout).toContain('130 interrupted');
  });

  it('an unknown command exits 2 with a suggestion', async () => {
    const r = await psr(['rnu', 'wf.yml']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('unknown command "rnu" [PSR_USAGE]');
    expect(r.stderr).toContain('did you mean psr run?');
  });

  it('an unknown option exits 2 with a suggestion', async () => {
    const r = await psr(['run', 'examples/hello/workflow.yml', '--fail-fsat']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean --fail-fast?');
  });

  it('bad -j exits 2', async () => {
    const r = await psr(['run', 'examples/hello/workflow.yml', '-j', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PSR_USAGE');
  });
});

describe('psr validate', () => {
  it('prints ✓ for each valid workflow and exits 0', async () => {
    const r = await psr(['validate', 'examples/hello/workflow.yml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✓ examples/hello/workflow.yml (6 tasks)\n');
  });

  it('checks every file and exits 2 when any is invalid', async () => {
    const dir = workspace({ 'good.yml': 'tasks:\n  a: { run: echo a }\n', 'bad.yml': 'tasks:\n  a: { run: echo a, needs: b }\n' });
    const r = await psr(['validate', 'bad.yml', 'good.yml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('✓ good.yml (1 task)\n');
    expect(r.stderr).toContain('✗ bad.yml: 1 problem');
    expect(r.stderr).toContain('bad.yml:2:');
  });

  it('needs at least one file', async () => {
    const r = await psr(['validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing argument <workflow>');
  });
});

describe('psr graph', () => {
  const wf = `
name: g
tasks:
  a: { run: echo a }
  b: { needs: a, name: "Build \\"it\\"", strategy: { matrix: { py: ["3.11", "3.12"], os: [linux, mac, win] } }, run: echo b }
  c: { needs: a, run: echo c }
  d: { needs: [b, c], run: echo d }
`;
  it('prints Mermaid with one node per task and matrix instance counts', async () => {
    const dir = workspace({ 'wf.yml': wf });
    const r = await psr(['graph', 'wf.yml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'flowchart LR',
        '  t0["a"]',
        '  t1["b: Build #quot;it#quot; ×6"]',
        '  t2["c"]',
        '  t3["d"]',
        '  t0 --> t1',
        '  t0 --> t2',
        '  t1 --> t3',
        '  t2 --> t3',
        '',
      ].join('\n'),
    );
  });

  it('prints Graphviz dot', async () => {
    const dir = workspace({ 'wf.yml': wf });
    const r = await psr(['graph', 'wf.yml', '--format', 'dot'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('digraph "g" {');
    expect(r.stdout).toContain('"b" [label="b: Build \\"it\\" ×6"];');
    expect(r.stdout).toContain('"b" -> "d";');
  });

  it('refuses an unknown format with exit 2', async () => {
    const r = await psr(['graph', 'examples/hello/workflow.yml', '--format', 'svg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('use one of: mermaid, dot');
  });

  it('exits 2 for an invalid workflow', async () => {
    const dir = workspace({ 'wf.yml': 'tasks:\n  a: { needs: a, run: echo }\n' });
    const r = await psr(['graph', 'wf.yml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('wf.yml:2:');
  });
});
