import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { jinjaVuln, sampleReport } from '../fixtures/sample-report.js';
import { parseReport } from './parse-report.js';
import { renderJson } from './render/json.js';
import type { Report } from './report.js';
import { writeFileAtomic, writeReports } from './write-reports.js';

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'psr-report-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<{ code?: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  throw new Error('expected a rejection');
}

describe('writeReports', () => {
  it("removes the temp files of writers killed mid-write, never a live writer's or a fresh one", async () => {
    const dir = await tempDir();
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((done) => gone.on('exit', done));
    const old = new Date(Date.now() - 3600_000);
    const temps = {
      stale: `.scan.json.${gone.pid}.0123456789ab.tmp`,
      staleOfThisPid: `.scan.json.${process.pid}.0123456789ac.tmp`,
      fresh: `.scan.json.${gone.pid}.0123456789ad.tmp`,
      live: `.scan.json.${process.ppid}.0123456789ae.tmp`,
      otherReport: `.other.json.${gone.pid}.0123456789af.tmp`,
    };
    for (const [key, name] of Object.entries(temps)) {
      await writeFile(join(dir, name), 'partial');
      if (key !== 'fresh') await utimes(join(dir, name), old, old);
    }
    await writeReports(sampleReport(), [{ format: 'json', path: 'scan.json' }], { root: dir });
    expect((await readdir(dir)).sort()).toEqual([temps.otherReport, temps.fresh, temps.live, 'scan.json'].sort());
    // The same for a file written with writeFileAtomic.
    await writeFile(join(dir, temps.otherReport.replace('0123456789af', '0123456789b0')), 'partial');
    await utimes(join(dir, temps.otherReport.replace('0123456789af', '0123456789b0')), old, old);
    await writeFileAtomic(join(dir, 'other.json'), '{}');
    expect((await readdir(dir)).sort()).toEqual([temps.fresh, temps.live, 'other.json', 'scan.json'].sort());
  });

  it('writes into a named pipe in place, after the files, instead of replacing it with a file', async () => {
    // Devices and pipes (`/dev/stdout`, `/dev/null`, a FIFO) had been replaced: a temp file was
    // renamed over the node, which as root turned /dev/null into a JSON file.
    const root = await tempDir();
    const fifo = join(root, 'report.pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('sh', ['-c', `cat "${fifo}" > "${join(root, 'received.json')}"`]);
    const done = new Promise((resolve) => reader.on('exit', resolve));
    const written = await writeReports(sampleReport(), [{ format: 'json', path: 'report.pipe' }, { format: 'markdown', path: 'comment.md' }], { root });
    await done;
    expect(written).toEqual([fifo, join(root, 'comment.md')]);
    expect((await stat(fifo)).isFIFO()).toBe(true);
    expect(await readFile(join(root, 'received.json'), 'utf8')).toBe(renderJson(sampleReport()));
    expect(await readFile(join(root, 'comment.md'), 'utf8')).toMatch(/^### psr scan/);
  });

  it('writes one report to several formats, creating parent directories', async () => {
    const root = await tempDir();
    const written = await writeReports(
      sampleReport(),
      [
        { format: 'json', path: 'out/deep/scan.json' },
        { format: 'sarif', path: 'out/scan.sarif' },
        { format: 'markdown', path: 'out/comment.md' },
        { format: 'table', path: 'out/scan.txt' },
      ],
      { root },
    );
    expect(written).toEqual([join(root, 'out/deep/scan.json'), join(root, 'out/scan.sarif'), join(root, 'out/comment.md'), join(root, 'out/scan.txt')]);
    const json = parseReport(await readFile(join(root, 'out/deep/scan.json'), 'utf8'));
    expect(json.summary.total).toBe(5);
    expect(JSON.parse(await readFile(join(root, 'out/scan.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(await readFile(join(root, 'out/comment.md'), 'utf8')).toMatch(/^### psr scan/);
    expect(await readFile(join(root, 'out/scan.txt'), 'utf8')).not.toMatch(/\x1b\[/);
    expect((await readdir(join(root, 'out'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves existing files untouched and no temp files behind when rendering fails', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'scan.json'), 'previous');
    // A BigInt cannot be serialised: JSON rendering throws after SARIF would have succeeded.
    const broken = sampleReport([{ ...jinjaVuln, properties: { size: 1n as unknown as number } }]);
    await expect(
      writeReports(broken, [{ format: 'sarif', path: 'scan.sarif' }, { format: 'json', path: 'scan.json' }], { root }),
    ).rejects.toThrow(/BigInt/);
    expect(await readdir(root)).toEqual(['scan.json']);
    expect(await readFile(join(root, 'scan.json'), 'utf8')).toBe('previous');
  });

  it('leaves no partial file when the final rename fails', async () => {
    const root = await tempDir();
    const target = join(root, 'report.json');
    await mkdir(join(target, 'occupied'), { recursive: true });
    const error = await rejection(writeFileAtomic(target, 'x'.repeat(1_000_000)));
    expect(error.code).toBe('PSR_REPORT_WRITE');
    expect(await readdir(root)).toEqual(['report.json']);
    expect(await readdir(target)).toEqual(['occupied']);
  });

  it('writes a JSON report of many findings exactly as renderJson renders it', async () => {
    const root = await tempDir();
    const base = sampleReport();
    const findings = Array.from({ length: 130 }, (_, i) => ({ ...base.findings[i % base.findings.length]!, id: `PYSEC-2024-${i}` }));
    // Characters beyond ASCII and beyond Latin-1 in some batches, none in others.
    findings[40] = { ...findings[40]!, title: 'don’t “quote” é ✓' };
    const report = { ...base, findings };
    await writeReports(report, [{ format: 'json', path: 'scan.json' }], { root });
    expect(await readFile(join(root, 'scan.json'), 'utf8')).toBe(renderJson(report));
  });

  it('replaces an existing report atomically with the full new content', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'scan.json'), 'old');
    await writeReports(sampleReport(), [{ format: 'json', path: 'scan.json' }], { root });
    const report: Report = parseReport(await readFile(join(root, 'scan.json'), 'utf8'));
    expect(report.findings).toHaveLength(7);
  });

  it('refuses a path that a symlinked directory leads out of the root', async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await symlink(outside, join(root, 'reports'));
    const error = await rejection(writeReports(sampleReport(), [{ format: 'json', path: 'reports/scan.json' }], { root }));
    expect(error.code).toBe('PSR_REPORT_UNSAFE_PATH');
    expect(error.hint).toBeDefined();
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses a report file that is a symlink pointing outside, even a dangling one', async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeFile(join(outside, 'victim'), 'keep me');
    await symlink(join(outside, 'victim'), join(root, 'scan.json'));
    await symlink(join(outside, 'not-yet'), join(root, 'dangling.json'));
    for (const path of ['scan.json', 'dangling.json']) {
      const error = await rejection(writeReports(sampleReport(), [{ format: 'json', path }], { root }));
      expect(error.code).toBe('PSR_REPORT_UNSAFE_PATH');
    }
    expect(await readFile(join(outside, 'victim'), 'utf8')).toBe('keep me');
    expect(await readdir(outside)).toEqual(['victim']);
  });

  it('writes through a symlink that stays inside the root, keeping the link', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'real'));
    await symlink(join(root, 'real'), join(root, 'alias'));
    await symlink(join(root, 'real', 'target.md'), join(root, 'latest.md'));
    await writeReports(sampleReport(), [{ format: 'markdown', path: 'alias/comment.md' }, { format: 'markdown', path: 'latest.md' }], { root });
    expect(await readFile(join(root, 'real', 'comment.md'), 'utf8')).toMatch(/^### psr scan/);
    expect(await readFile(join(root, 'real', 'target.md'), 'utf8')).toMatch(/^### psr scan/);
    expect((await readdir(root)).sort()).toEqual(['alias', 'latest.md', 'real']);
  });

  it('allows an explicit absolute path outside the root, and rejects unknown formats and directories', async () => {
    const root = await tempDir();
    const elsewhere = await tempDir();
    await writeReports(sampleReport(), [{ format: 'json', path: join(elsewhere, 'scan.json') }], { root });
    expect(await readdir(elsewhere)).toEqual(['scan.json']);
    const bad = await rejection(writeReports(sampleReport(), [{ format: 'xml' as 'json', path: 'scan.xml' }], { root }));
    expect(bad.code).toBe('PSR_REPORT_FORMAT');
    expect(bad.hint).toContain('table, json, sarif, markdown');
    await mkdir(join(root, 'dir'));
    expect((await rejection(writeReports(sampleReport(), [{ format: 'json', path: 'dir' }], { root }))).code).toBe('PSR_REPORT_WRITE');
    await writeFile(join(root, 'file'), '');
    const notDir = await rejection(writeReports(sampleReport(), [{ format: 'json', path: 'file/scan.json' }], { root }));
    expect(notDir.code).toBe('PSR_REPORT_WRITE');
    expect(notDir.message).toContain('not a directory');
  });
});
