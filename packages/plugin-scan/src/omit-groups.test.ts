import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPsrError } from '@psr/core';
import { parseLockfile } from '@psr/lockfiles';
import { renderReport } from '@psr/report';
import { afterAll, describe, expect, it } from 'vitest';
import { isOmitted, omitProblem } from './omit-groups.js';
import { runScan } from './run-scan.js';
import { ScanInputSchema } from './scan-task.js';
import scanPlugin from './index.js';
import { taskContext } from '../fixtures/task-context.js';

const PROJECT = fileURLToPath(new URL('../fixtures/npm-project', import.meta.url));
const ADVISORIES = fileURLToPath(new URL('../fixtures/npm-advisories', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'psr-omit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The npm fixture project with `request` (vulnerable, no fix) moved to devDependencies, as npm would lock it. */
function projectWithDevRequest(): string {
  const dir = join(work, 'project');
  cpSync(PROJECT, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies?: Record<string, string> };
  manifest.devDependencies = { request: manifest.dependencies['request']! };
  delete manifest.dependencies['request'];
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const root = lock.packages['']!;
  root['devDependencies'] = manifest.devDependencies;
  root['dependencies'] = manifest.dependencies;
  lock.packages['node_modules/request']!['dev'] = true;
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  return dir;
}

describe('omit', () => {
  it('accepts the groups of the dependency model and refuses main and anything else', () => {
    for (const ok of [['dev'], ['optional'], ['optional:socks'], ['group:docs', 'dev']]) expect(omitProblem(ok)).toBeUndefined();
    expect(omitProblem(['main'])).toMatch(/production/);
    expect(omitProblem(['devv'])).toMatch(/"devv" is not a dependency group/);
    expect(omitProblem(['group:'])).toBeDefined();
    // Poetry's `[tool.poetry.group.dev]` is group `dev`: `group:dev` would quietly leave out nothing.
    expect(omitProblem(['group:dev'])).toMatch(/called dev \(omit dev\)$/);
    expect(omitProblem(['group:main'])).toMatch(/production/);
  });

  it('optional leaves out npm optional dependencies and every Python extra; the others name one group', () => {
    expect(isOmitted('optional', ['optional'])).toBe(true);
    expect(isOmitted('optional:socks', ['optional'])).toBe(true);
    expect(isOmitted('optional:socks', ['optional:security'])).toBe(false);
    expect(isOmitted('group:docs', ['group:docs'])).toBe(true);
    expect(isOmitted('main', ['dev', 'optional'])).toBe(false);
  });

  it('a scan with omit dev leaves out the dev-only packages, and its report says how many', async () => {
    const dir = projectWithDevRequest();
    const cacheDir = join(work, 'cache');
    const all = await runScan({ path: '.', cwd: dir, sources: [ADVISORIES], failOn: 'none', formats: [], outputs: [], cacheDir });
    const prod = await runScan({ path: '.', cwd: dir, sources: [ADVISORIES], failOn: 'none', formats: [], outputs: [], cacheDir, omit: ['dev'] });
    const names = (r: typeof all): string[] => r.report.findings.map((f) => f.package!.name).sort();
    expect(names(all)).toContain('request');
    expect(names(prod)).toEqual(names(all).filter((n) => n !== 'request'));
    const devDeps = (await parseLockfile(join(dir, 'package-lock.json'))).dependencies.filter((d) => d.group === 'dev').length;
    expect(devDeps).toBeGreaterThan(0);
    expect(prod.report.run.omitted).toEqual({ groups: ['dev'], dependencies: devDeps });
    expect(all.report.run.omitted).toBeUndefined();
    // A clean-looking table still says what it did not look at.
    expect(await renderReport(prod.report, 'table')).toContain(`Not scanned: ${devDeps} ${devDeps === 1 ? 'dependency' : 'dependencies'} in dev (omit)`);
    expect(await renderReport(prod.report, 'markdown')).toContain('Not scanned:');
  });

  it('compared with a baseline of everything, a scan with omit dev lists nothing it left out as resolved', async () => {
    const dir = projectWithDevRequest();
    const cacheDir = join(work, 'cache');
    const scan = (omit: string[], extra: { baseline?: string; outputs?: string[]; formats?: ('json')[] } = {}) =>
      runScan({ path: '.', cwd: dir, sources: [ADVISORIES], failOn: 'none', formats: extra.formats ?? [], outputs: extra.outputs ?? [], cacheDir, omit, ...(extra.baseline ? { baseline: extra.baseline } : {}) });
    await scan([], { formats: ['json'], outputs: ['all.json'] });
    await scan(['dev'], { formats: ['json'], outputs: ['prod.json'] });
    // main scans everything (a dashboard), pull requests gate on production: request (dev) was
    // not looked at, not fixed.
    const prodAgainstAll = await scan(['dev'], { baseline: 'all.json' });
    expect(prodAgainstAll.report.baseline).toMatchObject({ new: 0, resolved: 0, resolvedFindings: [] });
    expect(prodAgainstAll.report.warnings.map((w) => w.code)).not.toContain('PSR_SCAN_BASELINE_OMIT');
    expect(await renderReport(prodAgainstAll.report, 'markdown')).not.toMatch(/resolved finding/);
    // The other way round the baseline never looked at dev: its findings count as new, and the report says why.
    const allAgainstProd = await scan([], { baseline: 'prod.json' });
    expect(allAgainstProd.report.findings.filter((f) => f.baselineState === 'new').map((f) => f.package!.name)).toEqual(['request']);
    expect(allAgainstProd.report.warnings.find((w) => w.code === 'PSR_SCAN_BASELINE_OMIT')?.message).toBe(
      'the baseline prod.json was made with omit dev, this scan with nothing omitted: findings in dev count as new, as the baseline did not look at them',
    );
    const same = await scan(['dev'], { baseline: 'prod.json' });
    expect(same.report.baseline).toMatchObject({ new: 0, resolved: 0 });
    expect(same.report.warnings.map((w) => w.code)).not.toContain('PSR_SCAN_BASELINE_OMIT');
  });

  it('the scan task says in its log what it left out when its reports go to files', async () => {
    const dir = projectWithDevRequest();
    const task = scanPlugin.tasks.scan;
    const c = taskContext(dir, join(work, 'cache'));
    await task.run(c, task.input.parse({ sources: [ADVISORIES], omit: ['dev'], 'fail-on': 'none', output: 'scan.sarif' }));
    expect(c.lines).toContainEqual(expect.stringMatching(/^info Not scanned: \d+ dependenc(y|ies) in dev \(omit\)$/));
  });

  it('a wrong group is an input error before anything is read, and psr validate says so at the field', async () => {
    const err = await runScan({ path: '.', cwd: PROJECT, sources: [ADVISORIES], failOn: 'none', formats: [], outputs: [], omit: ['prod'] }).catch((e: unknown) => e);
    expect(isPsrError(err) && err.code).toBe('PSR_SCAN_OMIT');
    const parsed = ScanInputSchema.safeParse({ omit: ['dev', 'main'] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({ path: ['omit'], message: expect.stringMatching(/omit main/) });
    expect(ScanInputSchema.parse({ omit: 'dev' }).omit).toEqual(['dev']);
  });
});
