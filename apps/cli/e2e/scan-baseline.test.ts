/**
 * Gating pull requests on new findings, end to end: the built `psr` against the security-audit
 * example (real PyPA records in advisories/). The "main branch" scan is the project without its
 * urllib3 pin; the "pull request" adds it back.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { baseEnv, psr, repoRoot } from './harness.js';

const EXAMPLE = join(repoRoot, 'examples/security-audit');

/** The example in a temp dir with a JSON report of its main branch (no urllib3) as main-scan.json. */
async function setup(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'psr-e2e-baseline-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes(`${EXAMPLE}/reports`) });
  const env = baseEnv({ PSR_CACHE_DIR: join(dir, '.cache') });
  const requirements = join(dir, 'project/requirements.txt');
  const pullRequest = readFileSync(requirements, 'utf8');
  writeFileSync(requirements, pullRequest.replace('urllib3==1.24.1\n    # via requests\n', ''));
  const main = await psr(['scan', 'project', '--sources', 'advisories', '--fail-on', 'none', '--format', 'json', '--output', 'main-scan.json'], { cwd: dir, env });
  expect(main.code, main.stderr).toBe(0);
  writeFileSync(requirements, pullRequest);
  return { dir, env };
}

const scan = ['scan', 'project', '--sources', 'advisories', '--ignore-file', 'project/.psr-ignore.yml'];

