// Scans compared with a baseline: what a pull request adds, on real PyPA records (fixtures/advisories).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { taskContext } from '../fixtures/task-context.js';
import scanPlugin from './index.js';
import { runScan, type ScanOptions } from './run-scan.js';

const ADVISORIES = fileURLToPath(new URL('../fixtures/advisories', import.meta.url));
const cacheDir = mkdtempSync(join(tmpdir(), 'psr-scan-baseline-cache-'));
const work: string[] = [cacheDir];
afterAll(() => {
  for (const d of work) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'psr-scan-baseline-'));
  work.push(d);
  return d;
}

/** A project of one requirements file. */
function projectWith(requirements: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'requirements.txt'), requirements);
  return dir;
}

function scan(cwd: string, extra: Partial<ScanOptions> = {}): ReturnType<typeof runScan> {
  return runScan({ path: 'requirements.txt', cwd, sources: [ADVISORIES], failOn: 'unknown', formats: [], outputs: [], cacheDir, ...extra });
}

/** Write the baseline report of the project as it is now. */
async function writeBaseline(dir: string, extra: Partial<ScanOptions> = {}): Promise<void> {
  await scan(dir, { formats: ['json'], outputs: ['baseline.json'], ...extra });
}

const states = (findings: ReadonlyArray<{ id: string; baselineState?: string | undefined }>): Record<string, string | undefined> =>
  Object.fromEntries(findings.map((f) => [f.id, f.baselineState]));

