// End-to-end scans of small real-shaped projects against the real PyPA advisory data.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, loadWorkflow, PluginRegistry } from '@psr/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { taskContext } from '../fixtures/task-context.js';
import scanPlugin from './index.js';
import { planOutputs, runScan, type ScanOptions } from './run-scan.js';

const PROJECT = fileURLToPath(new URL('../fixtures/py-project', import.meta.url));
// Seven real PyPA records (jinja2, requests, pyyaml, urllib3): deterministic whatever the full data holds.
const ADVISORIES = fileURLToPath(new URL('../fixtures/advisories', import.meta.url));
const cacheDir = mkdtempSync(join(tmpdir(), 'psr-scan-cache-'));
const work: string[] = [];
let pypa: string;
// Exact expectations hold for the pinned snapshot; a freshly downloaded export may hold more.
const pinned = inject('pypaPinned');

function project(): string {
  const d = mkdtempSync(join(tmpdir(), 'psr-scan-proj-'));
  work.push(d);
  cpSync(PROJECT, d, { recursive: true });
  return d;
}

function scan(cwd: string, extra: Partial<ScanOptions> = {}): ReturnType<typeof runScan> {
  return runScan({ path: '.', cwd, sources: [ADVISORIES], failOn: 'high', formats: [], outputs: [], cacheDir, ...extra });
}

beforeAll(async () => {
  pypa = inject('pypaData');
  // Compile the full snapshot's index once for the whole file (a cold start).
  await scan(project(), { sources: [pypa] });
}, 180_000);
afterAll(() => {
  for (const d of [cacheDir, ...work]) rmSync(d, { recursive: true, force: true });
});

describe('runScan on versions that cannot be ordered', () => {
  it('warns once per such pin, in the order of the requirements file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'psr-scan-unordered-'));
    work.push(dir);
    // Name order (jinja2 before urllib3), in which packages are matched, is not the file's order.
    writeFileSync(join(dir, 'requirements.txt'), 'urllib3===not-a-version\nsix==1.16.0\njinja2===also.not!a.version\n');
    const r = await scan(dir);
    const invalid = r.report.warnings.filter((w) => w.code === 'PSR_SCAN_VERSION_INVALID');
    expect(invalid.map((w) => [w.message.split(' ')[0], w.location?.line])).toEqual([
      ['urllib3', 1],
      ['jinja2', 3],
    ]);
  });
});

