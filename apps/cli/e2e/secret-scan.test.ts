import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { psr, workspace } from './harness.js';

// Built from parts so this file holds no token-shaped literal.
const token = 'sk_live' + '_' + 'Zq9XbT4mVc7LpR2nWk8YsH3dFg6JuE5a';

describe('psr secret-scan', () => {
  it('reports a leaked key with exit 1, never printing it, and writes SARIF', async () => {
    const dir = workspace({ 'app/.env': `STRIPE_KEY=${token}\nDEBUG=true\n`, 'app/README.md': 'Set STRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n' });
    const out = await psr(['secret-scan', 'app', '--format', 'sarif', '--output', 'r.sarif', '--format', 'table'], { cwd: dir });
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('stripe-secret-key');
    expect(out.stdout).toContain('.env:1:12');
    expect(out.stdout + out.stderr).not.toContain(token);
    const sarif = readFileSync(join(dir, 'r.sarif'), 'utf8');
    expect(sarif).not.toContain(token);
    expect(JSON.parse(sarif).runs[0].results).toHaveLength(1);
    expect(out.stdout + out.stderr).toContain('report written: r.sarif');
    // A path outside the folder is shown as given (it had read `../../dev/stdout`).
    const dev = await psr(['secret-scan', 'app', '--format', 'json', '--output', '/dev/stdout'], { cwd: dir });
    expect(dev.stdout + dev.stderr).toContain('report written: /dev/stdout');
    expect(dev.stdout).toContain('"schemaVersion"');
  });

  it('accepts findings into a baseline and then passes', async () => {
    const dir = workspace({ '.env': `STRIPE_KEY=${token}\n` });
    expect((await psr(['secret-scan', '--update-baseline'], { cwd: dir })).code).toBe(0);
    const baseline = readFileSync(join(dir, '.psr/secret-scan-baseline.json'), 'utf8');
    expect(baseline).not.toContain(token);
    expect((await psr(['secret-scan', '--baseline', '.psr/secret-scan-baseline.json'], { cwd: dir })).code).toBe(0);
  });

  it("finds nothing unallowed in psr's own repository (every test credential carries a psr-allow comment or is built at run time)", async () => {
    const repo = join(import.meta.dirname, '..', '..', '..');
    const out = await psr(['secret-scan', repo], { cwd: repo });
    expect(out.stdout + out.stderr).toContain('0 finding(s)');
    expect(out.code, out.stdout).toBe(0);
  });

  it('works as a pre-commit hook: --mode staged fails a commit that would add a key, and only that', async () => {
    const dir = workspace({ 'README.md': 'hello\n' });
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.org', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.org', GIT_CONFIG_NOSYSTEM: '1', HOME: dir } });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'init');
    writeFileSync(join(dir, '.env'), `STRIPE_KEY=${token}\n`);
    expect((await psr(['secret-scan', '--mode', 'staged'], { cwd: dir })).code).toBe(0); // not staged yet
    git('add', '.env');
    const blocked = await psr(['secret-scan', '--mode', 'staged'], { cwd: dir });
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain('.env:1:12');
    expect(blocked.stdout + blocked.stderr).not.toContain(token);
    expect(blocked.stdout + blocked.stderr).toContain('staged changes');
    expect((await psr(['secret-scan', '.env', '--mode', 'staged'], { cwd: dir })).stderr).toContain('PSR_SECRET_SCAN_TARGET');
  });

  it('exits 2 on usage errors', async () => {
    const dir = workspace({});
    expect((await psr(['secret-scan', '--format', 'xml'], { cwd: dir })).code).toBe(2);
    expect((await psr(['secret-scan', 'missing-dir'], { cwd: dir })).code).toBe(2);
    expect((await psr(['secret-scan', '--mode', 'history'], { cwd: dir })).stderr).toContain('PSR_SECRET_SCAN_GIT');
    const staged = await psr(['secret-scan', '--mode', 'staged', '--since', '2024-01-01'], { cwd: dir });
    expect(staged.code).toBe(2);
    expect(staged.stderr).toContain('since applies to mode history only, not staged');
  });
});

describe('uses: secret-scan in a workflow', () => {
  it('runs the built-in task, fails on findings and still publishes its outputs', async () => {
    const dir = workspace({
      'src/settings.py': `STRIPE = "${token}"\n`,
      'wf.yml': [
        'version: 1',
        'name: secrets',
        'tasks:',
        '  secrets:',
        '    uses: secret-scan',
        '    with: { path: src, format: [json], output: [out/secrets.json] }',
        '  report:',
        '    needs: secrets',
        '    if: ${{ always() }}',
        '    run: echo "found ${{ tasks.secrets.outputs.total }} critical ${{ tasks.secrets.outputs.critical }}"',
        '',
      ].join('\n'),
    });
    const out = await psr(['run', 'wf.yml'], { cwd: dir });
    expect(out.code).toBe(1);
    expect(out.stdout + out.stderr).toContain('found 1 critical 1');
    expect(out.stdout + out.stderr).not.toContain(token);
    const json = JSON.parse(readFileSync(join(dir, 'out/secrets.json'), 'utf8'));
    expect(json.findings[0].id).toBe('stripe-secret-key');
  });
});