describe('a scan compared with a baseline', () => {
  it('marks each finding new or unchanged in every format, and names the resolved ones', async () => {
    const dir = projectWith('jinja2==2.10\nrequests==2.19.1\n');
    await writeBaseline(dir);
    // The change upgrades requests and adds PyYAML 5.3.
    writeFileSync(join(dir, 'requirements.txt'), 'jinja2==2.10\nrequests==2.31.0\nPyYAML==5.3\n');
    const r = await scan(dir, { baseline: 'baseline.json', failOn: 'none', formats: ['json', 'sarif', 'markdown', 'table'], outputs: ['scan.json', 'scan.sarif', 'scan.md', 'scan.txt'] });
    const expected = { 'PYSEC-2019-217': 'unchanged', 'PYSEC-2021-66': 'unchanged', 'PYSEC-2020-96': 'new', 'PYSEC-2021-142': 'new' };
    expect(states(r.report.findings)).toEqual(expected);
    expect([r.outputs['new'], r.outputs['unchanged'], r.outputs['resolved']]).toEqual([2, 2, 2]);

    const json = JSON.parse(readFileSync(join(dir, 'scan.json'), 'utf8')) as { schemaVersion: string; baseline: { report: string; resolvedFindings: Array<{ id: string }> }; findings: Array<{ id: string; baselineState?: string }> };
    expect(states(json.findings)).toEqual(expected);
    expect(json.baseline).toMatchObject({ report: 'baseline.json', new: 2, unchanged: 2, resolved: 2 });
    expect(json.baseline.resolvedFindings.map((f) => f.id).sort()).toEqual(['PYSEC-2018-28', 'PYSEC-2023-74']);

    const sarif = JSON.parse(readFileSync(join(dir, 'scan.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; baselineState?: string }> }> };
    expect(Object.fromEntries(sarif.runs[0]!.results.map((x) => [x.ruleId, x.baselineState]))).toEqual(expected);

    const md = readFileSync(join(dir, 'scan.md'), 'utf8');
    expect(md).toContain('Against the baseline <code>baseline.json</code>: **2 new**, 2 unchanged, 2 resolved');
    expect(md.indexOf('PYSEC-2020-96')).toBeLessThan(md.indexOf('unchanged findings (in the baseline too)'));
    const table = readFileSync(join(dir, 'scan.txt'), 'utf8');
    expect(table).toMatch(/\n\S+ +new {2}PYSEC-2020-96/);
    expect(table).toContain('\n2 new, 2 unchanged, 2 resolved (baseline baseline.json)\n');
  });

  it('keeps a finding unchanged when lines move, the file is reordered and its advisory lists aliases in another order', async () => {
    const data = tempDir();
    cpSync(ADVISORIES, data, { recursive: true });
    const dir = projectWith('# runtime\njinja2==2.10\nPyYAML==5.3\n');
    await writeBaseline(dir, { sources: [data] });
    writeFileSync(join(dir, 'requirements.txt'), '# reordered, with new comments\n\n# config parsing\npyyaml==5.3\n\n# templates\nJinja2==2.10\n');
    const record = join(data, 'vulns/jinja2/PYSEC-2019-217.yaml');
    writeFileSync(record, readFileSync(record, 'utf8').replace('aliases:\n- CVE-2019-10906\n- GHSA-462w-v97r-4m45', 'aliases:\n- GHSA-462w-v97r-4m45\n- CVE-2019-10906'));
    const r = await scan(dir, { sources: [data], baseline: 'baseline.json', failOnScope: 'new' });
    expect(r.report.findings.every((f) => f.baselineState === 'unchanged')).toBe(true);
    expect(r.report.findings.find((f) => f.id === 'PYSEC-2019-217')!.locations[0]!.line).toBe(7);
    expect([r.outputs['new'], r.outputs['resolved'], r.status]).toEqual([0, 0, 'clean']);
  });

  it('keeps a finding unchanged when its requirements file is renamed, and when the same pin is added in another file', async () => {
    const dir = projectWith('jinja2==2.10\n');
    await writeBaseline(dir, { path: '.' });
    rmSync(join(dir, 'requirements.txt'));
    writeFileSync(join(dir, 'requirements-prod.txt'), 'jinja2==2.10\n');
    writeFileSync(join(dir, 'requirements-dev.txt'), 'jinja2==2.10\npytest==8.3.3\n');
    const r = await scan(dir, { path: '.', baseline: 'baseline.json', failOnScope: 'new' });
    // One finding per advisory and package version, listing every file it is pinned in.
    expect(r.report.findings.map((f) => [f.id, f.baselineState, f.locations.map((l) => l.file).sort()])).toEqual([
      ['PYSEC-2019-217', 'unchanged', ['requirements-dev.txt', 'requirements-prod.txt']],
      ['PYSEC-2021-66', 'unchanged', ['requirements-dev.txt', 'requirements-prod.txt']],
    ]);
    expect(r.status).toBe('clean');
  });

  it('keeps a finding unchanged when its advisory is shown under another id (a PYSEC record joins the GHSA one)', async () => {
    // Before: the data has only GitHub's record of the flaw, so psr shows its GHSA id.
    const before = tempDir();
    cpSync(ADVISORIES, before, { recursive: true });
    const pysec = readFileSync(join(before, 'vulns/jinja2/PYSEC-2019-217.yaml'), 'utf8');
    rmSync(join(before, 'vulns/jinja2/PYSEC-2019-217.yaml'));
    writeFileSync(join(before, 'vulns/jinja2/GHSA-462w-v97r-4m45.yaml'), pysec.replace('id: PYSEC-2019-217', 'id: GHSA-462w-v97r-4m45').replace('- GHSA-462w-v97r-4m45\n', ''));
    const dir = projectWith('jinja2==2.10\n');
    await writeBaseline(dir, { sources: [before] });
    const baseline = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')) as { findings: Array<{ id: string }> };
    expect(baseline.findings.map((f) => f.id).sort()).toEqual(['GHSA-462w-v97r-4m45', 'PYSEC-2021-66']);
    // After: both records; the ecosystem's own PYSEC id is preferred.
    const after = tempDir();
    cpSync(before, after, { recursive: true });
    writeFileSync(join(after, 'vulns/jinja2/PYSEC-2019-217.yaml'), pysec);
    const r = await scan(dir, { sources: [after], baseline: 'baseline.json', failOnScope: 'new' });
    expect(states(r.report.findings)).toEqual({ 'PYSEC-2019-217': 'unchanged', 'PYSEC-2021-66': 'unchanged' });
    expect([r.outputs['new'], r.outputs['resolved'], r.status]).toEqual([0, 0, 'clean']);
  });

  it('calls a finding new when the pinned version changes, even if the same advisory still applies', async () => {
    const dir = projectWith('jinja2==2.10\n');
    await writeBaseline(dir);
    writeFileSync(join(dir, 'requirements.txt'), 'jinja2==2.9.6\n');
    const r = await scan(dir, { baseline: 'baseline.json', failOnScope: 'new' });
    expect(r.report.findings.map((f) => `${f.id} ${f.baselineState}`).sort()).toEqual(['PYSEC-2019-217 new', 'PYSEC-2021-66 new']);
    expect(r.outputs['resolved']).toBe(2);
    expect(r.status).toBe('findings');
  });
});

describe('fail-on-scope new', () => {
  it('passes when every finding at or above fail-on is in the baseline, and fails on a new one', async () => {
    const dir = projectWith('jinja2==2.10\nrequests==2.19.1\n');
    await writeBaseline(dir);
    const same = await scan(dir, { baseline: 'baseline.json', failOnScope: 'new' });
    expect([same.status, same.failing.length, same.outputs['failing']]).toEqual(['clean', 0, 0]);
    // Without the scope, the same scan fails on the old findings: today's behaviour.
    expect((await scan(dir, { baseline: 'baseline.json' })).status).toBe('findings');
    writeFileSync(join(dir, 'requirements.txt'), 'jinja2==2.10\nrequests==2.19.1\nurllib3==1.24.1\n');
    const added = await scan(dir, { baseline: 'baseline.json', failOnScope: 'new' });
    expect(added.status).toBe('findings');
    expect(added.failing.map((f) => f.id)).toEqual(['PYSEC-2019-132']);
    // A new finding below fail-on does not fail.
    expect((await scan(dir, { baseline: 'baseline.json', failOnScope: 'new', failOn: 'critical' })).status).toBe('clean');
  });

  it('does not count a new finding the ignore file suppresses', async () => {
    const dir = projectWith('jinja2==2.10\n');
    await writeBaseline(dir);
    writeFileSync(join(dir, 'requirements.txt'), 'jinja2==2.10\nurllib3==1.24.1\n');
    writeFileSync(join(dir, 'ignore.yml'), 'ignores:\n  - id: PYSEC-2019-132\n    reason: the CRLF injection needs attacker-controlled URLs; we build none\n');
    const r = await scan(dir, { baseline: 'baseline.json', failOnScope: 'new', ignoreFile: 'ignore.yml' });
    expect(r.report.findings.find((f) => f.id === 'PYSEC-2019-132')).toMatchObject({ baselineState: 'new', suppressed: { kind: 'ignore-file' } });
    expect([r.status, r.outputs['new']]).toEqual(['clean', 0]);
  });

  it('never lets a partial scan pass: its status stays source-failed and every finding counts', async () => {
    const dir = projectWith('jinja2==2.10\n');
    await writeBaseline(dir);
    writeFileSync(join(dir, 'broken.zip'), 'this is not a zip');
    const r = await scan(dir, { sources: [ADVISORIES, 'broken.zip'], baseline: 'baseline.json', failOnScope: 'new' });
    expect(r.status).toBe('source-failed');
    expect(r.report.warnings.map((w) => w.code)).toContain('PSR_SCAN_BASELINE_SKIPPED');
    expect(r.report.findings.every((f) => f.baselineState === undefined)).toBe(true);
    // Not compared, so nothing is known to be old: every finding at or above fail-on counts.
    expect(r.outputs['failing']).toBe(2);
    expect([r.outputs['new'], r.outputs['unchanged'], r.outputs['resolved']]).toEqual([null, null, null]);
  });

  it('says so when the baseline is itself a partial scan, whose missed findings look new', async () => {
    const dir = projectWith('jinja2==2.10\n');
    writeFileSync(join(dir, 'broken.zip'), 'this is not a zip');
    // main's nightly scan ran while a source was broken; its report was kept as the baseline anyway.
    await writeBaseline(dir, { sources: ['broken.zip'] });
    const r = await scan(dir, { baseline: 'baseline.json', failOnScope: 'new' });
    expect(r.outputs['new']).toBe(2);
    const warning = r.report.warnings.find((w) => w.code === 'PSR_SCAN_BASELINE_PARTIAL');
    expect(warning?.message).toMatch(/^the baseline baseline\.json is the report of a partial scan \(1 error\(s\), e\.g\. .*\[PSR_OSV_SOURCE_FAILED\]\): findings it did not see count as new$/);
    // A whole baseline says nothing.
    await writeBaseline(dir);
    expect((await scan(dir, { baseline: 'baseline.json' })).report.warnings.map((w) => w.code)).not.toContain('PSR_SCAN_BASELINE_PARTIAL');
  });

  it('compared with a baseline of the whole repository, a scan of one folder calls only that folder’s findings resolved', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'api'));
    mkdirSync(join(dir, 'tools'));
    writeFileSync(join(dir, 'api/requirements.txt'), 'jinja2==2.10\nPyYAML==5.3\n');
    writeFileSync(join(dir, 'tools/requirements.txt'), 'requests==2.19.1\n');
    await runScan({ path: '.', cwd: dir, sources: [ADVISORIES], failOn: 'none', formats: ['json'], outputs: ['main.json'], cacheDir });
    // One instance of a matrix over the folders: tools' findings were not looked at, not fixed.
    const api = (): ReturnType<typeof runScan> => runScan({ path: 'api', cwd: dir, sources: [ADVISORIES], failOn: 'unknown', failOnScope: 'new', baseline: 'main.json', formats: [], outputs: [], cacheDir });
    expect((await api()).report.baseline).toMatchObject({ new: 0, unchanged: 4, resolved: 0 });
    writeFileSync(join(dir, 'api/requirements.txt'), 'jinja2==2.10\n');
    const upgraded = (await api()).report.baseline!;
    expect(upgraded.resolvedFindings.map((f) => f.package!.name)).toEqual(['pyyaml', 'pyyaml']);
  });

  it('is an input error without a baseline', async () => {
    await expect(scan(projectWith('jinja2==2.10\n'), { failOnScope: 'new' })).rejects.toMatchObject({
      code: 'PSR_SCAN_BASELINE',
      message: 'fail-on-scope new counts only findings a baseline does not have, and no baseline was given',
      hint: expect.stringContaining('baseline'),
    });
  });
});