describe('psr scan --baseline --fail-on-scope new', () => {
  it('fails on what the pull request adds, marks it new in the table, and passes when nothing new', async () => {
    const { dir, env } = await setup();
    const r = await psr([...scan, '--baseline', 'main-scan.json', '--fail-on-scope', 'new'], { cwd: dir, env });
    expect(r.code).toBe(1);
    const rows = r.stdout.split('\n');
    expect(rows[0]).toMatch(/^SEVERITY {2}NEW {2}ID/);
    const marked = rows.filter((l) => / new {2}PYSEC-/.test(l)).map((l) => l.split(/\s+/)[2]);
    expect(marked.sort()).toEqual(['PYSEC-2019-132', 'PYSEC-2023-192', 'PYSEC-2023-212']);
    expect(rows.filter((l) => l.includes('urllib3 1.24.1')).every((l) => / new {2}/.test(l))).toBe(true);
    expect(r.stdout).toContain('\n3 new, 5 unchanged, 0 resolved (baseline main-scan.json)\n');
    expect(r.stderr).toContain('compared with baseline main-scan.json: 3 new, 5 unchanged, 0 resolved\n');
    expect(r.stderr).toContain('8 finding(s), 1 suppressed, 3 new failing (--fail-on unknown: every severity)');
    // Only the new high one is at or above high.
    const high = await psr([...scan, '--baseline', 'main-scan.json', '--fail-on-scope', 'new', '--fail-on', 'high'], { cwd: dir, env });
    expect([high.code, high.stderr]).toEqual([1, expect.stringContaining('1 new at or above high')]);
    // The same scan without the scope fails on the old findings too, as before.
    const all = await psr([...scan, '--baseline', 'main-scan.json', '--fail-on', 'unknown', '--format', 'json', '--output', 'pr.json'], { cwd: dir, env });
    expect([all.code, all.stderr]).toEqual([1, expect.stringContaining('8 failing')]);
    const report = JSON.parse(readFileSync(join(dir, 'pr.json'), 'utf8')) as { schemaVersion: string; baseline: { new: number }; findings: Array<{ id: string; baselineState: string }> };
    expect(report.schemaVersion).toBe('1.2.0');
    expect(report.baseline).toMatchObject({ report: 'main-scan.json', new: 3, unchanged: 5, resolved: 0 });
    expect(report.findings.filter((f) => f.baselineState === 'new').map((f) => f.id).sort()).toEqual(['PYSEC-2019-132', 'PYSEC-2023-192', 'PYSEC-2023-212']);
    // A pull request that adds nothing passes, with every old finding still reported.
    const same = await psr([...scan, '--baseline', 'pr.json', '--fail-on-scope', 'new', '--format', 'sarif', '--output', 'pr.sarif'], { cwd: dir, env });
    expect([same.code, same.stderr]).toEqual([0, expect.stringContaining('compared with baseline pr.json: 0 new, 8 unchanged, 0 resolved')]);
    const sarif = JSON.parse(readFileSync(join(dir, 'pr.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ baselineState?: string }> }> };
    expect(sarif.runs[0]!.results).toHaveLength(9);
    expect(sarif.runs[0]!.results.every((x) => x.baselineState === 'unchanged')).toBe(true);
  });

  it('is a usage error without --baseline (exit 2, with a hint), and a partial scan keeps exit 3', async () => {
    const { dir, env } = await setup();
    const usage = await psr([...scan, '--fail-on-scope', 'new'], { cwd: dir, env });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--fail-on-scope new counts only findings a baseline does not have, and no --baseline was given \[PSR_USAGE\]\n {2}hint: add --baseline <report\.json>/);
    const typo = await psr([...scan, '--baseline', 'main-scan.json', '--fail-on-scope', 'added'], { cwd: dir, env });
    expect([typo.code, typo.stderr]).toEqual([2, expect.stringContaining('PSR_USAGE')]);
    // A source fails: the scan is not compared (what it did not see would count as resolved) and exits 3.
    writeFileSync(join(dir, 'broken.zip'), 'PK\u0003\u0004 truncated');
    const partial = await psr([...scan, '--sources', 'broken.zip', '--baseline', 'main-scan.json', '--fail-on-scope', 'new'], { cwd: dir, env });
    expect(partial.code).toBe(3);
    expect(partial.stdout).toContain('PSR_SCAN_BASELINE_SKIPPED');
    expect(partial.stdout).not.toMatch(/^SEVERITY {2}NEW/);
  });

  it('compares with a valid baseline without loading the report schema or starting Node\'s ES module loader', async () => {
    // zod and jsonc-parser (an ES module chunk) only say what is wrong with a baseline: loaded
    // for every pull request, they had tripled the time of a warm scan compared with a large one.
    const { dir, env } = await setup();
    const hook = join(dir, 'modules.cjs');
    writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'modules.txt'))}, process.moduleLoadList.join('\\n')));`);
    const r = await psr([...scan, '--baseline', 'main-scan.json', '--fail-on', 'none'], { cwd: dir, env: { ...env, NODE_OPTIONS: `--require ${hook}` } });
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('compared with baseline main-scan.json: 3 new, 5 unchanged, 0 resolved')]);
    const loaded = readFileSync(join(dir, 'modules.txt'), 'utf8').split('\n');
    expect(loaded).toContain('NativeModule vm');
    expect(loaded.filter((m) => /esm\/module_job|fs\/promises/.test(m))).toEqual([]);
    // A malformed one still gets its file:line:col.
    writeFileSync(join(dir, 'broken.json'), readFileSync(join(dir, 'main-scan.json'), 'utf8').replace('"findings": [', '"findings": [,'));
    const broken = await psr([...scan, '--baseline', 'broken.json'], { cwd: dir, env });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json:\d+:\d+: baseline: \S*broken\.json is not valid JSON: value expected \[PSR_SCAN_BASELINE\]/);
  });

  it('says what a baseline that is no psr scan report is', async () => {
    const { dir, env } = await setup();
    await psr([...scan, '--fail-on', 'none', '--format', 'sarif', '--output', 'main.sarif'], { cwd: dir, env });
    const r = await psr([...scan, '--baseline', 'main.sarif', '--fail-on-scope', 'new'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/main\.sarif:1:1: baseline: \S*main\.sarif is a SARIF log \(version 2\.1\.0\), not a psr JSON report \[PSR_SCAN_BASELINE\]\n {2}hint: a baseline is a JSON report of psr itself/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the scan task with fail-on-scope new', () => {
  it('psr validate reports fail-on-scope new without a baseline at the field', async () => {
    const { dir, env } = await setup();
    writeFileSync(join(dir, 'wf.yml'), 'version: 1\ntasks:\n  audit:\n    uses: scan\n    with:\n      path: project\n      fail-on-scope: new\n');
    const r = await psr(['validate', 'wf.yml'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wf\.yml:7:22: task "audit" \(scan\) with: fail-on-scope: fail-on-scope new counts only findings a baseline does not have, and no baseline is given \[PSR_TASK_INPUT\]\n {2}hint: add `baseline: <report\.json>`/);
  });

  it('gates a run on new findings and publishes new, unchanged and resolved', async () => {
    const { dir, env } = await setup();
    writeFileSync(
      join(dir, 'wf.yml'),
      [
        'version: 1',
        'tasks:',
        '  audit:',
        '    uses: scan',
        '    with: { path: project, sources: [advisories], baseline: main-scan.json, fail-on-scope: new, fail-on: high, format: markdown, output: pr.md }',
        '  after:',
        '    needs: [audit]',
        '    if: ${{ always() }}',
        '    run: echo "new=${{ tasks.audit.outputs.new }} unchanged=${{ tasks.audit.outputs.unchanged }} resolved=${{ tasks.audit.outputs.resolved }} failing=${{ tasks.audit.outputs.failing }}"',
        '',
      ].join('\n'),
    );
    const r = await psr(['run', 'wf.yml'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[audit] attempt 1/1 failure: 1 new vulnerability at or above high');
    expect(r.stdout).toContain('[after] new=3 unchanged=6 resolved=0 failing=1');
    expect(readFileSync(join(dir, 'pr.md'), 'utf8')).toContain('Against the baseline <code>main-scan.json</code>: **3 new**, 6 unchanged, 0 resolved');
  });
});
