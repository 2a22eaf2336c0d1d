/**
 * `psr scan`, `psr db` and the security-audit example, end to end: the built binary as a real
 * process, real advisory files (copied from the PyPA database into the example), a temp cache.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it, onTestFinished } from 'vitest';
import { baseEnv, psr, repoRoot, startPsr, waitFor } from './harness.js';

const EXAMPLE = join(repoRoot, 'examples/security-audit');

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** A copy of the example in a temp dir, and an empty cache. */
function setup(): { dir: string; env: Record<string, string> } {
  const dir = tempDir('psr-e2e-scan-');
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes(`${EXAMPLE}/reports`) });
  return { dir, env: baseEnv({ PSR_CACHE_DIR: join(dir, '.cache') }) };
}

describe('examples/security-audit', () => {
  it('runs offline and writes SARIF and Markdown with the expected findings', async () => {
    const { dir, env } = setup();
    const r = await psr(['run', join(dir, 'workflow.yml')], { env });
    expect(r.code).toBe(0);
    // 9 advisories affect the pins (read from advisories/): one is ignored, so 8 count.
    expect(r.stdout).toContain('[summary] findings: 8 (critical 0, high 1, medium 1, unknown 6), suppressed 1');
    expect(r.stdout).toContain(`[summary] reports: ${join(dir, 'reports/scan.sarif')}, ${join(dir, 'reports/scan.md')}\n`);
    const sarif = JSON.parse(readFileSync(join(dir, 'reports/scan.sarif'), 'utf8')) as {
      runs: Array<{ results: Array<{ ruleId: string; suppressions?: unknown[] }> }>;
    };
    const results = sarif.runs[0]!.results;
    expect(results.map((x) => x.ruleId).sort()).toEqual([
      'PYSEC-2018-28', 'PYSEC-2019-132', 'PYSEC-2019-217', 'PYSEC-2020-96', 'PYSEC-2021-142', 'PYSEC-2021-66', 'PYSEC-2023-192', 'PYSEC-2023-212', 'PYSEC-2023-74',
    ]);
    expect(results.find((x) => x.ruleId === 'PYSEC-2019-217')!.suppressions).toHaveLength(1);
    const md = readFileSync(join(dir, 'reports/scan.md'), 'utf8');
    expect(md).toContain('PYSEC-2023-192');
    expect(md).toContain('urllib3');
  });
});

describe('the scan task in a workflow', () => {
  it('fails as "input" on an input mistake, publishing status input-error, and shows the file:line:col, code and hint', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'ign.yml'), 'ignores:\n  - id: PYSEC-2020-96\n    reason: r\n    expires: 2020-13-45\n');
    writeFileSync(
      join(dir, 'wf.yml'),
      [
        'version: 1',
        'tasks:',
        '  missing:',
        '    uses: scan',
        '    with: { path: nonexist, sources: [advisories] }',
        '  badignore:',
        '    uses: scan',
        '    with: { path: project, sources: [advisories], ignore-file: ign.yml }',
        '  after:',
        '    needs: [missing, badignore]',
        '    if: ${{ always() }}',
        '    run: echo "status=${{ tasks.missing.outputs.status }} total=${{ toJSON(tasks.missing.outputs.total) }} status2=${{ tasks.badignore.outputs.status }}"',
        '',
      ].join('\n'),
    );
    const r = await psr(['run', 'wf.yml'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[missing] attempt 1/1 failure: nonexist does not exist [PSR_SCAN_PATH]');
    expect(r.stdout).toMatch(/\[badignore\] attempt 1\/1 failure: \S*ign\.yml:4:14: ignore of PYSEC-2020-96: expires "2020-13-45" is not a date \[PSR_SCAN_IGNORE_FILE\] \(\S+\)\n\[badignore\] {3}hint: write expires as a real date/);
    expect(r.stdout).toContain('[after] status=input-error total=null status2=input-error');
    const json = await psr(['run', 'wf.yml', '--json'], { cwd: dir, env });
    const ends = json.stdout
      .split('\n')
      .filter((l) => l.includes('"attempt-end"'))
      .map((l) => JSON.parse(l) as { task: { id: string }; result: { status: string; failure?: { kind: string; diagnostic?: { code: string } } } });
    expect(ends.find((e) => e.task.id === 'missing')!.result).toMatchObject({ status: 'failure', failure: { kind: 'input', diagnostic: { code: 'PSR_SCAN_PATH' } } });
  });
});