describe('baselines that are not a scan report', () => {
  it('refuses a report of another plugin, whose findings would all look new', async () => {
    const dir = projectWith('jinja2==2.10\n');
    await writeBaseline(dir);
    const other = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')) as { tool: { plugin: string } };
    other.tool.plugin = 'psr:secret-scan';
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(other));
    await expect(scan(dir, { baseline: 'secrets.json' })).rejects.toMatchObject({
      code: 'PSR_SCAN_BASELINE',
      message: 'baseline: secrets.json is a report of psr:secret-scan, not of psr:scan',
    });
  });

  it('refuses a SARIF log or another tool’s report with what it is, and reads an older 1.x report', async () => {
    const dir = projectWith('jinja2==2.10\n');
    await scan(dir, { formats: ['sarif', 'json'], outputs: ['scan.sarif', 'old.json'] });
    await expect(scan(dir, { baseline: 'scan.sarif' })).rejects.toMatchObject({
      code: 'PSR_SCAN_BASELINE',
      message: expect.stringMatching(/^baseline: \S*scan\.sarif is a SARIF log \(version 2\.1\.0\), not a psr JSON report$/),
      hint: expect.stringContaining('psr scan --format json'),
    });
    writeFileSync(join(dir, 'osv-scanner.json'), JSON.stringify({ results: [{ source: { path: 'requirements.txt', type: 'lockfile' }, packages: [] }] }));
    await expect(scan(dir, { baseline: 'osv-scanner.json' })).rejects.toMatchObject({ code: 'PSR_SCAN_BASELINE', message: expect.stringContaining('as osv-scanner writes') });
    // A report of psr before 1.2.0 (no baseline states, no newestModified) is a baseline like any other.
    const old = JSON.parse(readFileSync(join(dir, 'old.json'), 'utf8')) as { schemaVersion: string; dataSources: Array<Record<string, unknown>> };
    old.schemaVersion = '1.0.0';
    for (const d of old.dataSources) delete d['newestModified'];
    writeFileSync(join(dir, 'old.json'), JSON.stringify(old));
    const r = await scan(dir, { baseline: 'old.json', failOnScope: 'new' });
    expect([r.status, r.outputs['unchanged']]).toEqual(['clean', 2]);
  });
});

