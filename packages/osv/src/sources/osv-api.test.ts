// The osv.dev API client and `db sync`, against a loopback HTTP server started here that
// answers like osv.dev (querybatch with pagination, /v1/vulns/{id}, <Ecosystem>/all.zip).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
/** Queries per querybatch request, in order. */
const batchSizes: number[] = [];
let inFlight = 0;
let maxInFlight = 0;

/** PYSEC-MANY-<n>: the advisories of a package with thirty. */
function manyRecord(id: string): object | undefined {
  if (!/^PYSEC-MANY-\d+$/.test(id)) return undefined;
  return { id, modified: '2024-01-01T00:00:00Z', affected: [{ package: { name: 'many', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }] };
}

async function body(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const c of req) s += c;
  return s;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    hits.push(`${req.method} ${req.url}`);
    // /flaky/…: the first two querybatch requests get a 503, as osv.dev does under load.
    if (req.url?.startsWith('/flaky/') && hits.filter((h) => h === `${req.method} ${req.url}`).length <= 2) return res.writeHead(503).end();
    // /trickle/…: a querybatch answer sent in pieces 100 ms apart, as over a slow link.
    if (req.url === '/trickle/v1/querybatch') {
      const answer = JSON.stringify({ results: [{}] });
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let k = 0; k < answer.length; k += 3) {
        res.write(answer.slice(k, k + 3));
        await new Promise((r) => setTimeout(r, 100));
      }
      return res.end();
    }
    // /stall/…: a download that stops sending after its first kilobyte.
    if (req.url === '/stall/PyPI/all.zip') {
      res.writeHead(200, { 'content-length': '100000' });
      return res.write(Buffer.alloc(1000));
    }
    const path = req.url?.replace(/^\/(flaky|loop|gone|slow)\//, '/');
    const mode = req.url?.split('/')[1];
    if (req.method === 'POST' && path === '/v1/querybatch') {
      const { queries } = JSON.parse(await body(req)) as { queries: Array<{ package: { name: string }; version: string; page_token?: string }> };
      // osv.dev refuses more than 1000 queries in one request.
      if (queries.length > 1000) return res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":3,"message":"Too many queries."}');
      batchSizes.push(queries.length);
      const results = queries.map((q) => {
        if (mode === 'loop' && q.package.name === 'jinja2') return { vulns: [], next_page_token: 'same-token' };
        if (mode === 'gone' && q.package.name === 'jinja2') return { vulns: [{ id: 'GHSA-gone-gone-gone', modified: '2024-01-01T00:00:00Z' }] };
        if (q.package.name === 'many') {
          // Thirty advisories, ten a page: the way osv.dev pages a package with many.
          const page = Number(q.page_token ?? 0);
          const vulns = Array.from({ length: 10 }, (_, k) => ({ id: `PYSEC-MANY-${page * 10 + k}`, modified: '2024-01-01T00:00:00Z' }));
          return page < 2 ? { vulns, next_page_token: String(page + 1) } : { vulns };
        }
        if (q.package.name !== 'jinja2' || q.version !== '2.10') return {};
        // First page returns one vuln and a token; the second page the rest.
        return q.page_token
          ? { vulns: [{ id: 'PYSEC-2021-66', modified: '2021-03-22T16:34:00Z' }, { id: 'GHSA-462w-v97r-4m45', modified: '2024-01-01T00:00:00Z' }] }
          : { vulns: [{ id: 'PYSEC-2019-217', modified: '2021-06-16T00:03:24.800813Z' }], next_page_token: 'page2' };
      });
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ results }));
    }
    const vuln = /^\/v1\/vulns\/(.+)$/.exec(path ?? '');
    const record = vuln ? (VULNS[decodeURIComponent(vuln[1]!)] ?? manyRecord(decodeURIComponent(vuln[1]!))) : undefined;
    if (record) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (mode === 'slow') await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify(record));
    }
    if (path === '/PyPI/all.zip') {
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

describe('osv.dev API source, what a busy or broken server does', () => {
  const cacheDirs: string[] = [];
  const client = (prefix: string, options: { cacheDir?: string; signal?: AbortSignal; idleTimeoutMs?: number } = {}): OsvApiClient => {
    const cacheDir = options.cacheDir ?? mkdtempSync(join(tmpdir(), 'psr-osv-api-'));
    cacheDirs.push(cacheDir);
    const retry = { baseDelayMs: 5, ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}) };
    return new OsvApiClient({ baseUrl: `${base}${prefix}`, cacheDir, retry, ...(options.signal ? { signal: options.signal } : {}) });
  };
  afterAll(() => {
    for (const d of cacheDirs) rmSync(d, { recursive: true, force: true });
  });

  it('asks about 2,500 packages in requests of at most 1000 queries, each answer kept with its package', async () => {
    batchSizes.length = 0;
    const queries = Array.from({ length: 2500 }, (_, i) => ({ ecosystem: 'PyPI' as const, name: `pkg${i}`, version: '1.0' }));
    queries[1700] = { ecosystem: 'PyPI', name: 'jinja2', version: '2.10' };
    queries[2400] = { ecosystem: 'PyPI', name: 'many', version: '1.0' };
    const hitsPerQuery = await client('').queryBatch(queries);
    // Three first pages, then the second pages of jinja2 and many together, then many's third.
    expect(batchSizes).toEqual([1000, 1000, 500, 2, 1]);
    expect(hitsPerQuery[1700]!.map((v) => v.id)).toEqual(['PYSEC-2019-217', 'PYSEC-2021-66', 'GHSA-462w-v97r-4m45']);
    expect(hitsPerQuery[2400]).toHaveLength(30);
    expect(hitsPerQuery.filter((h) => h.length > 0)).toHaveLength(2);
  });

  it('retries a querybatch the server answered 503, and fetches records several at a time', async () => {
    maxInFlight = 0;
    const loaded = await client('/flaky').load([{ ecosystem: 'PyPI', name: 'many', version: '1.0' }]);
    expect(loaded.snapshot.advisories).toBe(30);
    expect(hits.filter((h) => h === 'POST /flaky/v1/querybatch')).toHaveLength(5);
    maxInFlight = 0;
    await client('/slow').load([{ ecosystem: 'PyPI', name: 'many', version: '1.0' }]);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('takes an answer that arrives slowly but steadily: only silence counts as a hang', async () => {
    // ~0.6 s in all, never 0.3 s without a byte.
    const loaded = await client('/trickle', { idleTimeoutMs: 300 }).load([{ ecosystem: 'PyPI', name: 'requests', version: '2.31.0' }]);
    expect(loaded.snapshot.advisories).toBe(0);
  });

  it('fails, instead of asking for ever, when the server hands back the page token it was given', async () => {
    await expect(client('/loop').load([{ ecosystem: 'PyPI', name: 'jinja2', version: '2.10' }])).rejects.toMatchObject({
      code: 'PSR_OSV_SOURCE_FAILED',
      message: `osv.dev API (${base}/loop): querybatch answered the page token it was given as the next one for jinja2 2.10 (PyPI)`,
    });
    expect(hits.filter((h) => h === 'POST /loop/v1/querybatch')).toHaveLength(2);
  });

  it('fails the source when a listed advisory cannot be fetched', async () => {
    await expect(client('/gone').load([{ ecosystem: 'PyPI', name: 'jinja2', version: '2.10' }])).rejects.toMatchObject({
      code: 'PSR_OSV_SOURCE_FAILED',
      message: `osv.dev API (${base}/gone): GET /v1/vulns/GHSA-gone-gone-gone: HTTP 404`,
    });
  });

  it('scans with a cache it cannot write: the records are all here, the next scan fetches them again', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'psr-osv-api-'));
    // Where the cache folder should be, a file: mkdir fails as in a read-only home.
    writeFileSync(join(cacheDir, 'osv-api'), '');
    const loaded = await client('', { cacheDir }).load([{ ecosystem: 'PyPI', name: 'jinja2', version: '2.10' }]);
    expect(loaded.snapshot.advisories).toBe(3);
  });

  it('uses a cached record only when querybatch gave a `modified` that matches it', async () => {
    const api = client('');
    const cached = join(cacheDirs.at(-1)!, 'osv-api', 'vulns', 'PYSEC-2021-66.json');
    const fetches = (): number => hits.filter((h) => h === 'GET /v1/vulns/PYSEC-2021-66').length;
    const before = fetches();
    await api.getVuln('PYSEC-2021-66', '2021-03-22T16:34:00Z');
    expect(readFileSync(cached, 'utf8')).toContain('"fixed":"2.11.3"');
    await api.getVuln('PYSEC-2021-66', '2021-03-22T16:34:00Z');
    expect(fetches()).toBe(before + 1);
    // Changed upstream since: fetched again.
    writeFileSync(cached, readFileSync(cached, 'utf8').replace('2021-03-22T16:34:00Z', '2020-01-01T00:00:00Z'));
    await api.getVuln('PYSEC-2021-66', '2021-03-22T16:34:00Z');
    expect(fetches()).toBe(before + 2);
    // No `modified` to compare: the copy could be any age.
    await api.getVuln('PYSEC-2021-66');
    expect(fetches()).toBe(before + 3);
  });

  it('throws the abort of its signal, not a source failure, when stopped', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(client('', { signal: ac.signal }).load([{ ecosystem: 'PyPI', name: 'jinja2', version: '2.10' }])).rejects.toMatchObject({ name: 'AbortError' });
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

  it('retries an export the server answered 503, gives up on one that stops sending, and says when an ecosystem has no export', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'psr-osv-sync-'));
    try {
      const first = await syncEcosystem(cache, 'PyPI', { baseUrl: `${base}/flaky`, retry: { baseDelayMs: 5 } });
      expect(first).toMatchObject({ changed: true, compiled: { advisories: 1 } });
      expect(hits.filter((h) => h === 'GET /flaky/PyPI/all.zip')).toHaveLength(3);
      const started = Date.now();
      await expect(syncEcosystem(cache, 'PyPI', { baseUrl: `${base}/stall`, retry: { baseDelayMs: 5, idleTimeoutMs: 300 } })).rejects.toMatchObject({
        code: 'PSR_OSV_DOWNLOAD_FAILED',
        message: `downloading ${base}/stall/PyPI/all.zip failed: nothing received for 300 ms: the server stopped answering; PyPI keeps its previous data (${first.snapshot} from ${base}/flaky/PyPI/all.zip)`,
      });
      expect(Date.now() - started).toBeLessThan(5000);
      // Nothing of the stalled download is left beside the data in use.
      expect(readdirSync(join(cache, 'db', 'PyPI')).sort()).toEqual([basename(first.dataPath), 'source.json']);
      await expect(syncEcosystem(cache, 'Pub', { baseUrl: base })).rejects.toMatchObject({
        message: `downloading ${base}/Pub/all.zip failed: HTTP 404; nothing was added to the database`,
        hint: `there is no export of "Pub" there: ecosystem names are case-sensitive, and osv.dev lists its exports in ${base}/ecosystems.txt`,
      });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('deletes what a download killed part-way left, but not a download still running', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'psr-osv-sync-'));
    try {
      const dir = join(cache, 'db', 'PyPI');
      mkdirSync(dir, { recursive: true });
      // A process that has exited (its pid is free again) and one that runs (the test runner's parent).
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      writeFileSync(join(dir, `all.zip.${dead}.0badf00d.tmp`), 'half an export');
      writeFileSync(join(dir, `all.zip.${process.ppid}.0badf00d.tmp`), 'a download in progress');
      const synced = await syncEcosystem(cache, 'PyPI', { baseUrl: base });
      expect(readdirSync(dir).sort()).toEqual([basename(synced.dataPath), `all.zip.${process.ppid}.0badf00d.tmp`, 'source.json']);
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