describe('a scan input from an expression', () => {
  it('is checked when the task runs, in psr validate\'s words: the value given and the values allowed', async () => {
    const { dir, env } = setup();
    writeFileSync(
      join(dir, 'wf.yml'),
      'version: 1\ninputs:\n  level: { type: string, default: high }\ntasks:\n  audit:\n    uses: scan\n    with: { path: project, sources: [advisories], fail-on: "${{ inputs.level }}" }\n',
    );
    const r = await psr(['run', 'wf.yml', '--input', 'level=hgh'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[audit] attempt 1/1 error: task "audit" (scan) with: fail-on: "hgh" is not allowed [PSR_TASK_INPUT]');
    expect(r.stdout).toContain('[audit]   hint: use one of: "critical", "high", "medium", "low", "unknown", "none"\n');
  });
});

describe('a matrix of scans over project folders', () => {
  it('writes one report per instance when the path names the instance, and refuses two instances writing one file', async () => {
    const { dir, env } = setup();
    for (const [svc, pins] of [['api', 'urllib3==1.24.1\n'], ['web', 'jinja2==2.10\n']] as const) {
      mkdirSync(join(dir, 'svc', svc), { recursive: true });
      writeFileSync(join(dir, 'svc', svc, 'requirements.txt'), pins);
    }
    const workflow = (output: string): string =>
      `version: 1\ntasks:\n  audit:\n    strategy: { matrix: { svc: [api, web] } }\n    uses: scan\n    with: { path: "svc/\${{ matrix.svc }}", sources: [advisories], fail-on: none, output: "${output}" }\n`;
    writeFileSync(join(dir, 'each.yml'), workflow('reports/${{ matrix.svc }}.json'));
    const each = await psr(['run', 'each.yml'], { cwd: dir, env });
    expect(each.code).toBe(0);
    const ids = (svc: string): string[] =>
      (JSON.parse(readFileSync(join(dir, 'reports', `${svc}.json`), 'utf8')) as { findings: Array<{ id: string }> }).findings.map((f) => f.id).sort();
    expect(ids('api')).toEqual(['PYSEC-2019-132', 'PYSEC-2023-192', 'PYSEC-2023-212']);
    expect(ids('web')).toEqual(['PYSEC-2019-217', 'PYSEC-2021-66']);

    writeFileSync(join(dir, 'shared.yml'), workflow('reports/scan.json'));
    const shared = await psr(['run', 'shared.yml', '-j', '1'], { cwd: dir, env });
    expect(shared.code).toBe(1);
    expect(shared.stdout).toContain('[audit (svc=web)] attempt 1/1 failure: reports/scan.json is also the report of audit (svc=api): each instance of the matrix would replace the other\'s [PSR_SCAN_OUTPUT]');
    expect(shared.stdout).toContain('hint: name each instance\'s report after its matrix values, e.g. output: reports/${{ matrix.svc }}.sarif');
  });
});

describe('the scan task failing on findings', () => {
  it('names what fails, is not scanned again by defaults.retry, and skips dependents unless if: always()', async () => {
    const { dir, env } = setup();
    writeFileSync(
      join(dir, 'wf.yml'),
      [
        'version: 1',
        'defaults:',
        '  retry: { attempts: 3, delay: 5s }',
        'tasks:',
        '  audit:',
        '    uses: scan',
        '    with: { path: project, sources: [advisories], fail-on: high, output: reports/scan.json }',
        '  publish:',
        '    needs: audit',
        '    run: echo published',
        '  notify:',
        '    needs: audit',
        '    if: always()',
        '    run: echo "high=${{ tasks.audit.outputs.high }} gate=${{ tasks.audit.outputs.high > 0 }}"',
        '',
      ].join('\n'),
    );
    const started = Date.now();
    const r = await psr(['run', 'wf.yml'], { cwd: dir, env });
    expect(r.code).toBe(1);
    // The same data finds the same vulnerabilities: no 5 s waits for two more scans.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.stdout).not.toContain('retrying');
    expect(r.stdout).toContain('[audit] not retried: another attempt would give the same "findings" failure (retry.on: [findings] retries it anyway)\n');
    expect(r.stdout).toContain('[audit] report written: reports/scan.json\n');
    expect(r.stdout).toMatch(/\[audit\] 9 findings: 1 high, 1 medium, 7 unknown; 0 suppressed; 1 at or above fail-on high; data: advisories sha256:[0-9a-f]+\n/);
    expect(r.stdout).toContain('[audit] attempt 1/3 failure: 1 vulnerability at or above high: PYSEC-2023-192 (high) in urllib3 1.24.1, fixed in 1.26.17');
    expect(r.stdout).toContain('[publish] ○ skipped: needs not successful: audit (failure)');
    expect(r.stdout).toContain('[notify] high=1 gate=true');
  });
});

describe('psr validate of a scan task', () => {
  it('reports formats and outputs that do not pair up at the field, before anything runs', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'wf.yml'), 'version: 1\ntasks:\n  audit:\n    uses: scan\n    with:\n      path: project\n      format: [sarif, json]\n      output: [a.sarif]\n');
    const r = await psr(['validate', 'wf.yml'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wf\.yml:8:15: task "audit" \(scan\) with: output: 2 format\(s\) but 1 output path\(s\) \[PSR_TASK_INPUT\]\n {2}hint: give one output path per format/);
  });

  it('refuses format: [sarif] without an output file, which would end up in the task\'s log', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'wf.yml'), 'version: 1\ntasks:\n  audit:\n    uses: scan\n    with:\n      path: project\n      format: [sarif]\n');
    const r = await psr(['validate', 'wf.yml'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('wf.yml:7:15: task "audit" (scan) with: format: a SARIF report needs an output file: the task would write it into its log [PSR_TASK_INPUT]\n  hint: add output: scan.sarif');
  });

  it('refuses retry.on: [network], a kind no scan failure has (a flaky osv.dev fails as source)', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'wf.yml'), 'version: 1\ntasks:\n  deps:\n    uses: scan\n    with: { path: project, sources: [osv] }\n    retry:\n      attempts: 3\n      on: [network, timeout]\n');
    const r = await psr(['validate', 'wf.yml'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('wf.yml:8:12: task "deps" retry.on: "network" is not a failure kind of scan: nothing would be retried for it [PSR_SCHEMA]\n  hint: scan fails as "findings", "source", "input", any task as "timeout" or "error"\n');
  });

  it('quotes python-version: 3.10 in its hint as written, not as the number 3.1', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'wf.yml'), 'version: 1\ntasks:\n  audit:\n    uses: scan\n    with:\n      path: project\n      python-version: 3.10\n');
    const r = await psr(['validate', 'wf.yml'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('wf.yml:7:23: task "audit" (scan) with: python-version: expected a string, got number 3.1 (YAML reads 3.10 as that number) [PSR_TASK_INPUT]\n  hint: quote it: "3.10"\n');
  });
});

