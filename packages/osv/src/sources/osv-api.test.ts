// The osv.dev API client and `db sync`, against a loopback HTTP server started here that
// answers like osv.dev (querybatch with pagination, /v1/vulns/{id}, <Ecosystem>/all.zip).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseSources, entrySource, listDatabase, syncEcosystem } from '../database.js';
import { matchPackage } from '../match.js';
import { OsvIndex } from '../osv-index.js';
import { LocalSource } from './local-source.js';
import { OsvApiClient } from './osv-api.js';

const VULNS: Record<string, object> = {
  'PYSEC-2019-217': {
    id: 'PYSEC-2019-217', modified: '2021-06-16T00:03:24.800813Z', aliases: ['CVE-2019-10906', 'GHSA-462w-v97r-4m45'],
    affected: [{ package: { name: 'jinja2', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.10.1' }] }] }],
  },
  'GHSA-462w-v97r-4m45': {
    id: 'GHSA-462w-v97r-4m45', modified: '2024-01-01T00:00:00Z', aliases: ['CVE-2019-10906'],
    database_specific: { severity: 'HIGH' },
    affected: [{ package: { name: 'Jinja2', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.10.1' }] }] }],
  },
  'PYSEC-2021-66': {
    id: 'PYSEC-2021-66', modified: '2021-03-22T16:34:00Z', aliases: ['CVE-2020-28493'],
    affected: [{ package: { name: 'jinja2', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.11.3' }] }] }],
  },
};
const ALL_ZIP = zipSync({ 'PYSEC-2021-66.json': strToU8(JSON.stringify(VULNS['PYSEC-2021-66'])) });
/** Later exports: one with a record that does not parse beside a good one, and a good one. */
const LATER_ZIPS: Record<string, Uint8Array> = {
  '/broken/PyPI/all.zip': zipSync({ 'PYSEC-2019-217.json': strToU8(JSON.stringify(VULNS['PYSEC-2019-217'])), 'PYSEC-X.json': strToU8('{"id": "PYSEC-X", "affected": [}') }),
  '/fixed/PyPI/all.zip': zipSync({ 'PYSEC-2019-217.json': strToU8(JSON.stringify(VULNS['PYSEC-2019-217'])), 'PYSEC-2021-66.json': strToU8(JSON.stringify(VULNS['PYSEC-2021-66'])) }),
};

let server: Server;
let base: string;
const hits: string[] = [];

async function body(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const c of req) s += c;
  return s;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.method === 'POST' && req.url === '/v1/querybatch') {
      const { queries } = JSON.parse(await body(req)) as { queries: Array<{ package: { name: string }; version: string; page_token?: string }> };
      const results = queries.map((q) => {
        if (q.package.name !== 'jinja2' || q.version !== '2.10') return {};
        // First page returns one vuln and a token; the second page the rest.
        return q.page_token
          ? { vulns: [{ id: 'PYSEC-2021-66', modified: '2021-03-22T16:34:00Z' }, { id: 'GHSA-462w-v97r-4m45', modified: '2024-01-01T00:00:00Z' }] }
          : { vulns: [{ id: 'PYSEC-2019-217', modified: '2021-06-16T00:03:24.800813Z' }], next_page_token: 'page2' };
      });
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ results }));
    }
    const vuln = /^\/v1\/vulns\/(.+)$/.exec(req.url ?? '');
    if (vuln && VULNS[decodeURIComponent(vuln[1]!)]) {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify(VULNS[decodeURIComponent(vuln[1]!)]));
    }
    if (req.url === '/PyPI/all.zip') {
      if (req.headers['if-none-match'] === '"v1"') {
        res.statusCode = 304;
        return res.end();
      }
      res.setHeader('etag', '"v1"');
      return res.end(Buffer.from(ALL_ZIP));
    }
    const later = LATER_ZIPS[req.url ?? ''];
    if (later) {
      res.setHeader('etag', `"${req.url}"`);
      return res.end(Buffer.from(later));
    }
    res.statusCode = 404;
    res.end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('osv.dev API source', () => {
  it('queries in batch, follows pagination, fetches records once and matches them locally', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'psr-osv-api-'));
    try {
      const api = new OsvApiClient({ baseUrl: base, cacheDir: cache });
      const loaded = await api.load([
        { ecosystem: 'PyPI', name: 'jinja2', version: '2.10' },
        { ecosystem: 'PyPI', name: 'requests', version: '2.31.0' },
      ]);
      expect(loaded.snapshot).toMatchObject({ name: 'osv.dev', kind: 'osv-api', location: base, advisories: 3 });
      const m = matchPackage(new OsvIndex([loaded]).advisoriesFor('PyPI', 'jinja2'), 'PyPI', 'jinja2', '2.10');
      // PYSEC-2019-217 and GHSA-462w-v97r-4m45 share CVE-2019-10906: one finding.
      expect(m.groups.map((g) => [g.id, g.aliases])).toEqual([
        ['PYSEC-2019-217', ['CVE-2019-10906', 'GHSA-462w-v97r-4m45']],
        ['PYSEC-2021-66', ['CVE-2020-28493']],
      ]);
      expect(m.groups[0]!.severity.level).toBe('high');
      const fetched = hits.filter((h) => h.startsWith('GET /v1/vulns/')).length;
      await api.load([{ ecosystem: 'PyPI', name: 'jinja2', version: '2.10' }]);
      // Unchanged records come from the on-disk cache.
      expect(hits.filter((h) => h.startsWith('GET /v1/vulns/')).length).toBe(fetched);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('reports an unreachable or failing API as a source failure', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'psr-osv-api-'));
    try {
      const api = new OsvApiClient({ baseUrl: `${base}/broken`, cacheDir: cache });
      await expect(api.load([{ ecosystem: 'PyPI', name: 'x', version: '1' }])).rejects.toMatchObject({ code: 'PSR_OSV_SOURCE_FAILED', message: expect.stringMatching(/HTTP 404/) });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe('db sync', () => {
  it('downloads the ecosystem export, uses the ETag next time, and scans from it', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'psr-osv-sync-'));
    try {
      const first = await syncEcosystem(cache, 'PyPI', { baseUrl: base });
      expect(first).toMatchObject({ name: 'PyPI', kind: 'zip', origin: `${base}/PyPI/all.zip`, etag: '"v1"', changed: true });
      const second = await syncEcosystem(cache, 'PyPI', { baseUrl: base });
      expect(second).toMatchObject({ snapshot: first.snapshot, changed: false });
      expect(listDatabase(cache).map((e) => [e.name, e.snapshot])).toEqual([['PyPI', first.snapshot]]);
      const loaded = await new LocalSource(first.dataPath).open(cache);
      expect(matchPackage(new OsvIndex([loaded]).advisoriesFor('PyPI', 'jinja2'), 'PyPI', 'jinja2', '2.11.0').groups.map((g) => g.id)).toEqual(['PYSEC-2021-66']);
      await expect(syncEcosystem(cache, 'npm', { baseUrl: base })).rejects.toMatchObject({ code: 'PSR_OSV_DOWNLOAD_FAILED', message: expect.stringMatching(/HTTP 404/) });
      // A failed sync leaves the earlier snapshot in place.
      expect(listDatabase(cache)).toHaveLength(1);
      // The export is one ecosystem's: a scan of npm packages alone does not open it.
      expect(listDatabase(cache)[0]!.ecosystems).toEqual(['PyPI']);
      expect(databaseSources(cache, { ecosystems: new Set(['npm']) })).toEqual([]);
      expect(databaseSources(cache, { ecosystems: new Set(['npm', 'PyPI']) }).map((s) => s.name)).toEqual(['PyPI']);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('refuses an export with a record that does not parse: the previous snapshot stays in use, compiled, and nothing of the download is kept', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'psr-osv-sync-'));
    try {
      const first = await syncEcosystem(cache, 'PyPI', { baseUrl: base });
      expect(first.compiled.advisories).toBe(1);
      const url = `${base}/broken/PyPI/all.zip`;
      await expect(syncEcosystem(cache, 'PyPI', { baseUrl: `${base}/broken` })).rejects.toMatchObject({
        code: 'PSR_OSV_DOWNLOAD_FAILED',
        // Named where it was downloaded from, not psr's copy in the cache.
        message: expect.stringContaining(`the export downloaded from ${url} was refused: ${url}!/PYSEC-X.json: advisory does not parse`),
        location: { file: `${url}!/PYSEC-X.json` },
      });
      await expect(syncEcosystem(cache, 'PyPI', { baseUrl: `${base}/broken` })).rejects.toMatchObject({ message: expect.stringMatching(new RegExp(`; PyPI keeps its previous data \\(${first.snapshot} from ${base}/PyPI/all.zip\\)$`)) });
      const [kept] = listDatabase(cache);
      expect(kept).toEqual(expect.objectContaining({ snapshot: first.snapshot, etag: '"v1"', dataPath: first.dataPath, origin: first.origin }));
      expect(entrySource(kept!).compiledSnapshot(cache)).toMatchObject({ advisories: 1 });
      expect(readdirSync(join(cache, 'db', 'PyPI')).sort()).toEqual([basename(first.dataPath), 'source.json']);
      expect(readdirSync(join(cache, 'osv-index'))).toHaveLength(1);

      // A good export replaces it whole: data, index and all.
      const fixed = await syncEcosystem(cache, 'PyPI', { baseUrl: `${base}/fixed` });
      expect(fixed).toMatchObject({ changed: true, compiled: { advisories: 2 } });
      expect(readdirSync(join(cache, 'db', 'PyPI')).sort()).toEqual([basename(fixed.dataPath), 'source.json']);
      expect(readdirSync(join(cache, 'osv-index'))).toHaveLength(1);
      const loaded = await databaseSources(cache)[0]!.open(cache);
      for (const f of loaded.files) f.close();
      expect(loaded).toMatchObject({ built: false, snapshot: { snapshot: fixed.snapshot } });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