describe('runScan on a requirements project', () => {
  it('reports exactly the advisories that affect the pinned versions, with aliases, fixes and locations', async () => {
    const r = await scan(project(), { sources: [pypa] });
    // Read from the advisory files: jinja2 2.10 → PYSEC-2019-217 [0,2.10.1), PYSEC-2021-66 [0,2.11.3);
    // requests 2.19.1 → PYSEC-2018-28 [0,2.20.0), PYSEC-2023-74 [2.3.0,2.31.0);
    // pyyaml 5.3 → PYSEC-2020-96 [0,5.3.1), PYSEC-2021-142 [0,5.4). six 1.16.0 and pytest 8.3.3: none.
    const expected = [
      'jinja2@2.10 PYSEC-2019-217',
      'jinja2@2.10 PYSEC-2021-66',
      'pyyaml@5.3 PYSEC-2020-96',
      'pyyaml@5.3 PYSEC-2021-142',
      'requests@2.19.1 PYSEC-2018-28',
      'requests@2.19.1 PYSEC-2023-74',
    ];
    const got = r.report.findings.map((f) => `${f.package!.name}@${f.package!.version} ${f.id}`).sort();
    if (!pinned) {
      expect(got).toEqual(expect.arrayContaining(expected));
      return;
    }
    expect(got).toEqual(expected);
    const jinja = r.report.findings.find((f) => f.id === 'PYSEC-2019-217')!;
    expect(jinja.aliases).toEqual(['CVE-2019-10906', 'GHSA-462w-v97r-4m45']);
    expect(jinja.package).toMatchObject({ fixedVersions: ['2.10.1'], suggestedUpgrade: '2.11.3', purl: 'pkg:pypi/jinja2@2.10' });
    expect(jinja.locations[0]).toMatchObject({ file: 'requirements.txt', line: 2 });
    const yaml = r.report.findings.find((f) => f.id === 'PYSEC-2020-96')!;
    expect(yaml.package?.marker).toBe('python_version >= "3.6"');
    // How current the data is: the newest `modified` among its records.
    expect(r.report.dataSources).toEqual([{ name: expect.any(String), snapshot: expect.stringMatching(/^sha256:[0-9a-f]{16}$/), newestModified: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) }]);
    expect(r.report.warnings.map((w) => w.code)).toContain('PSR_SCAN_UNPINNED');
    expect(r.outputs).toMatchObject({ total: 6, suppressed: 0, packages: 5, new: null, resolved: null });
    // No severity data in these advisories: unknown, shown not hidden, and below fail-on high.
    expect(r.report.summary.bySeverity.unknown).toBe(6);
    expect(r.status).toBe('clean');
    expect(r.table).toContain('PYSEC-2019-217');
  });

  it('names the dependency file of a lockfile warning as its findings do: relative to the project', async () => {
    const dir = project();
    writeFileSync(join(dir, 'requirements.txt'), `${readFileSync(join(dir, 'requirements.txt'), 'utf8')}--no-such-option\n`);
    const r = await scan(dir);
    const warning = r.report.warnings.find((w) => w.code === 'PSR_LOCKFILE_SKIPPED')!;
    expect(warning.location).toMatchObject({ file: 'requirements.txt' });
    expect(r.report.findings[0]!.locations[0]!.file).toBe('requirements.txt');
  });

  it('prints through `print` in chunks instead of returning the text, for each format', async () => {
    const dir = project();
    for (const format of ['table', 'json', 'sarif', 'markdown'] as const) {
      const returned = await scan(dir, { formats: [format] });
      const chunks: string[] = [];
      const printed = await scan(dir, { formats: [format], print: (chunk) => chunks.push(chunk) });
      expect(printed.table, format).toBeUndefined();
      expect(chunks.length, format).toBeGreaterThan(0);
      // The same report, but for the run's own timing.
      const untimed = (text: string): string => text.replace(/"(startedAt|durationMs|startTimeUtc|endTimeUtc)": ("[^"]*"|\d+)/g, '"$1": 0');
      expect(untimed(chunks.join('')), format).toBe(untimed(returned.table!));
    }
  });

  it('fails on findings at or above fail-on, and never below it', async () => {
    const dir = project();
    expect((await scan(dir, { failOn: 'unknown' })).status).toBe('findings');
    expect((await scan(dir, { failOn: 'none' })).status).toBe('clean');
  });

  it('applies the ignore file: alias match suppresses, expired warns and does not, unused is reported', async () => {
    const dir = project();
    const r = await scan(dir, { ignoreFile: '.psr-ignore.yml', failOn: 'unknown', formats: ['json'], outputs: ['out/scan.json'] });
    const jinja = r.report.findings.find((f) => f.id === 'PYSEC-2019-217')!;
    expect(jinja.suppressed).toEqual({ kind: 'ignore-file', reason: 'templates are ours only; the sandbox is not used', owner: 'security@example.com', expires: '2999-12-31' });
    expect(r.report.findings.find((f) => f.id === 'PYSEC-2020-96')!.suppressed).toBeUndefined();
    const codes = r.report.warnings.map((w) => `${w.code} ${w.location?.line ?? ''}`);
    expect(codes).toContain('PSR_SCAN_IGNORE_EXPIRED 8');
    expect(codes).toContain('PSR_SCAN_IGNORE_UNUSED 11');
    expect(r.outputs).toMatchObject({ total: 5, suppressed: 1, failing: 5 });
    // Suppressed findings stay in the JSON report.
    const json = JSON.parse(readFileSync(join(dir, 'out/scan.json'), 'utf8')) as { findings: Array<{ id: string; suppressed?: unknown }> };
    expect(json.findings.find((f) => f.id === 'PYSEC-2019-217')?.suppressed).toBeTruthy();
  });

  it('rejects an ignore entry without a reason, pointing at its line', async () => {
    const dir = project();
    writeFileSync(join(dir, 'bad-ignore.yml'), 'ignores:\n  - id: PYSEC-2020-96\n    owner: me\n');
    await expect(scan(dir, { ignoreFile: 'bad-ignore.yml' })).rejects.toMatchObject({
      code: 'PSR_SCAN_IGNORE_FILE',
      location: { file: expect.stringContaining('bad-ignore.yml'), line: 2 },
    });
  });

  it('writes SARIF and Markdown and compares with a baseline', async () => {
    const dir = project();
    await scan(dir, { formats: ['json'], outputs: ['baseline.json'] });
    // The project upgrades requests and adds urllib3 1.24.1.
    writeFileSync(join(dir, 'requirements.txt'), 'jinja2==2.10\nrequests==2.31.0\nPyYAML==5.3\nurllib3==1.24.1\n');
    const r = await scan(dir, { baseline: 'baseline.json', formats: ['sarif', 'markdown'], outputs: ['scan.sarif', 'scan.md'] });
    expect(r.written).toEqual([join(dir, 'scan.sarif'), join(dir, 'scan.md')]);
    const sarif = JSON.parse(readFileSync(join(dir, 'scan.sarif'), 'utf8')) as { version: string; runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((x) => x.ruleId)).toContain('PYSEC-2019-217');
    expect(readFileSync(join(dir, 'scan.md'), 'utf8')).toContain('PYSEC-2021-66');
    expect(r.comparison!.resolved.map((f) => f.id).sort()).toEqual(['PYSEC-2018-28', 'PYSEC-2023-74']);
    expect(r.comparison!.new.every((f) => f.package?.name === 'urllib3')).toBe(true);
    expect(r.outputs['resolved']).toBe(2);
    expect(r.outputs['new']).toBeGreaterThan(0);
  });

  it('never reports a scan with a failed source as clean', async () => {
    const dir = project();
    writeFileSync(join(dir, 'broken.zip'), 'this is not a zip');
    const r = await scan(dir, { sources: [ADVISORIES, 'broken.zip'], failOn: 'none' });
    expect(r.status).toBe('source-failed');
    expect(r.report.errors[0]).toMatchObject({ code: 'PSR_OSV_SOURCE_FAILED' });
  });

  it('refuses a python version or platform it cannot evaluate markers for, instead of leaving dependencies out', async () => {
    const dir = project();
    await expect(scan(dir, { pythonVersion: 'abc' })).rejects.toMatchObject({ code: 'PSR_SCAN_TARGET', message: 'python version "abc" is not a version such as 3.12 or 3.12.4' });
    await expect(scan(dir, { platform: 'lnux' })).rejects.toMatchObject({ code: 'PSR_SCAN_TARGET' });
    expect((await scan(dir, { pythonVersion: '3.12', platform: 'macos' })).status).not.toBe('input-error');
  });

  it('names files relative to the git repository holding the target, from whatever folder it runs', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'psr-scan-repo-'));
    work.push(repo);
    mkdirSync(join(repo, '.git'));
    cpSync(PROJECT, join(repo, 'svc'), { recursive: true });
    const fromInside = await scan(join(repo, 'svc'), { sources: [ADVISORIES] });
    const fromTop = await scan(repo, { path: 'svc', sources: [ADVISORIES] });
    expect(fromInside.report.findings[0]!.locations[0]!.file).toBe('svc/requirements.txt');
    expect(fromInside.report.findings.map((f) => f.locations[0]!.file)).toEqual(fromTop.report.findings.map((f) => f.locations[0]!.file));
  });

  it('refuses an output whose name says no report format it writes', async () => {
    const dir = project();
    await expect(scan(dir, { outputs: ['scan.html'] })).rejects.toMatchObject({ code: 'PSR_SCAN_OUTPUT', message: 'cannot tell a report format from the name scan.html' });
    expect((await scan(dir, { outputs: ['scan.txt'], failOn: 'none' })).written).toEqual([join(dir, 'scan.txt')]);
  });

  it('does not compare a partial scan with the baseline: it would call what it did not see resolved', async () => {
    const dir = project();
    await scan(dir, { formats: ['json'], outputs: ['baseline.json'] });
    writeFileSync(join(dir, 'broken.zip'), 'this is not a zip');
    const r = await scan(dir, { sources: [ADVISORIES, 'broken.zip'], baseline: 'baseline.json', failOn: 'none' });
    expect(r.status).toBe('source-failed');
    expect(r.comparison).toBeUndefined();
    expect([r.outputs['new'], r.outputs['resolved']]).toEqual([null, null]);
    expect(r.report.warnings.map((w) => w.code)).toContain('PSR_SCAN_BASELINE_SKIPPED');
  });

  it('rebuilds a cached index damaged from outside, warns, and still reports every finding', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'psr-scan-damaged-'));
    work.push(cache);
    // Each scan says when it compiles an index: the first one, and the one that finds it damaged.
    const builds: string[] = [];
    const hooks = { onIndexBuild: (source: string) => builds.push(source) };
    const first = await scan(project(), { cacheDir: cache, failOn: 'none', ...hooks });
    expect(first.report.findings.length).toBeGreaterThan(0);
    const name = first.report.dataSources?.[0]?.name;
    expect(builds).toEqual([name]);
    // Garble the body of the compiled index in place: its header (and so its opening) stays valid.
    const [key] = readdirSync(join(cache, 'osv-index')).filter((d) => d !== 'folders');
    const file = join(cache, 'osv-index', key!, 'PyPI.idx');
    const bytes = readFileSync(file);
    bytes.fill('}'.charCodeAt(0), bytes.indexOf(10) + 1);
    writeFileSync(file, bytes);
    const damaged = await scan(project(), { cacheDir: cache, failOn: 'none', ...hooks });
    expect(builds).toHaveLength(2);
    expect(damaged.report.warnings.map((w) => w.code)).toContain('PSR_OSV_INDEX_DAMAGED');
    expect(damaged.report.warnings.find((w) => w.code === 'PSR_OSV_INDEX_DAMAGED')?.message).toContain(file);
    expect(damaged.status).toBe(first.status);
    expect(JSON.stringify(damaged.report.findings)).toBe(JSON.stringify(first.report.findings));
    const again = await scan(project(), { cacheDir: cache, failOn: 'none', ...hooks });
    expect(again.report.warnings.map((w) => w.code)).not.toContain('PSR_OSV_INDEX_DAMAGED');
    expect(builds).toHaveLength(2);
  });

  it('survives hostile dependency files: a cyclic -r include and a binary requirements file', async () => {
    const dir = project();
    writeFileSync(join(dir, 'requirements-a.txt'), '-r requirements-b.txt\njinja2==2.10\n');
    writeFileSync(join(dir, 'requirements-b.txt'), '-r requirements-a.txt\nsix==1.16.0\n');
    writeFileSync(join(dir, 'requirements-bin.txt'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02, 0x00, 0xff]));
    const r = await scan(dir, { failOn: 'none' });
    expect(r.report.findings.some((f) => f.id === 'PYSEC-2019-217')).toBe(true);
    expect(['clean', 'input-error']).toContain(r.status);
  });

  it('refuses a file named alone that is no manifest (binary, unknown), and scans an empty one as clean', async () => {
    const dir = project();
    writeFileSync(join(dir, 'requirements-bin.txt'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02, 0x00, 0xff]));
    writeFileSync(join(dir, 'Gemfile.lock'), 'GEM\n  specs:\n');
    writeFileSync(join(dir, 'requirements-empty.txt'), '# nothing pinned yet\n');
    await expect(scan(dir, { path: 'requirements-bin.txt' })).rejects.toMatchObject({ code: 'PSR_SCAN_PATH', message: expect.stringContaining('binary'), location: { file: 'requirements-bin.txt' } });
    await expect(scan(dir, { path: 'Gemfile.lock' })).rejects.toMatchObject({ code: 'PSR_SCAN_PATH', message: expect.stringContaining('not a supported'), hint: expect.stringContaining('poetry.lock') });
    expect((await scan(dir, { path: 'requirements-empty.txt' })).status).toBe('clean');
  });

  it('plans outputs and rejects mismatches', () => {
    expect(planOutputs([], ['a.sarif', 'b.md', 'c.json'])).toEqual({
      print: undefined,
      targets: [{ path: 'a.sarif', format: 'sarif' }, { path: 'b.md', format: 'markdown' }, { path: 'c.json', format: 'json' }],
    });
    expect(() => planOutputs(['sarif', 'json'], ['a.sarif'])).toThrow(/2 format\(s\) but 1 output/);
    expect(planOutputs(['sarif'], [])).toEqual({ targets: [], print: 'sarif' });
    expect(planOutputs([], [])).toEqual({ targets: [], print: 'table' });
    expect(() => planOutputs(['sarif', 'markdown'], [])).toThrow(/need output files/);
    expect(() => planOutputs(['xml'], ['a'])).toThrow(/unknown report format/);
    // `-` is standard output, as in secret-scan (it had written a file named "-").
    expect(planOutputs(['json', 'sarif'], ['-', 'a.sarif'])).toEqual({ targets: [{ path: 'a.sarif', format: 'sarif' }], print: 'json' });
    expect(() => planOutputs(['json', 'table'], ['-', '-'])).toThrow(/only one format can be printed|standard output/);
    expect(() => planOutputs([], ['-'])).toThrow(/needs a format/);
  });

  it('says how to get data when there is none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'psr-scan-empty-'));
    work.push(empty);
    await expect(runScan({ path: '.', cwd: project(), sources: [], failOn: 'high', formats: [], outputs: [], cacheDir: empty })).rejects.toMatchObject({
      code: 'PSR_SCAN_NO_DATA',
      hint: expect.stringContaining('psr db sync'),
    });
  });
});