describe('psr scan', () => {
  it('prints the table and exits 0 below fail-on, 1 at or above it', async () => {
    const { dir, env } = setup();
    const ok = await psr(['scan', 'project', '--sources', 'advisories', '--fail-on', 'critical'], { cwd: dir, env });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/high\s+PYSEC-2023-192\s+urllib3 1\.24\.1/);
    expect(ok.stderr).toMatch(/data: advisories sha256:[0-9a-f]{16}/);
    // A fresh cache: this first scan compiles the index and says so; the next one reuses it.
    expect(ok.stderr).toContain('psr scan: compiling the advisory index of advisories (first scan of this data; later scans reuse it)');
    const bad = await psr(['scan', 'project', '--sources', 'advisories', '--fail-on', 'medium', '--format', 'json', '--output', 'out.json'], { cwd: dir, env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toContain('compiling the advisory index');
    const report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { dataSources: Array<{ name: string }>; findings: unknown[] };
    expect(report.dataSources.map((d) => d.name)).toEqual(['advisories']);
    expect(report.findings).toHaveLength(9);
    // By default every finding fails the scan, those of unknown severity too (as in pip-audit).
    const ignore = ['--ignore-file', 'project/.psr-ignore.yml'];
    const byDefault = await psr(['scan', 'project', '--sources', 'advisories', ...ignore], { cwd: dir, env });
    expect([byDefault.code, byDefault.stderr]).toEqual([1, expect.stringContaining('8 finding(s), 1 suppressed, 8 failing (--fail-on unknown: every severity)')]);
  });

  it('prints the format paired with --output - (or /dev/stdout) and writes the others', async () => {
    const { dir, env } = setup();
    const r = await psr(['scan', 'project', '--sources', 'advisories', '--fail-on', 'none', '--format', 'json', '--output', '-', '--format', 'sarif', '--output', 'scan.sarif'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings).toHaveLength(9);
    expect(JSON.parse(readFileSync(join(dir, 'scan.sarif'), 'utf8')).runs[0].results).toHaveLength(9);
    expect(existsSync(join(dir, '-'))).toBe(false);
    const dev = await psr(['scan', 'project', '--sources', 'advisories', '--fail-on', 'none', '--format', 'json', '--output', '/dev/stdout'], { cwd: dir, env });
    expect(dev.code, dev.stderr).toBe(0);
    expect((JSON.parse(dev.stdout) as { findings: unknown[] }).findings).toHaveLength(9);
  });

  it('prints the first ten warnings of a kind and says where the rest are', async () => {
    const { dir, env } = setup();
    const urls = Array.from({ length: 12 }, (_, i) => `tool${i} @ https://example.org/tool${i}-1.0.tar.gz`);
    writeFileSync(join(dir, 'requirements.txt'), `${urls.join('\n')}\njinja2==2.10\n`);
    const written = await psr(['scan', 'requirements.txt', '--sources', 'advisories', '--fail-on', 'none', '--format', 'json', '--output', 'out.json'], { cwd: dir, env });
    expect(written.code).toBe(0);
    expect(written.stderr.match(/\[PSR_SCAN_UNRESOLVABLE\]/g)).toHaveLength(10);
    expect(written.stderr).toContain('tool9 is installed from');
    expect(written.stderr).not.toContain('tool10 is installed from');
    expect(written.stderr).toContain(`2 more warnings not shown: PSR_SCAN_UNRESOLVABLE ×2 (every one is in ${join(dir, 'out.json')})`);
    const report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { warnings: Array<{ code: string }> };
    expect(report.warnings.filter((w) => w.code === 'PSR_SCAN_UNRESOLVABLE')).toHaveLength(12);
    const table = await psr(['scan', 'requirements.txt', '--sources', 'advisories', '--fail-on', 'none'], { cwd: dir, env });
    expect(table.stdout).toContain('PYSEC-2019-217');
    expect(table.stdout.match(/^warning: .*tool\d+ is installed from/gm)).toHaveLength(10);
    expect(table.stdout).toContain('warning: 2 more warnings not shown: PSR_SCAN_UNRESOLVABLE ×2 (`--format json` lists them all)');
    // The task logs them the same way.
    writeFileSync(join(dir, 'wf.yml'), 'tasks:\n  audit:\n    uses: scan\n    with: { path: requirements.txt, sources: [advisories], fail-on: none, output: [out.sarif] }\n');
    const task = await psr(['run', 'wf.yml'], { cwd: dir, env });
    expect(task.code).toBe(0);
    expect(task.stdout.match(/^\[audit\] .*\[PSR_SCAN_UNRESOLVABLE\]$/gm)).toHaveLength(10);
    expect(task.stdout).toContain(`[audit] 2 more warnings not shown: PSR_SCAN_UNRESOLVABLE ×2 (every one is in ${join(dir, 'out.sarif')})`);
  });

  it('prints warnings of a folder with a .gitignore without starting Node\'s ES module loader', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'project', '.gitignore'), 'node_modules/\n');
    // Which of Node's modules the scan loaded, written at exit.
    const hook = join(dir, 'modules.cjs');
    writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'modules.txt'))}, process.moduleLoadList.join('\\n')));`);
    const r = await psr(['scan', 'project', '--sources', 'advisories', '--fail-on', 'none', '--format', 'json', '--output', 'out.json'], { cwd: dir, env: { ...env, NODE_OPTIONS: `--require ${hook}` } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('[PSR_SCAN_UNPINNED]');
    const loaded = readFileSync(join(dir, 'modules.txt'), 'utf8').split('\n');
    expect(loaded).toContain('NativeModule vm');
    expect(loaded.filter((m) => /esm\/module_job|fs\/promises/.test(m))).toEqual([]);
  });

  it('exits 2 for input errors and 3 when a source fails', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'ignore.yml'), 'ignores:\n  - id: PYSEC-2020-96\n');
    const input = await psr(['scan', 'project', '--sources', 'advisories', '--ignore-file', 'ignore.yml'], { cwd: dir, env });
    expect(input.code).toBe(2);
    expect(input.stderr).toMatch(/ignore\.yml:2:\d+: ignore of PYSEC-2020-96 has no `reason` \[PSR_SCAN_IGNORE_FILE\]/);
    const usage = await psr(['scan', '--format', 'xml'], { cwd: dir, env });
    expect(usage.code).toBe(2);
    // A malformed URL is a mistake on the command line, not a failed source.
    const badUrl = await psr(['scan', 'project', '--sources', 'osv', '--osv-api-url', 'notaurl'], { cwd: dir, env });
    expect([badUrl.code, badUrl.stderr]).toEqual([2, expect.stringContaining('--osv-api-url "notaurl" is not an http(s) URL [PSR_USAGE]')]);
    // The variable gets the same checks; a key in its query string would be in every report. Offline scans ignore it.
    const keyed = { ...env, PSR_OSV_API_URL: 'http://127.0.0.1:9/?key=not-a-real-key' };
    const badEnv = await psr(['scan', 'project', '--sources', 'osv', '--output', 'osv.json'], { cwd: dir, env: keyed });
    expect([badEnv.code, badEnv.stderr]).toEqual([2, expect.stringContaining('PSR_OSV_API_URL: a base URL cannot have a query string')]);
    expect(existsSync(join(dir, 'osv.json'))).toBe(false);
    expect((await psr(['scan', 'project', '--sources', 'advisories', '--fail-on', 'none'], { cwd: dir, env: keyed })).code).toBe(0);
    writeFileSync(join(dir, 'broken.zip'), 'PK\u0003\u0004 truncated');
    const source = await psr(['scan', 'project', '--sources', 'advisories', '--sources', 'broken.zip', '--fail-on', 'none'], { cwd: dir, env });
    expect(source.code).toBe(3);
    expect(source.stdout).toContain('PSR_OSV_SOURCE_FAILED');
    const none = await psr(['scan', 'project'], { cwd: dir, env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('PSR_SCAN_NO_DATA');
    const omit = await psr(['scan', 'project', '--sources', 'advisories', '--omit', 'dev,devv'], { cwd: dir, env });
    expect([omit.code, omit.stderr]).toEqual([2, expect.stringContaining('omit "devv" is not a dependency group [PSR_SCAN_OMIT]')]);
  });

  it('--omit dev says in the table what it left out (requirements files have no dev group: nothing here)', async () => {
    const { dir, env } = setup();
    const all = await psr(['scan', 'project', '--sources', 'advisories', '--fail-on', 'none'], { cwd: dir, env });
    const prod = await psr(['scan', 'project', '--sources', 'advisories', '--fail-on', 'none', '--omit', 'dev'], { cwd: dir, env });
    expect([all.code, prod.code]).toEqual([0, 0]);
    expect(prod.stdout).toContain('Not scanned: 0 dependencies in dev (omit)');
    expect(all.stdout).not.toContain('Not scanned');
    const rows = (out: string): string[] => out.split('\n').filter((l) => / PYSEC-/.test(l));
    expect(rows(prod.stdout)).toEqual(rows(all.stdout));
    // Reports in files: stderr, all a CI log shows, says it too.
    const sarif = await psr(['scan', 'project', '--sources', 'advisories', '--fail-on', 'none', '--omit', 'dev', '--output', 'scan.sarif'], { cwd: dir, env });
    expect(sarif.stderr).toContain('\nnot scanned: 0 dependencies in dev (omit)\n');
    expect(all.stderr).not.toContain('not scanned');
  });

  it('exits 2 for an impossible expiry date or a misspelt `ignores:`, pointing at the mistake', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'date.yml'), 'ignores:\n  - id: PYSEC-2020-96\n    reason: r\n    expires: 2999-02-30\n');
    const date = await psr(['scan', 'project', '--sources', 'advisories', '--ignore-file', 'date.yml'], { cwd: dir, env });
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/date\.yml:4:14: ignore of PYSEC-2020-96: expires "2999-02-30" is not a date \[PSR_SCAN_IGNORE_FILE\]\n {2}hint: write expires as a real date/);
    writeFileSync(join(dir, 'typo.yml'), 'ignore:\n  - id: PYSEC-2020-96\n    reason: r\n');
    const typo = await psr(['scan', 'project', '--sources', 'advisories', '--ignore-file', 'typo.yml'], { cwd: dir, env });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/typo\.yml:1:1: unknown top-level key "ignore" in ignore file \[PSR_SCAN_IGNORE_FILE\]\n {2}hint: did you mean "ignores"\?/);
    expect(`${date.stderr}${typo.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for a baseline that is not JSON, in one line at the character at fault', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'base.json'), 'not json\nline two\nline three\n');
    const r = await psr(['scan', 'project', '--sources', 'advisories', '--baseline', 'base.json'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/base\.json:1:1: baseline: \S*base\.json is not valid JSON: invalid symbol "n" \[PSR_SCAN_BASELINE\]\n {2}hint: /);
    expect(r.stderr).not.toContain('line two');
  });

  it('warns about a repeated ignore rule: the first one applies', async () => {
    const { dir, env } = setup();
    writeFileSync(join(dir, 'dup.yml'), 'ignores:\n  - id: PYSEC-2020-96\n    reason: first\n  - id: PYSEC-2020-96\n    reason: second\n');
    const r = await psr(['scan', 'project', '--sources', 'advisories', '--ignore-file', 'dup.yml', '--fail-on', 'none', '--format', 'json', '--output', 'out.json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/dup\.yml:4:5: ignore of PYSEC-2020-96 repeats the one at line 2: only the first applies \[PSR_SCAN_IGNORE_UNUSED\]/);
    const report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { findings: Array<{ id: string; suppressed?: { reason: string } }> };
    expect(report.findings.find((f) => f.id === 'PYSEC-2020-96')?.suppressed?.reason).toBe('first');
  });

  it('exits 2 when a -r include cannot be read, still reporting what it read', async () => {
    const { dir, env } = setup();
    const requirements = join(dir, 'project/requirements.txt');
    writeFileSync(requirements, `-r base.txt\n${readFileSync(requirements, 'utf8')}`);
    const r = await psr(['scan', 'project/requirements.txt', '--sources', 'advisories', '--fail-on', 'none'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('project/requirements.txt:1:1: included file base.txt not found: its requirements are not scanned [PSR_LOCKFILE_INCLUDE]');
    expect(r.stdout).toMatch(/PARTIAL SCAN \(1 error\): 9 findings/);
    // With stdout redirected, stderr still says why: the error and that the scan is incomplete.
    expect(r.stderr).toContain('included file base.txt not found: its requirements are not scanned [PSR_LOCKFILE_INCLUDE]');
    expect(r.stderr).toContain('psr scan: a dependency file could not be read whole: the scan is incomplete');
  });
});

/** Make the managed entry `name` in the setup's cache look fetched or imported `days` ago. */
function backdateEntry(dir: string, name: string, days: number): void {
  const file = join(dir, '.cache', 'db', name, 'source.json');
  const entry = JSON.parse(readFileSync(file, 'utf8')) as { fetchedAt: string };
  writeFileSync(file, JSON.stringify({ ...entry, fetchedAt: new Date(Date.now() - days * 86_400_000).toISOString() }));
}

describe('psr db', () => {
  it('imports a folder, shows its snapshot in status, and scans from it by default', async () => {
    const { dir, env } = setup();
    const empty = await psr(['db', 'status'], { cwd: dir, env });
    expect(empty.stdout).toContain('no advisory data');
    const imp = await psr(['db', 'import', 'advisories', '--name', 'pypa-sample'], { cwd: dir, env });
    expect(imp.code).toBe(0);
    const snapshot = /imported (sha256:[0-9a-f]{16}) \(21 KB\) from /.exec(imp.stdout)![1]!;
    // The import compiles the index, which knows how current the data is.
    expect(imp.stdout).toContain('pypa-sample: 9 advisories for 4 packages, newest 2023-10-25 (');
    const status = await psr(['db', 'status'], { cwd: dir, env });
    expect(status.stdout).toMatch(new RegExp(`pypa-sample\\s+folder\\s+${snapshot}\\s+imported \\S+ \\(\\d+s ago\\)`));
    expect(status.stdout).toMatch(/\n\s+9 advisories for 4 packages, newest 2023-10-25 \(\d+d old\)\n/);
    const json = JSON.parse((await psr(['db', 'status', '--json'], { cwd: dir, env })).stdout) as { entries: Array<Record<string, unknown>> };
    const misplaced = await psr(['db', 'import', 'advisories', '--json'], { cwd: dir, env });
    expect([misplaced.code, misplaced.stderr]).toEqual([2, expect.stringContaining('--json applies to psr db status, not import [PSR_USAGE]')]);
    expect(json.entries).toEqual([
      expect.objectContaining({ name: 'pypa-sample', kind: 'folder', snapshot, advisories: 9, packages: 4, withdrawn: 0, newestModified: '2023-10-25T18:28:34.811764Z' }),
    ]);
    // Imported a month ago: imported data is as current as its owner keeps it, no staleness warning.
    backdateEntry(dir, 'pypa-sample', 30);
    expect((await psr(['db', 'status'], { cwd: dir, env })).stdout).toMatch(/imported \S+ \(30d ago\)[^\n]*\n[^\n]*newest[^\n]*\n$/);
    const scan = await psr(['scan', 'project', '--fail-on', 'none'], { cwd: dir, env });
    expect(scan.code).toBe(0);
    expect(scan.stdout).toContain('PYSEC-2021-66');
    expect(scan.stdout).not.toContain('PSR_SCAN_DATA_STALE');
    expect(scan.stderr).toContain(`data: pypa-sample ${snapshot}`);
  });

  it('syncs an ecosystem export from a loopback server, compiles it at once, and skips an unchanged one by its ETag', async () => {
    const { dir, env } = setup();
    // osv.dev's layout: <base>/<Ecosystem>/all.zip, the records at the top of the archive.
    const records = Object.fromEntries(
      readdirSync(join(dir, 'advisories', 'vulns'), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => [e.name, new Uint8Array(readFileSync(join(e.parentPath, e.name)))]),
    );
    const zip = zipSync(records);
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers['if-none-match'] ?? ''}`.trim());
      if (req.url !== '/PyPI/all.zip') return res.writeHead(404).end();
      if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/zip', etag: '"v1"', 'content-length': zip.length }).end(Buffer.from(zip));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const sync = await psr(['db', 'sync', '--ecosystem', 'PyPI', '--url', url], { cwd: dir, env });
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(new RegExp(`^PyPI: updated sha256:[0-9a-f]{16} \\(\\d+ KB\\) from ${url}/PyPI/all.zip\n`));
    expect(sync.stdout).toContain('PyPI: 9 advisories for 4 packages, newest 2023-10-25 (');
    const status = await psr(['db', 'status'], { cwd: dir, env });
    expect(status.stdout).toMatch(/PyPI\s+zip\s+sha256:[0-9a-f]{16}\s+fetched \S+ \(\d+s ago\)/);
    // Compiled by the sync: the first scan is already warm.
    const scan = await psr(['scan', 'project', '--fail-on', 'none'], { cwd: dir, env });
    expect(scan.code).toBe(0);
    expect(scan.stdout).toContain('PYSEC-2021-66');
    expect(scan.stderr).not.toContain('compiling the advisory index');

    const again = await psr(['db', 'sync', '--ecosystem', 'PyPI', '--url', url], { cwd: dir, env });
    expect(again.stdout).toMatch(/^PyPI: unchanged sha256:/);
    expect(requests).toEqual(['GET /PyPI/all.zip', 'GET /PyPI/all.zip "v1"']);

    // Ten days without a sync: the scan still runs, and says its data misses what was published since.
    backdateEntry(dir, 'PyPI', 10);
    const stale = await psr(['scan', 'project', '--fail-on', 'none'], { cwd: dir, env });
    expect(stale.code).toBe(0);
    expect(stale.stdout).toContain('PYSEC-2021-66');
    expect(stale.stdout).toContain('advisory data PyPI was downloaded 10 days ago: advisories published since are not in it [PSR_SCAN_DATA_STALE]');
    expect((await psr(['db', 'status'], { cwd: dir, env })).stdout).toContain('downloaded 10 days ago: run `psr db sync` for what was published since');
    // Fresh data and imported data (as current as their owner keeps them) never warn.
    expect(scan.stdout).not.toContain('PSR_SCAN_DATA_STALE');
  });

  it('reports a failed download with exit 2 and keeps nothing half-written', async () => {
    const { dir, env } = setup();
    const server = createServer((_req, res) => {
      res.statusCode = 503;
      res.end('unavailable');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await psr(['db', 'sync', '--ecosystem', 'PyPI', '--url', url], { cwd: dir, env });
    expect(r.code).toBe(2);
    // Retried (a busy osv.dev answers 503 for a moment), then given up on.
    expect(r.stderr).toContain(`downloading ${url}/PyPI/all.zip failed: HTTP 503 (4 attempts); nothing was added to the database [PSR_OSV_DOWNLOAD_FAILED]`);
    expect((await psr(['db', 'status'], { cwd: dir, env })).stdout).toContain('no advisory data');
  });

  it('syncs the other ecosystems when one fails, and exits 2', async () => {
    const { dir, env } = setup();
    const record = { id: 'GHSA-9c47-m6qq-7p4h', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'json5' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.2' }] }] }] };
    const zip = zipSync({ 'GHSA-9c47-m6qq-7p4h.json': new TextEncoder().encode(JSON.stringify(record)) });
    const server = createServer((req, res) => {
      if (req.url === '/npm/all.zip') return res.writeHead(200, { 'content-type': 'application/zip' }).end(Buffer.from(zip));
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await psr(['db', 'sync', '--url', url], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`downloading ${url}/PyPI/all.zip failed: HTTP 404; nothing was added to the database [PSR_OSV_DOWNLOAD_FAILED]`);
    expect(r.stdout).toMatch(/^npm: updated sha256:/);
  });

  it('stops on Ctrl-C while osv.dev is queried: exit 130, and the last report is not replaced', async () => {
    const { dir, env } = setup();
    // A server that takes the request and never answers.
    const server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(join(dir, 'scan.json'), '{"last":"good"}');
    let asked = false;
    server.on('request', () => (asked = true));
    const p = startPsr(['scan', 'project', '--sources', 'osv', '--osv-api-url', url, '--output', 'scan.json'], { cwd: dir, env });
    await waitFor(() => asked, 20_000, 'the querybatch request');
    p.child.kill('SIGINT');
    const r = await p.done;
    expect([r.code, r.stderr]).toEqual([130, 'psr scan: interrupted: no report written\n']);
    expect(readFileSync(join(dir, 'scan.json'), 'utf8')).toBe('{"last":"good"}');
  });

  it('refuses an import with a record that does not parse and keeps the previous one in use', async () => {
    const { dir, env } = setup();
    const good = await psr(['db', 'import', 'advisories', '--name', 'pypa-sample'], { cwd: dir, env });
    const snapshot = /imported (sha256:[0-9a-f]{16})/.exec(good.stdout)![1]!;
    const bad = join(dir, 'bad-advisories', 'vulns', 'flask');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'PYSEC-X.yaml'), 'id: PYSEC-X\naffected:\n  - package: {name: flask, ecosystem: PyPI\n');
    const r = await psr(['db', 'import', 'bad-advisories', '--name', 'pypa-sample'], { cwd: dir, env });
    expect(r.code).toBe(2);
    // Nothing is said to be imported, and the record is named in the user's folder, not the cache's copy.
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^\S*\/bad-advisories\/vulns\/flask\/PYSEC-X\.yaml:4:1: bad-advisories was not imported: \S+\/bad-advisories\/vulns\/flask\/PYSEC-X\.yaml: advisory does not parse/);
    expect(r.stderr).toContain(`; pypa-sample keeps its previous data (${snapshot} from ${join(dir, 'advisories')}) [PSR_OSV_IMPORT_FAILED]`);
    expect(r.stderr).not.toContain('.cache');
    const status = await psr(['db', 'status'], { cwd: dir, env });
    expect(status.stdout).toMatch(new RegExp(`pypa-sample\\s+folder\\s+${snapshot}\\s+imported`));
    expect(status.stdout).toContain('9 advisories for 4 packages');
    const scan = await psr(['scan', 'project', '--fail-on', 'none'], { cwd: dir, env });
    expect(scan.code).toBe(0);
    expect(scan.stdout).toContain('PYSEC-2021-66');
    expect(scan.stderr).toContain(`data: pypa-sample ${snapshot}`);
    expect(scan.stderr).not.toContain('compiling the advisory index');
  });

  it('refuses an export with a record that does not parse and keeps the previous snapshot in use', async () => {
    const { dir, env } = setup();
    const records = Object.fromEntries(
      readdirSync(join(dir, 'advisories', 'vulns'), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => [e.name, new Uint8Array(readFileSync(join(e.parentPath, e.name)))]),
    );
    let zip = zipSync(records);
    const server = createServer((req, res) => {
      if (req.url !== '/PyPI/all.zip') return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length }).end(Buffer.from(zip));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const first = await psr(['db', 'sync', '--ecosystem', 'PyPI', '--url', url], { cwd: dir, env });
    const snapshot = /updated (sha256:[0-9a-f]{16})/.exec(first.stdout)![1]!;

    zip = zipSync({ ...records, 'PYSEC-X.json': new TextEncoder().encode('{"id": "PYSEC-X", "affected": [}') });
    const r = await psr(['db', 'sync', '--ecosystem', 'PyPI', '--url', url], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`the export downloaded from ${url}/PyPI/all.zip was refused: ${url}/PyPI/all.zip!/PYSEC-X.json: advisory does not parse`);
    expect(r.stderr).toContain(`; PyPI keeps its previous data (${snapshot} from ${url}/PyPI/all.zip) [PSR_OSV_DOWNLOAD_FAILED]`);
    expect((await psr(['db', 'status'], { cwd: dir, env })).stdout).toMatch(new RegExp(`PyPI\\s+zip\\s+${snapshot}\\s+fetched[^\\n]*\\n\\s+9 advisories for 4 packages`));
    const scan = await psr(['scan', 'project', '--fail-on', 'none'], { cwd: dir, env });
    expect(scan.code).toBe(0);
    expect(scan.stderr).toContain(`data: PyPI ${snapshot}`);
  });

  it('says how to spell an ecosystem that differs only in case before downloading anything', async () => {
    const { dir, env } = setup();
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await psr(['db', 'sync', '--ecosystem', 'pypi', '--url', url], { cwd: dir, env });
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('unknown ecosystem "pypi": did you mean PyPI? [PSR_USAGE]')]);
    expect(requests).toEqual([]);
    // A name psr does not know goes to the server, which answers.
    const unknown = await psr(['db', 'sync', '--ecosystem', 'NotAnEcosystem', '--url', url], { cwd: dir, env });
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining(`downloading ${url}/NotAnEcosystem/all.zip failed: HTTP 404`)]);
    const badUrl = await psr(['db', 'sync', '--url', 'notaurl'], { cwd: dir, env });
    expect([badUrl.code, badUrl.stderr]).toEqual([2, expect.stringContaining('--url "notaurl" is not an http(s) URL [PSR_USAGE]')]);
  });
});
