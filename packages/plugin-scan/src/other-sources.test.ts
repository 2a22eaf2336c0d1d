// Scans that use the osv.dev API (a loopback server started here answers like osv.dev) and
// npm lockfiles with SEMVER ranges from GitHub-style advisories.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScan } from './run-scan.js';

// Real-shaped GHSA record (lodash command injection, CVE-2021-23337).
const LODASH = {
  schema_version: '1.4.0',
  id: 'GHSA-35jh-r3h4-6jhm',
  modified: '2024-02-28T20:39:59Z',
  aliases: ['CVE-2021-23337'],
  summary: 'Command Injection in lodash',
  affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }],
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
  database_specific: { severity: 'HIGH' },
};

const dirs: string[] = [];
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/querybatch') {
        const { queries } = JSON.parse(body) as { queries: Array<{ package: { name: string }; version: string }> };
        return res.end(JSON.stringify({ results: queries.map((q) => (q.package.name === 'lodash' ? { vulns: [{ id: LODASH.id, modified: LODASH.modified }] } : {})) }));
      }
      if (req.url === `/v1/vulns/${LODASH.id}`) return res.end(JSON.stringify(LODASH));
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function npmProject(lodash: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'psr-scan-npm-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { lodash: `^${lodash}` } }));
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify(
      {
        name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true,
        packages: {
          '': { name: 'app', version: '1.0.0', dependencies: { lodash: `^${lodash}` } },
          'node_modules/lodash': { version: lodash, resolved: `https://registry.npmjs.org/lodash/-/lodash-${lodash}.tgz`, integrity: 'sha512-AAAA' },
        },
      },
      null,
      2,
    ),
  );
  return dir;
}

describe('other sources and ecosystems', () => {
  it('matches npm lockfile versions against SEMVER ranges from a folder of GHSA records', async () => {
    const dir = npmProject('4.17.20');
    mkdirSync(join(dir, 'advisories'));
    writeFileSync(join(dir, 'advisories', 'GHSA-35jh-r3h4-6jhm.json'), JSON.stringify(LODASH));
    const opts = { path: '.', sources: ['advisories'], failOn: 'high' as const, formats: [], outputs: [], cacheDir: join(dir, '.cache') };
    const r = await runScan({ ...opts, cwd: dir });
    expect(r.report.findings.map((f) => [f.id, f.severity, f.package?.fixedVersions, f.locations[0]?.file])).toEqual([
      ['GHSA-35jh-r3h4-6jhm', 'high', ['4.17.21'], 'package-lock.json'],
    ]);
    expect(r.status).toBe('findings');
    const fixed = npmProject('4.17.21');
    mkdirSync(join(fixed, 'advisories'));
    writeFileSync(join(fixed, 'advisories', 'GHSA-35jh-r3h4-6jhm.json'), JSON.stringify(LODASH));
    expect((await runScan({ ...opts, cwd: fixed })).report.findings).toEqual([]);
  });

  it('uses the osv.dev API when sources is osv, naming it in the report', async () => {
    const dir = npmProject('4.17.15');
    const r = await runScan({ path: '.', cwd: dir, sources: ['osv'], osvApiUrl: base, failOn: 'critical', formats: [], outputs: [], cacheDir: join(dir, '.cache') });
    expect(r.report.findings.map((f) => f.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
    expect(r.report.dataSources).toEqual([{ name: 'osv.dev', snapshot: expect.stringMatching(/^api:\d{4}-/), fetchedAt: expect.any(String), newestModified: LODASH.modified }]);
    expect(r.status).toBe('clean');
    const down = await runScan({ path: '.', cwd: dir, sources: ['osv'], osvApiUrl: `${base}/down`, failOn: 'critical', formats: [], outputs: [], cacheDir: join(dir, '.cache') });
    expect(down.status).toBe('source-failed');
    expect(down.report.errors.map((e) => e.code)).toEqual(['PSR_OSV_SOURCE_FAILED']);
    // Only the failure: not also a warning that npm has no data, with a hint to sync some.
    expect(down.report.warnings.map((w) => w.code)).not.toContain('PSR_SCAN_NO_COVERAGE');
  });
});