describe('the scan task', () => {
  const ctx = (workdir: string, cache = cacheDir): ReturnType<typeof taskContext> => taskContext(workdir, cache);

  it('is the psr:scan plugin and fails with kind "findings" carrying the outputs', async () => {
    expect(scanPlugin).toMatchObject({ name: 'psr:scan', apiVersion: 1 });
    const task = scanPlugin.tasks.scan;
    const input = task.input.parse({ sources: ADVISORIES, 'fail-on': 'unknown', format: ['sarif'], output: 'scan.sarif' });
    const c = ctx(project());
    await expect(task.run(c, input)).rejects.toMatchObject({ name: 'TaskFailure', kind: 'findings', outputs: expect.objectContaining({ total: 6, failing: 6 }) });
  });

  it('returns outputs when nothing reaches fail-on, logging the table', async () => {
    const task = scanPlugin.tasks.scan;
    const c = ctx(project());
    const out = await task.run(c, task.input.parse({ sources: [ADVISORIES], 'fail-on': 'critical' }));
    expect(out).toMatchObject({ total: 6, critical: 0, unknown: 6, reports: [] });
    expect(c.lines.some((l) => l.startsWith('info') && l.includes('PYSEC-2021-66'))).toBe(true);
  });

  it('logs each warning once, at its level, under the table', async () => {
    const task = scanPlugin.tasks.scan;
    const c = ctx(project());
    await task.run(c, task.input.parse({ sources: [ADVISORIES], 'fail-on': 'none' }));
    // The fixture has one unpinned requirement (flask>=…).
    const unpinned = c.lines.filter((l) => l.includes('PSR_SCAN_UNPINNED'));
    expect(unpinned).toEqual([expect.stringMatching(/^warn requirements\.txt:\d+: 1 requirement\(s\) in requirements\.txt are not pinned.*: flask \[PSR_SCAN_UNPINNED\]$/)]);
  });

  it('says in its log what it found and wrote when its reports go to files, and names what fails', async () => {
    const task = scanPlugin.tasks.scan;
    const dir = project();
    const c = ctx(dir);
    const failure = await Promise.resolve(task.run(c, task.input.parse({ sources: [ADVISORIES], format: ['sarif', 'markdown'], output: ['out/scan.sarif', 'out/scan.md'] }))).catch((e: unknown) => e);
    expect(c.lines.filter((l) => l.startsWith('info'))).toEqual([
      'info report written: out/scan.sarif',
      'info report written: out/scan.md',
      expect.stringMatching(/^info 6 findings: 6 unknown; 0 suppressed; 6 at or above fail-on unknown; data: advisories sha256:[0-9a-f]+$/),
    ]);
    // A CI log says which vulnerabilities, not only how many: the first five, then a count.
    expect(failure).toMatchObject({ kind: 'findings', retryable: false });
    expect((failure as Error).message).toMatch(/^6 vulnerabilities at or above unknown: (PYSEC-\d+-\d+ \(unknown\) in [a-z0-9]+ [\d.]+(, fixed in [\d.]+)?; ){4}PYSEC-\d+-\d+ \(unknown\) in [a-z0-9]+ [\d.]+(, fixed in [\d.]+)?; and 1 more$/);
  });

  it('ends as a timeout when a cold index build ran past timeout:, and a retry reads the index it compiled', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'psr-scan-task-cache-'));
    work.push(cache);
    const registry = new PluginRegistry();
    registry.register(scanPlugin, '@psr/plugin-scan');
    const text = `tasks:\n  audit:\n    uses: scan\n    with: { sources: ["${pypa}"], fail-on: none }\n    timeout: 200ms\n    retry: { attempts: 2, delay: 0s, on: [timeout] }\n`;
    const workflow = await loadWorkflow({ text, file: join(project(), 'wf.yml') }, { registry });
    const result = await createEngine({ registry }).run(workflow, { env: { PSR_CACHE_DIR: cache } });
    const attempts = result.tasks[0]!.attempts;
    // The PyPA index takes ~1 s to compile: the first attempt cannot end within 200 ms.
    expect(attempts.map((a) => a.status)).toEqual(['timeout', 'success']);
    expect(attempts[1]!.durationMs).toBeLessThan(200);
  });

  it('masks a secret in a source path or the API URL in its report files, as in its log', async () => {
    const task = scanPlugin.tasks.scan;
    const dir = project();
    const secret = 'tok-0000-fake';
    cpSync(ADVISORIES, join(dir, `advisories-${secret}`), { recursive: true });
    const c = { ...ctx(dir), mask: (t: string) => t.split(secret).join('***') };
    // The missing source fails the task (kind source) after the reports are written.
    await expect(Promise.resolve(task.run(c, task.input.parse({ sources: [`advisories-${secret}`, `missing-${secret}`], 'fail-on': 'none', output: ['r.json', 'r.sarif', 'r.md'] })))).rejects.toMatchObject({ kind: 'source' });
    for (const file of ['r.json', 'r.sarif', 'r.md']) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toContain(secret);
      // Markdown escapes the asterisks.
      expect(text.replaceAll('\\*', '*'), file).toContain('advisories-***');
    }
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toContain('missing-***');
  });

  it('says in its log when a scan compiles the advisory index, and only then', async () => {
    const task = scanPlugin.tasks.scan;
    const cache = mkdtempSync(join(tmpdir(), 'psr-scan-task-cache-'));
    work.push(cache);
    const compiling = (lines: string[]): string[] => lines.filter((l) => l.includes('compiling the advisory index'));
    const first = ctx(project(), cache);
    await task.run(first, task.input.parse({ sources: [ADVISORIES], 'fail-on': 'none' }));
    expect(compiling(first.lines)).toEqual([`info compiling the advisory index of ${basename(ADVISORIES)} (first scan of this data; later scans reuse it)`]);
    const second = ctx(project(), cache);
    await task.run(second, task.input.parse({ sources: [ADVISORIES], 'fail-on': 'none' }));
    expect(compiling(second.lines)).toEqual([]);
  });

  it('fails with kind "source" when a source is broken', async () => {
    const task = scanPlugin.tasks.scan;
    const c = ctx(project());
    await expect(task.run(c, task.input.parse({ sources: [ADVISORIES, 'missing-dir'], 'fail-on': 'none' }))).rejects.toMatchObject({ kind: 'source' });
  });

  it('fails with kind "input" for an input mistake, publishing outputs with status input-error and keeping the error as cause', async () => {
    const task = scanPlugin.tasks.scan;
    const dir = project();
    await expect(task.run(ctx(dir), task.input.parse({ path: 'nonexist', sources: [ADVISORIES] }))).rejects.toMatchObject({
      name: 'TaskFailure',
      kind: 'input',
      message: 'nonexist does not exist',
      outputs: { status: 'input-error', total: null, failing: null, reports: [], 'data-sources': [] },
      cause: { code: 'PSR_SCAN_PATH', hint: expect.any(String) },
    });
    writeFileSync(join(dir, 'ign.yml'), 'ignores:\n  - id: PYSEC-2023-207\n    reason: x\n    expires: 2020-13-45\n');
    await expect(task.run(ctx(dir), task.input.parse({ sources: [ADVISORIES], 'ignore-file': 'ign.yml' }))).rejects.toMatchObject({
      kind: 'input',
      outputs: { status: 'input-error' },
      cause: { code: 'PSR_SCAN_IGNORE_FILE', location: { file: join(dir, 'ign.yml'), line: 4, col: 14 } },
    });
  });

  it('rejects formats and outputs that do not pair up, at the key to fix, with planOutputs\' hint', () => {
    const issues = (input: unknown) => scanPlugin.tasks.scan.input.safeParse(input).error?.issues.map((i) => ({ path: i.path, message: i.message, hint: (i as { params?: { hint?: string } }).params?.hint }));
    expect(issues({ format: ['sarif', 'json'], output: ['a.sarif'] })).toEqual([{ path: ['output'], message: '2 format(s) but 1 output path(s)', hint: expect.stringContaining('one output path per format') }]);
    expect(issues({ format: ['sarif', 'json'] })).toEqual([{ path: ['format'], message: 'formats sarif, json need output files', hint: expect.any(String) }]);
    expect(issues({ format: 'json', output: ['-', '-'] })?.map((i) => i.path)).toEqual([['output']]);
    // Checked even when other inputs are wrong, but not on top of a bad format itself.
    expect(issues({ 'fail-on': 'hihg', format: ['sarif', 'json'], output: 'a.sarif' })?.map((i) => i.path)).toEqual([['fail-on'], ['output']]);
    expect(issues({ format: ['sarif', 'xml'], output: 'a.sarif' })?.map((i) => i.path)).toEqual([['format']]);
    expect(issues({ format: ['sarif', 'json'], output: ['a.sarif', 'b.json'] })).toBeUndefined();
    expect(issues({ output: ['a.sarif', 'b.json'] })).toBeUndefined();
  });

  it('refuses a SARIF or JSON report with no file to go to: the task would write it into its log', () => {
    const issues = (input: unknown) => scanPlugin.tasks.scan.input.safeParse(input).error?.issues.map((i) => ({ path: i.path, message: i.message, hint: (i as { params?: { hint?: string } }).params?.hint }));
    expect(issues({ format: ['sarif'] })).toEqual([
      { path: ['format'], message: 'a SARIF report needs an output file: the task would write it into its log', hint: 'add output: scan.sarif (the extension alone names the format: output: scan.sarif is enough)' },
    ]);
    expect(issues({ format: ['json', 'sarif'], output: ['-', 'a.sarif'] })?.map((i) => [i.path, i.message])).toEqual([[['output'], 'a JSON report needs an output file: the task would write it into its log']]);
    // The table and Markdown read well in a log.
    expect(issues({ format: 'markdown' })).toBeUndefined();
    expect(issues({ format: ['table'] })).toBeUndefined();
  });

  it('takes only an http(s) osv-api-url that can be requested, with a hint, instead of failing each attempt as a source', () => {
    const issue = (url: string) => {
      const i = scanPlugin.tasks.scan.input.safeParse({ sources: 'osv', 'osv-api-url': url }).error?.issues[0];
      return i && { path: i.path, message: i.message, hint: (i as { params?: { hint?: string } }).params?.hint };
    };
    expect(issue('notaurl')).toEqual({ path: ['osv-api-url'], message: '"notaurl" is not an http(s) URL', hint: expect.stringContaining('https://api.osv.dev') });
    expect(issue('ftp://mirror.example')?.message).toBe('"ftp://mirror.example" is not an http(s) URL');
    expect(issue('https://user:pw@mirror.example')?.message).toBe('a URL with a user name or password cannot be requested');
    // `?key=…/v1/querybatch` would be requested, and the key written in every report.
    expect(issue('https://mirror.example/api?key=not-a-real-key')?.message).toBe('a base URL cannot have a query string or fragment (the API paths are added after it)');
    expect(issue('http://127.0.0.1:8080')).toBeUndefined();
  });

  it('rejects unknown inputs', () => {
    expect(() => scanPlugin.tasks.scan.input.parse({ fail_on: 'high' })).toThrow();
    expect(() => scanPlugin.tasks.scan.input.parse({ 'fail-on': 'severe' })).toThrow();
  });
});