describe('the scan task with fail-on-scope', () => {
  const ctx = (workdir: string): ReturnType<typeof taskContext> => taskContext(workdir, cacheDir);
  const issues = (input: unknown) =>
    scanPlugin.tasks.scan.input.safeParse(input).error?.issues.map((i) => ({ path: i.path, message: i.message, hint: (i as { params?: { hint?: string } }).params?.hint }));

  it('defaults to all and refuses new without a baseline, at the field, with a hint', () => {
    expect(scanPlugin.tasks.scan.input.parse({})['fail-on-scope']).toBe('all');
    expect(issues({ 'fail-on-scope': 'new' })).toEqual([
      { path: ['fail-on-scope'], message: 'fail-on-scope new counts only findings a baseline does not have, and no baseline is given', hint: expect.stringContaining('baseline: <report.json>') },
    ]);
    expect(issues({ 'fail-on-scope': 'new', baseline: 'main.json' })).toBeUndefined();
    expect(issues({ 'fail-on-scope': 'old' })?.map((i) => i.path)).toEqual([['fail-on-scope']]);
  });

  it('passes on old findings and fails on new ones, saying they are new, publishing new, unchanged and resolved', async () => {
    const dir = projectWith('jinja2==2.10\n');
    await writeBaseline(dir);
    const task = scanPlugin.tasks.scan;
    const input = task.input.parse({ path: 'requirements.txt', sources: [ADVISORIES], baseline: 'baseline.json', 'fail-on-scope': 'new', format: 'json', output: 'scan.json' });
    const c = ctx(dir);
    expect(await task.run(c, input)).toMatchObject({ status: 'clean', new: 0, unchanged: 2, resolved: 0, total: 2 });
    expect(c.lines).toContain('info 0 new, 2 unchanged, 0 resolved (baseline baseline.json)');
    // Two old findings and `0 at or above` would read as a bug: the log says it counts new ones.
    expect(c.lines).toContainEqual(expect.stringMatching(/^info 2 findings: 2 unknown; 0 suppressed; 0 new at or above fail-on unknown; data: /));
    writeFileSync(join(dir, 'requirements.txt'), 'jinja2==2.10\nurllib3==1.24.1\n');
    await expect(task.run(ctx(dir), input)).rejects.toMatchObject({
      kind: 'findings',
      message: expect.stringMatching(/^1 new vulnerability at or above unknown: \S+ \(\w+\) in urllib3 1\.24\.1/),
      outputs: expect.objectContaining({ new: 1, unchanged: 2, failing: 1 }),
    });
  });
});
